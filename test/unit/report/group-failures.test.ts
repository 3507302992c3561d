import { describe, expect, it } from 'vitest';
import { groupFailures, type Failure } from '../../../src/report/failures.js';

const f = (source: string, destination: string, port: number, outcome: Failure['outcome'], rules: string[]): Failure => ({
  id: `${source}>${destination}:${port}`,
  kind: 'probe',
  source,
  destination,
  port,
  outcome,
  verdict: 'blocked',
  ms: 1,
  rules,
  hint: `hint for ${source}`,
});

describe('groupFailures', () => {
  it('makes one finding per rule, destination and outcome, with its ports and sources', () => {
    const groups = groupFailures([
      f('h1', 'h15', 19250, 'refused', ['allocator-node-to-node']),
      f('h3', 'h15', 19000, 'refused', ['allocator-node-to-node']),
      f('h1', 'h15', 19000, 'refused', ['allocator-node-to-node']),
      f('h1', 'h2', 2112, 'filtered', ['director-zk-discovery']),
      // same port and destination, another outcome: another finding
      f('h4', 'h15', 19000, 'filtered', ['allocator-node-to-node']),
    ]);
    expect(groups.map((g) => [g.destination, g.ports, g.outcome, g.sources, g.hint])).toEqual([
      ['h15', [19000, 19250], 'refused', ['h1', 'h3'], 'hint for h1'],
      ['h2', [2112], 'filtered', ['h1'], 'hint for h1'],
      ['h15', [19000], 'filtered', ['h4'], 'hint for h4'],
    ]);
  });
});
