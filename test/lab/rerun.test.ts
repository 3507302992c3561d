import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probesOf } from '../../src/engine/check-record.js';
import type { RunResult } from '../../src/engine/result.js';
import { labExec, labHost } from '../../src/lab/lab.js';
import { runCli } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// Re-run after a role change, on a 5-host lab: h1 director+coordinator, h2
// proxy, h3-h5 allocators. h4 becomes a director; h5's firewall changes.
const used = useLab({ hosts: 5, prefix: 'ecerr', roles: ['director,coordinator', 'proxy', 'allocator', 'allocator', 'allocator'] });
const dir = used.dir;
const state = path.join(dir, 'state');
const out = (name: string) => path.join(dir, name);

async function sweep(inventory: string, name: string, extra: string[] = []) {
  const json = out(`${name}.json`);
  const r = await runCli(['sweep', '-i', inventory, '--no-tui', '--probe-timeout', '700', '--state-dir', state, '--json', json, ...extra], { timeoutMs: 90_000 });
  return { ...r, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
}

describe('re-run after a role change', () => {
  it('diff names the host and role; --changed probes only what the change touches and ends as a full sweep would', async () => {
    const { lab } = used;
    const first = await sweep(lab.inventoryFile, 'first');
    expect(first.code, first.stdout).toBe(0);
    expect(first.stderr).toMatch(/Saved run: .*state\/runs\/\d{8}T\d{6}\.\d{3}Z-\w+\.json/);

    // h4: allocator -> director (moved to the director group in the inventory)
    const moved = out('moved.yml');
    const inv = readFileSync(lab.inventoryFile, 'utf8');
    writeFileSync(moved, inv.replace(/(\n\s+allocator:\n\s+hosts:\n(?:\s+h\d+:.*\n)*?)\s+h4:.*\n/, '$1').replace(/(\n\s+director:\n\s+hosts:\n)/, '$1        h4: null\n'));
    const pending = await runCli(['diff', '-i', moved, '--state-dir', state], { timeoutMs: 30_000 });
    expect(pending.code, pending.stderr).toBe(0);
    expect(pending.stdout).toMatch(/~ h4: roles \+director -allocator/);
    // and the firewall rules the change moves: h4's director rules come, its allocator rules go
    expect(pending.stdout).toMatch(/~ h4: firewall [1-9]\d* to add, [1-9]\d* to remove/);
    expect(pending.stdout).toMatch(/\n {4}\+ accept +tcp .* director-zk-/);
    const asJson = await runCli(['diff', '-i', moved, '--state-dir', state, '--json'], { timeoutMs: 30_000 });
    const h4 = (JSON.parse(asJson.stdout) as { firewall: { host: string; add: unknown[]; remove: unknown[] }[] }).firewall.find((f) => f.host === 'h4');
    expect(h4?.add.length).toBeGreaterThan(0);
    expect(h4?.remove.length).toBeGreaterThan(0);

    // h5's firewall changed since (a rule that changes nothing we probe, but a change all the same)
    await labExec(labHost(lab, 'h5'), ['nft', '-f', '-'], { stdin: 'table inet other {\n chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport 4242 drop\n }\n}\n' });
    try {
      const changed = await sweep(moved, 'changed', ['--changed']);
      const full = await sweep(moved, 'full', ['--no-save']);
      expect(changed.code).toBe(full.code);
      const probed = probesOf(changed.result.checks).filter((c) => c.carriedFrom === undefined);
      const carried = probesOf(changed.result.checks).filter((c) => c.carriedFrom !== undefined);
      // only paths with h4 or h5 (or a path the first run did not have) at either end were probed again
      expect(probed.length).toBeGreaterThan(0);
      expect(carried.length).toBeGreaterThan(0);
      expect(carried.every((c) => !['h4', 'h5'].includes(c.from) && !['h4', 'h5'].includes(c.to))).toBe(true);
      expect(carried.every((c) => c.carriedFrom === first.result.startedAt)).toBe(true);
      const firstIds = new Set(first.result.checks.map((c) => c.id));
      expect(probed.every((c) => ['h4', 'h5'].includes(c.from) || ['h4', 'h5'].includes(c.to) || !firstIds.has(c.id))).toBe(true);
      // the same verdicts as a full sweep of the new inventory
      const verdicts = (r: RunResult) => new Map(probesOf(r.checks).map((c) => [c.id, c.verdict]));
      expect(verdicts(changed.result)).toEqual(verdicts(full.result));
      expect(changed.result.summary.status).toBe(full.result.summary.status);
      expect(changed.stdout).toMatch(/carried over from the last run/);

      const diff = await runCli(['diff', '--state-dir', state], { timeoutMs: 30_000 });
      expect(diff.stdout).toMatch(/~ h4: roles \+director -allocator/);
    } finally {
      await labExec(labHost(lab, 'h5'), ['nft', 'delete', 'table', 'inet', 'other']);
    }
  });

  it('--changed sees a rule changed in place (same count, another port) and probes that host again', async () => {
    const { lab } = used;
    const h3 = labHost(lab, 'h3');
    const st = path.join(dir, 'state-in-place');
    const table = (port: number) => `table inet inplace {\n chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport ${port} drop\n }\n}\n`;
    const run = async (name: string, extra: string[] = []) => {
      const json = out(`${name}.json`);
      const r = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--probe-timeout', '700', '--state-dir', st, '--json', json, '--skip', 'outbound', ...extra], { timeoutMs: 90_000 });
      return { ...r, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
    };
    await labExec(h3, ['nft', '-f', '-'], { stdin: table(4242) });
    try {
      const before = await run('inplace-before');
      expect(before.code, before.stdout).toBe(0);
      await labExec(h3, ['nft', 'delete', 'table', 'inet', 'inplace']);
      await labExec(h3, ['nft', '-f', '-'], { stdin: table(4243) });
      const after = await run('inplace-after', ['--changed']);
      expect(after.code, after.stdout).toBe(0);
      const h3Before = before.result.hosts.find((h) => h.name === 'h3')!.facts!.firewall!;
      const h3After = after.result.hosts.find((h) => h.name === 'h3')!.facts!.firewall!;
      expect(h3After.nftRules).toBe(h3Before.nftRules);
      expect(h3After.rulesHash).not.toBe(h3Before.rulesHash);
      const probes = probesOf(after.result.checks);
      const touching = probes.filter((c) => c.from === 'h3' || c.to === 'h3');
      expect(touching.length).toBeGreaterThan(0);
      expect(touching.filter((c) => c.carriedFrom !== undefined)).toEqual([]);
      expect(probes.filter((c) => c.from !== 'h3' && c.to !== 'h3').every((c) => c.carriedFrom !== undefined)).toBe(true);
    } finally {
      await labExec(h3, ['nft', 'delete', 'table', 'inet', 'inplace']);
    }
  });

  it('a state file edited by hand gives one clear line; another --state-dir still works', async () => {
    const { lab } = used;
    const bad = path.join(dir, 'bad-state');
    writeFileSync(path.join(dir, 'placeholder'), '');
    const first = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--state-dir', bad, '--limit', 'h1:h2'], { timeoutMs: 60_000 });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const last = readFileSync(path.join(bad, 'last'), 'utf8').trim();
    writeFileSync(path.join(bad, last), '{"schema": "ece-preflight/run@2", "hosts": [');
    const r = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--state-dir', bad, '--changed'], { timeoutMs: 60_000 });
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/runs\/.*\.json: not JSON/);
    const other = await runCli(['diff', '--state-dir', state], { timeoutMs: 30_000 });
    expect(other.code, other.stderr).toBe(0);
  });
});
