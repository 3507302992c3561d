import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probesOf } from '../../src/engine/check-record.js';
import type { RunResult } from '../../src/engine/result.js';
import { labExec, labHost } from '../../src/lab/lab.js';
import { FIREWALL_FACTS_COMMAND, parseFacts } from '../../src/tasks/facts.js';
import { runCli } from './support/run-cli.js';
import { denyByDefault } from './support/firewall-lab.js';
import { useLab } from './support/use-lab.js';

// playbooks/role-change.yml in the lab: default-deny hosts whose firewall
// already follows the roles and a clean sweep saved; then h4 (an allocator)
// becomes a director (moved in the inventory), and the change window runs as one
// playbook with --changed: what changed, a sweep that finds h4's new director
// paths blocked, the firewall follows, the same sweep passes and is the run's.
const PLAYBOOK = fileURLToPath(new URL('../../playbooks/role-change.yml', import.meta.url));
const HOSTS = ['h1', 'h2', 'h3', 'h4'];
const used = useLab(
  { hosts: 4, prefix: 'ecerc', roles: ['director,coordinator', 'proxy', 'allocator', 'allocator'] },
  async (lab) => {
    await denyByDefault(lab, HOSTS);
    mkdirSync(inv, { recursive: true });
    writeFileSync(inventory, readFileSync(lab.inventoryFile, 'utf8'));
  },
  300_000,
);
const dir = used.dir;
const inv = path.join(dir, 'inv');
const inventory = path.join(inv, 'inventory.yml');
const state = path.join(dir, 'state');
const ruleset = async (h: string) => (await labExec(labHost(used.lab, h), ['nft', 'list', 'ruleset'])).stdout;
const cli = (args: string[], timeoutMs = 180_000) => runCli([...args, '-i', inventory, '--state-dir', state], { timeoutMs });

describe('playbooks/role-change.yml', () => {
  it('after an allocator becomes a director: diff, a sweep that fails, the firewall follows, the sweep again passes and is the verdict', async () => {
    const apply = await cli(['firewall', 'apply', '--no-tui', '--no-save']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const first = await cli(['sweep', '--no-tui', '--skip', 'outbound', '--probe-timeout', '600']);
    expect(first.code, first.stdout).toBe(0);

    // h4: allocator -> director (moved to the director group; ece_roles in host_vars would add the role, not move it)
    const moved = readFileSync(inventory, 'utf8')
      .replace(/(\n\s+allocator:\n\s+hosts:\n(?:\s+h\d+:.*\n)*?)\s+h4:.*\n/, '$1')
      .replace(/(\n\s+director:\n\s+hosts:\n)/, '$1        h4: null\n');
    writeFileSync(inventory, moved);
    const pending = await cli(['diff'], 30_000);
    expect(pending.code, pending.stderr).toBe(0);
    expect(pending.stdout).toMatch(/~ h4: roles \+director -allocator/);
    expect(pending.stdout).toMatch(/~ h4: firewall [1-9]\d* to add, [1-9]\d* to remove/);
    expect(pending.stdout).toMatch(/~ h1: firewall [1-9]\d* to add/);
    expect((await ruleset('h4')).match(/director-zk-/g)).toBeNull();

    const json = path.join(dir, 'window.json');
    const report = path.join(dir, 'window.md');
    const r = await cli(['play', PLAYBOOK, '--no-tui', '--changed', '-e', 'ece_skip=outbound', '--probe-timeout', '600', '--json', json, '--report', report]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok: \[h4\] since the last run: roles \+director -allocator; firewall: [1-9]\d* rules? to add, [1-9]\d* to remove/);
    expect(r.stdout).toMatch(/changed: \[h4\] applied and confirmed over a new connection/);
    // the first sweep found h4's director paths blocked; the second replaced its results
    expect(r.stdout).toMatch(/Probe the ECE port matrix: \d+ earlier results of the same checks replaced \(then: [1-9]\d* failed/);
    expect(r.stdout.indexOf('earlier results')).toBeGreaterThan(r.stdout.indexOf('changed: [h4] applied'));
    expect((await ruleset('h4')).match(/director-zk-/g)?.length ?? 0).toBeGreaterThan(0);

    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    // --json is a copy of the run just saved, byte for byte
    const savedRun = /^Saved run: (.+)$/m.exec(r.stderr)![1]!;
    expect(readFileSync(path.resolve(savedRun), 'utf8')).toBe(readFileSync(json, 'utf8'));
    const probes = probesOf(result.checks);
    expect(result.superseded?.map((s) => s.play)).toEqual(['ECE networking preflight after the change']);
    expect(result.superseded![0]!.verdicts.blocked).toBeGreaterThan(0);
    expect(result.summary.planned.probes).toBe(probes.length);
    // one sweep's checks: each path once, all ok; the paths touching h4 were probed again
    expect(new Set(probes.map((c) => c.id)).size).toBe(probes.length);
    expect(probes.filter((c) => c.verdict !== 'ok')).toEqual([]);
    expect(probes.some((c) => c.carriedFrom === undefined && (c.from === 'h4' || c.to === 'h4'))).toBe(true);
    expect(result.hosts.find((h) => h.name === 'h4')?.roles).toEqual(['director']);
    // the facts saved are the firewall as the window left it (read again after the change), not as its first task found it
    const h4Now = parseFacts((await labExec(labHost(used.lab, 'h4'), FIREWALL_FACTS_COMMAND)).stdout).firewall;
    const h4Saved = result.hosts.find((h) => h.name === 'h4')!.facts!.firewall!;
    expect(h4Saved).toEqual(h4Now);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('## Changes since the last run');
    expect(md).toMatch(/\| roles \| h4 \| -allocator \| \+director \|/);
    // the report says what the first sweep found, as the plain output did
    expect(md).toMatch(/## Replaced by a later task\n\n- ECE networking preflight after the change: Probe the ECE port matrix: \d+ earlier results of the same checks replaced \(then: [1-9]\d* failed/);

    const after = await runCli(['diff', '--state-dir', state], { timeoutMs: 30_000 });
    expect(after.stdout).toMatch(/~ h4: roles \+director -allocator/);
  }, 600_000);
});
