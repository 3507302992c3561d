import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../../src/engine/check-record.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import { checkBatch } from '../../../src/modules/check-batch.js';

const check = (i: number): CheckRecord => ({
  kind: 'probe',
  id: `h1>h2:${i}`,
  from: 'h1',
  to: 'h2',
  address: '198.18.0.2',
  port: i,
  expect: 'open',
  rules: ['r'],
  result: { outcome: 'open', ms: 1 },
  verdict: 'ok',
});
const turn = () => new Promise((r) => setImmediate(r));

describe('checkBatch', () => {
  it('sends what one turn judged as one event, on the next turn', async () => {
    const events: EngineEvent[] = [];
    const b = checkBatch((e) => events.push(e));
    for (let i = 1; i <= 3; i++) b.add(check(i));
    expect(events).toEqual([]);
    await turn();
    expect(events).toEqual([{ kind: 'checks', checks: [check(1), check(2), check(3)] }]);
    b.add(check(4));
    await turn();
    expect(events.map((e) => (e.kind === 'checks' ? e.checks.map((c) => c.port) : []))).toEqual([[1, 2, 3], [4]]);
  });

  it('flush() sends the rest at once and nothing twice; max cuts a long turn', async () => {
    const events: EngineEvent[] = [];
    const b = checkBatch((e) => events.push(e), 2);
    for (let i = 1; i <= 5; i++) b.add(check(i));
    b.flush();
    b.flush();
    await turn();
    expect(events.map((e) => (e.kind === 'checks' ? e.checks.map((c) => c.port) : []))).toEqual([[1, 2], [3, 4], [5]]);
  });
});
