import { describe, expect, it } from 'vitest';
import { headlineOf, summarizeRun, type SummaryInput } from '../../../src/engine/run-summary.js';
import { exitCodeOf } from '../../../src/cli/exit-code.js';

const base: SummaryInput = {
  hosts: [
    { name: 'h1', state: 'done' },
    { name: 'h2', state: 'done' },
  ],
  planned: { probes: 100, outbound: 4 },
  checked: { probes: 100, outbound: 4 },
  totals: { blocked: 0, exposed: 0, error: 0 },
  interrupted: false,
  exposuresFail: false,
  warnings: 0,
};
const run = (over: Partial<SummaryInput>) => summarizeRun({ ...base, ...over });

describe('run summary: the headline every output opens with', () => {
  it('passes only when every planned check ran and nothing failed', () => {
    const s = run({});
    expect(s).toMatchObject({ status: 'passed', complete: true, hostsNotChecked: [] });
    expect(headlineOf(s)).toEqual({
      tone: 'ok',
      text: 'PASSED: every required path is open and nothing that must be closed answered (104 checks)',
      hostLines: [],
      checkLines: [],
    });
    expect(exitCodeOf(s)).toBe(0);
  });

  it('names the failures that are names a source could not resolve', () => {
    const s = run({ totals: { blocked: 2, exposed: 0, error: 3, unresolved: 3 } });
    expect(s).toMatchObject({ status: 'failed', failures: 5, unresolved: 3 });
    expect(headlineOf(s).text).toBe('FAILED: 5 paths failing (3 with a name the source could not resolve) (of 104 checks)');
    expect(run({ totals: { blocked: 1, exposed: 0, error: 0 } }).unresolved).toBeUndefined();
    expect(exitCodeOf(s)).toBe(2);
  });

  it('is incomplete when most hosts failed their facts, whatever the paths that ran say (the 25-host case)', () => {
    const hosts: SummaryInput['hosts'] = Array.from({ length: 25 }, (_, i) =>
      i < 21 ? { name: `h${i + 1}`, state: 'failed', phase: 'facts', error: 'no facts within 30000 ms' } : { name: `h${i + 1}`, state: 'done' },
    );
    const s = run({ hosts, planned: { probes: 8999, outbound: 0 }, checked: { probes: 234, outbound: 0 } });
    expect(s.status).toBe('incomplete');
    const h = headlineOf(s);
    expect(h.tone).toBe('bad');
    expect(h.text).toBe('INCOMPLETE: 21 of 25 hosts not checked; 8765 of 8999 planned checks not run (97%); no failure among the 234 run');
    expect(h.hostLines[0]).toBe('h1: failed (facts): no facts within 30000 ms');
    expect(h.hostLines).toHaveLength(21);
    expect(h.text).not.toMatch(/every required path/);
    expect(exitCodeOf(s)).toBe(2);
  });

  it('is incomplete when checks went missing with every host done (a batch cut short), and never exits 0', () => {
    const s = run({ checked: { probes: 99, outbound: 4 } });
    expect(s.status).toBe('incomplete');
    expect(headlineOf(s).text).toBe('INCOMPLETE: 1 of 104 planned checks not run (<1%); no failure among the 103 run');
    expect(exitCodeOf(s)).toBe(2);
  });

  it('says interrupted, names hosts never reached, exits 99', () => {
    const s = run({ interrupted: true, hosts: [{ name: 'h1', state: 'done' }, { name: 'h2', state: 'pending' }], checked: { probes: 40, outbound: 0 } });
    expect(headlineOf(s).text).toMatch(/^INCOMPLETE: interrupted; 1 of 2 hosts not checked; 64 of 104/);
    expect(headlineOf(s).hostLines).toEqual(['h2: not reached (interrupted)']);
    expect(exitCodeOf(s)).toBe(99);
  });

  it('an unreachable host exits 3 and is named with its reason', () => {
    const s = run({ hosts: [{ name: 'h1', state: 'done' }, { name: 'h2', state: 'unreachable', error: 'connection refused' }], checked: { probes: 50, outbound: 2 } });
    expect(headlineOf(s).hostLines).toEqual(['h2: unreachable: connection refused']);
    expect(exitCodeOf(s)).toBe(3);
  });

  it('counts exposures apart from failures, failing only with --fail-on-exposed', () => {
    const warn = run({ totals: { blocked: 0, exposed: 2, error: 0 }, warnings: 1 });
    expect(warn.status).toBe('passed');
    expect(headlineOf(warn)).toMatchObject({ tone: 'warn' });
    expect(headlineOf(warn).text).toBe(
      'PASSED: every required path is open (104 checks), but a local-only port answered from another host; 2 exposures (warning), 1 warning',
    );
    expect(exitCodeOf(warn)).toBe(0);
    const strict = run({ totals: { blocked: 0, exposed: 2, error: 0 }, exposuresFail: true });
    expect(strict.status).toBe('failed');
    expect(headlineOf(strict).text).toBe('FAILED: 2 exposures (of 104 checks)');
    expect(exitCodeOf(strict)).toBe(2);
  });

  it('fails on blocked paths and errors, naming them apart from exposures', () => {
    const s = run({ totals: { blocked: 3, exposed: 1, error: 1 } });
    expect(headlineOf(s).text).toBe('FAILED: 4 paths failing, 1 exposure (warning) (of 104 checks)');
    expect(exitCodeOf(s)).toBe(2);
  });

  it('a play of tasks only (no probe) does not claim the paths are open, and a failed host makes it incomplete', () => {
    const s = run({ planned: { probes: 0, outbound: 0 }, checked: { probes: 0, outbound: 0 } });
    expect(headlineOf(s).text).toBe('PASSED: every task ran on every host (2 hosts), no network path was checked');
    const down = run({ planned: { probes: 0, outbound: 0 }, checked: { probes: 0, outbound: 0 }, hosts: [{ name: 'h1', state: 'done' }, { name: 'h2', state: 'failed', phase: 'task', error: 'non-zero return code 1' }] });
    expect(headlineOf(down).text).toBe('INCOMPLETE: 1 of 2 hosts not checked');
    expect(headlineOf(down).hostLines).toEqual(['h2: failed (task): non-zero return code 1']);
    expect(exitCodeOf(down)).toBe(2);
  });
});
