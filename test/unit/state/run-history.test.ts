import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError, UsageError } from '../../../src/errors.js';
import { defaultStateDir, listRuns, loadRun, runFileName, saveRun } from '../../../src/state/run-history.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'ecep-state-'));

describe('run history', () => {
  it('saves each run atomically under runs/, moves the last pointer, and reads runs back by position', () => {
    const dir = fresh();
    const a = buildFleetRun().result;
    const b = { ...buildFleetRun({ unreachable: ['h6'] }).result, startedAt: '2025-01-15T10:00:00.000Z' };
    const fa = saveRun(dir, a);
    const fb = saveRun(dir, b);
    expect(listRuns(dir)).toEqual([fa, fb]);
    expect(readFileSync(path.join(dir, 'last'), 'utf8')).toBe(`runs/${path.basename(fb)}\n`);
    expect(readdirSync(path.join(dir, 'runs')).some((f) => f.includes('.tmp'))).toBe(false);
    expect(loadRun(dir, 'last', dir).result).toEqual(b);
    expect(loadRun(dir, 'last~1', dir).result).toEqual(a);
    expect(() => loadRun(dir, 'last~2', dir)).toThrow(/holds 2 runs/);
  });

  it('two runs in one second keep their order (the name has milliseconds), whatever their salt', () => {
    const early = runFileName({ startedAt: '2026-11-27T20:04:56.104Z' }, 'ffff');
    const late = runFileName({ startedAt: '2026-11-27T20:04:56.900Z' }, '0000');
    expect(early).toBe('20261127T200456.104Z-ffff.json');
    expect([late, early].sort()).toEqual([early, late]);
  });

  it('says so in one line when there is no run, and never trusts a corrupt, foreign or newer file', () => {
    const dir = fresh();
    expect(() => loadRun(dir, 'last', dir)).toThrow(UsageError);
    expect(() => loadRun(dir, 'last', dir)).toThrow(/no saved run in .*run a sweep first/);
    const good = saveRun(dir, buildFleetRun().result);
    const text = readFileSync(good, 'utf8');
    writeFileSync(good, text.slice(0, text.length / 2)); // truncated mid-write (by hand: our writes are atomic)
    expect(() => loadRun(dir, 'last', dir)).toThrow(ParseError);
    expect(() => loadRun(dir, 'last', dir)).toThrow(/not JSON/);
    writeFileSync(good, JSON.stringify({ schema: 'ece-preflight/run@9' }));
    expect(() => loadRun(dir, 'last', dir)).toThrow(/newer ece-preflight/);
    writeFileSync(path.join(dir, 'last'), '../../etc/passwd\n');
    expect(() => loadRun(dir, 'last', dir)).toThrow(/not an ece-preflight pointer/);
    // nothing was overwritten or removed by reading
    expect(readFileSync(good, 'utf8')).toBe(JSON.stringify({ schema: 'ece-preflight/run@9' }));
  });

  it('keeps the history beside the inventory, else in the working folder', () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'hosts.ini'), 'h1\n');
    expect(defaultStateDir('/elsewhere', path.join(dir, 'hosts.ini'))).toBe(path.join(dir, '.ece-preflight'));
    expect(defaultStateDir(dir, '<embedded localhost>')).toBe(path.join(dir, '.ece-preflight'));
  });
});
