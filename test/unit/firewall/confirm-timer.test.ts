import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { armScript, disarmScript, restoreScript, saveScript, stateDir } from '../../../src/firewall/confirm-timer.js';

// A fake backend whose "ruleset" is a file: the scripts run for real in sh.
const tmp = mkdtempSync(path.join(tmpdir(), 'ecep-confirm-'));
const live = path.join(tmp, 'live');
const fake = [{ name: 'fake', save: { description: 'save', argv: ['cat', live] }, restore: (f: string) => ({ description: 'restore', argv: ['cp', f, live] }) }];
const sh = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' });

describe('commit-confirmed scripts', () => {
  it('names a state folder per host by hash (lab hosts share a filesystem; no inventory text reaches a shell)', () => {
    expect(stateDir('h1', '/x')).toMatch(/^\/x\/[0-9a-f]{16}$/);
    expect(stateDir('h1', '/x')).not.toBe(stateDir('h2', '/x'));
    expect(stateDir("$(touch /tmp/pwned)'", '/x')).toMatch(/^\/x\/[0-9a-f]{16}$/);
    expect(() => stateDir('h1', 'relative')).toThrow(/absolute path/);
    expect(() => armScript('/x', fake, 0)).toThrow(/1\.\.86400/);
  });

  it('save, arm, change, and the timer restores the saved rules by itself', async () => {
    const dir = stateDir('h1', tmp);
    writeFileSync(live, 'before\n');
    sh(saveScript(dir, fake));
    const pid = sh(armScript(dir, fake, 1)).trim();
    expect(pid).toMatch(/^\d+$/);
    writeFileSync(live, 'after\n');
    await new Promise((r) => setTimeout(r, 1800));
    expect(readFileSync(live, 'utf8')).toBe('before\n');
    expect(sh(disarmScript(dir)).trim()).toBe('no timer');
  });

  it('disarm keeps the change; restore puts the saved rules back; restore without a save fails clearly', async () => {
    const dir = stateDir('h2', tmp);
    writeFileSync(live, 'before\n');
    sh(saveScript(dir, fake));
    sh(armScript(dir, fake, 1));
    writeFileSync(live, 'after\n');
    expect(sh(disarmScript(dir)).trim()).toBe('disarmed');
    await new Promise((r) => setTimeout(r, 1500));
    expect(readFileSync(live, 'utf8')).toBe('after\n');
    sh(restoreScript(dir, fake));
    expect(readFileSync(live, 'utf8')).toBe('before\n');
    expect(() => execFileSync('sh', ['-c', restoreScript(stateDir('never', tmp), fake)], { stdio: 'pipe' })).toThrow(/no saved rules/);
  });
});
