import { describe, expect, it } from 'vitest';
import { notCheckedOf, type PlannedCheck } from '../../../src/engine/not-checked.js';
import type { HostGap } from '../../../src/engine/run-summary.js';

const probe = (from: string, to: string, port: number): PlannedCheck => ({ kind: 'probe', id: `${from}>${to}:${port}`, from, to, port, rules: ['r'] });
const gap = (name: string, reason: string): HostGap => ({ name, state: 'unreachable', reason });

describe('notCheckedOf', () => {
  it('lists the planned checks without a record, naming the source gap before the destination gap', () => {
    const planned = [probe('a', 'b', 1), probe('b', 'c', 1), probe('c', 'b', 1), probe('a', 'c', 1)];
    const ran = [{ kind: 'probe' as const, id: 'a>c:1' }];
    const out = notCheckedOf(planned, ran, [gap('b', 'unreachable: timeout'), gap('c', 'failed (facts): slow')], false);
    expect(out.map((n) => [n.id, n.reason])).toEqual([
      ['a>b:1', 'b unreachable: timeout'],
      ['b>c:1', 'b unreachable: timeout'],
      ['c>b:1', 'c failed (facts): slow'],
    ]);
  });

  it('settles one plan entry per record (an id planned by two tasks), and says interrupted when no host is to blame', () => {
    const planned = [probe('a', 'b', 1), probe('a', 'b', 1)];
    const out = notCheckedOf(planned, [{ kind: 'probe', id: 'a>b:1' }], [], true);
    expect(out.map((n) => n.reason)).toEqual(['interrupted']);
    // an outbound check and a probe may share an id: kinds are kept apart
    const outbound: PlannedCheck = { kind: 'outbound', id: 'a>b:1', from: 'a', to: 'b', port: 1, rules: ['o'] };
    expect(notCheckedOf([outbound], [{ kind: 'probe', id: 'a>b:1' }], [], false).map((n) => n.reason)).toEqual(['not run']);
  });
});
