import { describe, expect, it } from 'vitest';
import { expandSpec, formatSpecs, mergeSpecs, sampleSpec } from '../../../src/catalog/ports.js';
import { compareVersions, inVersionRange } from '../../../src/catalog/versions.js';

describe('ports', () => {
  it('samples first, last and evenly spread interior ports', () => {
    expect(sampleSpec({ from: 18000, to: 18999 }, 'sample', 3)).toEqual([18000, 18250, 18500, 18750, 18999]);
    expect(sampleSpec({ from: 12191, to: 12201 }, 'sample', 3)).toEqual([12191, 12193, 12196, 12199, 12201]);
    expect(sampleSpec({ from: 18000, to: 18999 }, 'sample', 0)).toEqual([18000, 18999]);
  });
  it('takes every port of small ranges and of full mode', () => {
    expect(sampleSpec({ from: 22191, to: 22195 }, 'sample', 3)).toEqual([22191, 22192, 22193, 22194, 22195]);
    expect(sampleSpec({ from: 9000, to: 9009 }, 'full', 3)).toEqual(expandSpec({ from: 9000, to: 9009 }));
    expect(sampleSpec(2112, 'sample', 3)).toEqual([2112]);
  });
  it('merges and formats compactly', () => {
    expect(mergeSpecs([22, { from: 20, to: 21 }, 23, 30])).toEqual([{ from: 20, to: 23 }, 30]);
    expect(formatSpecs([{ from: 12191, to: 12201 }, 2112])).toBe('2112, 12191-12201');
  });
});

describe('versions', () => {
  it('compares dotted versions numerically', () => {
    expect(compareVersions('2.4.10', '2.4.9')).toBe(1);
    expect(compareVersions('2.4', '2.4.0')).toBe(0);
    expect(compareVersions('3.0.0-rc1', '3.0.0')).toBe(0);
  });
  it('treats ranges as inclusive and an unknown version as inside', () => {
    const r = { min: '2.4.0', max: '2.4.1' };
    expect(inVersionRange('2.4.1', r)).toBe(true);
    expect(inVersionRange('2.4.2', r)).toBe(false);
    expect(inVersionRange('2.3.9', r)).toBe(false);
    expect(inVersionRange(undefined, r)).toBe(true);
  });
});
