import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probesOf } from '../../src/engine/check-record.js';
import { labExec, labHost } from '../../src/lab/lab.js';
import { runCli } from './support/run-cli.js';
import { DEFAULT_DENY, denyByDefault, labCli } from './support/firewall-lab.js';
import { useLab } from './support/use-lab.js';

// The firewall against real hosts with a Debian-style default-deny nftables
// input chain (SSH allowed, everything else dropped): the sweep fails, apply
// fixes it commit-confirmed, a second apply changes nothing, rollback
// restores the exact ruleset, and a change that would lock the controller out
// is undone by itself while the later serial batches stay untouched.
const HOSTS = ['h1', 'h2', 'h3', 'h4'];
const used = useLab({ hosts: 4, prefix: 'ecefw', roles: ['director,coordinator', 'proxy', 'allocator', 'allocator'] }, (lab) => denyByDefault(lab, HOSTS));
const dir = used.dir;

const ruleset = async (h: string) => (await labExec(labHost(used.lab, h), ['nft', 'list', 'ruleset'])).stdout;
const rulesets = async () => Object.fromEntries(await Promise.all(HOSTS.map(async (h) => [h, await ruleset(h)] as const)));

const { cli, sweep } = labCli(() => used.lab, dir);

describe('firewall apply on default-deny hosts', () => {
  it('check/diff changes nothing; apply fixes the sweep; a second apply changes nothing; rollback restores the exact ruleset', async () => {
    const before = await sweep();
    expect(before.code, before.stdout).toBe(2);
    expect(probesOf(before.result.checks).filter((c) => c.verdict === 'blocked').length).toBeGreaterThan(10);
    const original = await rulesets();

    const check = await cli(['firewall', 'apply', '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/changed: \[h1\] would apply: \d+ rules? to add, 0 to remove \(nftables\)/);
    expect(check.stdout).toMatch(/^\+accept ipv4 tcp \d+(-\d+)? from 198\.18\.0\.\d+\/32/m);
    expect(await rulesets()).toEqual(original);

    const apply = await cli(['firewall', 'apply']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    for (const h of HOSTS) expect(apply.stdout).toMatch(new RegExp(`changed: \\[${h}\\] applied and confirmed over a new connection`));

    const after = await sweep();
    expect(after.code, after.stdout).toBe(0);
    // Docker's 2375 no longer answers from other hosts
    const docker = probesOf(after.result.checks).filter((c) => c.port === 2375);
    expect(docker.length).toBeGreaterThan(0);
    expect(docker.filter((c) => c.verdict !== 'ok')).toEqual([]);

    const again = await cli(['firewall', 'apply']);
    expect(again.code).toBe(0);
    for (const h of HOSTS) expect(again.stdout).toMatch(new RegExp(`${h}\\s+: ok=2\\s+changed=0`));

    const rollback = await cli(['firewall', 'rollback']);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(await rulesets()).toEqual(original);
  }, 300_000);

  it('a change that would lock the controller out is rolled back on that host, and the later batches are not touched', async () => {
    const { lab } = used;
    // SSH now gets in only through our rule: the hosts' own "tcp dport 22 accept" goes.
    expect((await cli(['firewall', 'apply'])).code).toBe(0);
    for (const h of HOSTS) {
      const listed = (await labExec(labHost(lab, h), ['nft', '-a', 'list', 'chain', 'inet', 'filter', 'input'])).stdout;
      const handle = /tcp dport 22 accept # handle (\d+)/.exec(listed)?.[1];
      expect(handle, listed).toBeDefined();
      await labExec(labHost(lab, h), ['nft', 'delete', 'rule', 'inet', 'filter', 'input', 'handle', handle!]);
    }
    const earlier = await rulesets();
    // The hosts are told the controller is elsewhere: the new rules would let SSH in from there only.
    const r = await cli(['firewall', 'apply', '--serial', '1', '-e', 'ece_controller_address=198.18.0.250', '--confirm-timeout', '20']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/fatal: \[h1\]: FAILED! => a new SSH connection failed after the change .*; the earlier rules are back/);
    expect(r.stderr + r.stdout).toMatch(/batch-failed|later batches are left unchanged/);
    expect(await rulesets()).toEqual(earlier);
    // and h1 still takes new logins
    const facts = await cli(['play', 'playbooks/facts.yml', '--limit', 'h1', '--no-save']);
    expect(facts.code, facts.stdout).toBe(0);
  }, 300_000);

  it('a change that breaks a required path other than SSH (a wrong address for a peer) is rolled back at once', async () => {
    // Start from our rules in place (h1's own SSH rule may be gone since the last test: ours lets SSH in).
    expect((await cli(['firewall', 'apply'])).code).toBe(0);
    const earlier = await rulesets();
    // Render every host's rules as if h2 had another address: the new SSH login works, h2's paths do not.
    const r = await cli(['firewall', 'apply', '-e', JSON.stringify({ ece_firewall_test_address_override: { h2: '198.18.0.251' } }), '--confirm-timeout', '30']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    for (const h of ['h1', 'h3', 'h4']) {
      expect(r.stdout).toMatch(new RegExp(`fatal: \\[${h}\\]: FAILED! => a required path that answered before the change no longer does: h2 -> ${h}:\\d+ \\([^)]*\\) was (open|refused), now filtered.*; the earlier rules are back`));
    }
    // h2's own rules do not name h2: nothing to change there.
    expect(r.stdout).toMatch(/ok: \[h2\] rules already in place/);
    expect(await rulesets()).toEqual(earlier);
    // and the paths work: the sweep passes
    expect((await sweep()).code).toBe(0);
  }, 300_000);

  it('--persist writes the whole ruleset to the file it is pointed at, loadable with nft -f; without it the result says until reboot', async () => {
    const { lab } = used;
    const file = path.join(dir, 'persist', 'nftables.conf');
    mkdirSync(path.dirname(file), { recursive: true });
    const h1 = labHost(lab, 'h1');
    // A change to persist: h1 back to its own default-deny rules (SSH open), then ours applied.
    const fresh = async () => {
      await labExec(h1, ['nft', 'flush', 'ruleset']);
      expect((await labExec(h1, ['nft', '-f', '-'], { stdin: DEFAULT_DENY })).code).toBe(0);
    };
    await fresh();
    const plain = await cli(['firewall', 'apply', '--limit', 'h1']);
    expect(plain.stdout).toMatch(/changed: \[h1\] applied and confirmed .*; they last until reboot \(--persist makes them permanent\)/);
    await fresh();
    const r = await cli(['firewall', 'apply', '--limit', 'h1', '--persist', '-e', `ece_firewall_persist_file=${file}`]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`changed: [h1] applied and confirmed`);
    expect(r.stdout).toContain(`permanent: the whole ruleset in ${file}`);
    const saved = readFileSync(file, 'utf8');
    expect(saved.split('\n').slice(0, 3)).toEqual(['#!/usr/sbin/nft -f', expect.stringMatching(/^# Written by ece-preflight/), 'flush ruleset']);
    const live = await ruleset('h1');
    expect(saved).toContain(live);
    expect(saved).toContain('chain ece_preflight');
    // a second apply --persist: rules and file already so
    const again = await cli(['firewall', 'apply', '--limit', 'h1', '--persist', '-e', `ece_firewall_persist_file=${file}`]);
    expect(again.stdout, again.stdout).toMatch(/ok: \[h1\] rules already in place .*already so: /);
    // what a reboot does: an empty ruleset, then the distribution's `nft -f FILE`
    expect((await labExec(h1, ['nft', 'flush', 'ruleset'])).code).toBe(0);
    const loaded = await labExec(h1, ['nft', '-f', file]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(await ruleset('h1')).toBe(live);
  }, 300_000);

  it('the same with the iptables backend: apply fixes the sweep, a second apply changes nothing, rollback restores iptables-save exactly', async () => {
    const { lab } = used;
    const iptables = async (h: string) => (await labExec(labHost(lab, h), ['iptables-save'])).stdout.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/ \[\d+:\d+\]$/, '')).join('\n'); // packet counters move
    const all = async () => Object.fromEntries(await Promise.all(HOSTS.map(async (h) => [h, await iptables(h)] as const)));
    for (const h of HOSTS) {
      const host = labHost(lab, h);
      await labExec(host, ['nft', 'flush', 'ruleset']);
      for (const rule of [['-P', 'INPUT', 'DROP'], ['-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'], ['-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT'], ['-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT']]) {
        const r = await labExec(host, ['iptables', ...rule]);
        if (r.code !== 0) throw new Error(`${h}: iptables ${rule.join(' ')}: ${r.stderr}`);
      }
    }
    expect((await sweep()).code).toBe(2);
    const original = await all();
    const apply = await cli(['firewall', 'apply', '--backend', 'iptables']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout, apply.stdout).toMatch(/changed: \[h1\] applied and confirmed over a new connection, \d+ required paths re-probed: \d+ rules? to add, 0 to remove \(iptables\); they last until reboot/);
    const after = await sweep();
    expect(after.code, after.stdout).toBe(0);
    const again = await cli(['firewall', 'apply', '--backend', 'iptables']);
    for (const h of HOSTS) expect(again.stdout).toMatch(new RegExp(`${h}\\s+: ok=2\\s+changed=0`));
    expect((await cli(['firewall', 'rollback', '--backend', 'iptables'])).code).toBe(0);
    expect(await all()).toEqual(original);
  }, 300_000);

  it('after a host loses the director role, apply keeps its ZooKeeper ports open and says why', async () => {
    const { lab } = used;
    for (const h of HOSTS) {
      const host = labHost(lab, h);
      await labExec(host, ['iptables', '-P', 'INPUT', 'ACCEPT']);
      await labExec(host, ['iptables', '-F']);
      await labExec(host, ['nft', 'flush', 'ruleset']);
      await labExec(host, ['nft', '-f', '-'], { stdin: DEFAULT_DENY });
    }
    // The same inventory in a folder of its own, where host_vars/h3.yml makes h3 a director.
    const inv = path.join(dir, 'roles');
    mkdirSync(path.join(inv, 'host_vars'), { recursive: true });
    writeFileSync(path.join(inv, 'inventory.yml'), readFileSync(lab.inventoryFile, 'utf8'));
    writeFileSync(path.join(inv, 'host_vars', 'h3.yml'), 'ece_roles: [director]\n');
    const apply = (extra: string[] = []) =>
      runCli(['firewall', 'apply', '-i', path.join(inv, 'inventory.yml'), '--no-tui', '--no-save', '--limit', 'h3', ...extra], { timeoutMs: 120_000 });
    expect((await apply()).code).toBe(0);
    const asDirector = (await ruleset('h3')).match(/director-zk-/g)?.length ?? 0;
    expect(asDirector).toBeGreaterThan(0);
    rmSync(path.join(inv, 'host_vars', 'h3.yml'));
    const r = await apply();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toMatch(/zookeeper-kept-open: h3 no longer holds the director role, but ZooKeeper keeps running there/);
    expect((await ruleset('h3')).match(/director-zk-/g)?.length ?? 0).toBe(asDirector);
  }, 300_000);
});
