import { describe, expect, it } from 'vitest';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

describe('fleet fixture', () => {
  it('plants the findings the report tests rely on', () => {
    const { result, events } = buildFleetRun();
    const by = (v: string) => result.probes.filter((p) => p.verdict === v).map((p) => p.probe.id);
    expect(by('blocked')).toEqual(['h1>h2:2112', 'h3>h2:2112']);
    expect(by('exposed')).toEqual(['h1>h5:2375', 'h2>h5:2375', 'h3>h5:2375', 'h4>h5:2375', 'h6>h5:2375']);
    expect(by('error').length).toBeGreaterThan(0);
    expect(result.totals.skipped).toBe(0);
    expect(events[0]!.kind).toBe('run-start');
    expect(events.at(-1)!.kind).toBe('run-end');
  });
});
