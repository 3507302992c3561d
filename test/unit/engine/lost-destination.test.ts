import { describe, expect, it } from 'vitest';
import { withoutLostDestinations } from '../../../src/engine/build-result.js';
import type { CheckRecord } from '../../../src/engine/check-record.js';

const check = (from: string, to: string, outcome: CheckRecord['result']['outcome'], kind: CheckRecord['kind'] = 'probe'): CheckRecord => ({
  kind, id: `${from}>${to}:1`, from, to, address: '198.18.0.12', port: 1, expect: 'open', rules: ['r'], result: { outcome, ms: 1 }, verdict: outcome === 'open' ? 'ok' : 'blocked',
});

describe('probes to a host whose connection was lost mid-run', () => {
  const checks = [check('h1', 'h2', 'refused'), check('h3', 'h2', 'filtered'), check('h1', 'h2', 'open'), check('h2', 'h1', 'refused'), check('h2', 'reg', 'refused', 'outbound'), check('h1', 'h3', 'refused')];

  it('drop those that did not connect (the dead listener, not a firewall, may have answered); keep the rest', () => {
    const out = withoutLostDestinations(checks, [{ name: 'h1', state: 'done' }, { name: 'h2', state: 'unreachable', errorKind: 'connection-lost' }, { name: 'h3', state: 'done' }]);
    expect(out.map((c) => `${c.from}>${c.to}:${c.result.outcome}`)).toEqual(['h1>h2:open', 'h2>h1:refused', 'h2>reg:refused', 'h1>h3:refused']);
  });

  it('a host unreachable from the start (nothing was probed to it) or one that failed otherwise changes nothing', () => {
    expect(withoutLostDestinations(checks, [{ name: 'h2', state: 'unreachable', errorKind: 'client-timeout' }])).toEqual(checks);
    expect(withoutLostDestinations(checks, [{ name: 'h2', state: 'failed' }])).toEqual(checks);
  });
});
