import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labExec, labHost, labUp, regenerateHostKey, restartSshd, startSshd, stopSshd, type LabInfo } from '../../src/lab/lab.js';
import type { RunResult } from '../../src/engine/result.js';
import { probesOf } from '../../src/engine/check-record.js';
import { sshdConfigPath, startSshd as startSshdAsConfigured } from '../../src/lab/sshd.js';
import { runCli } from './support/run-cli.js';

// A 6-host lab of real OpenSSH servers: 3 director+coordinator, 1 proxy
// (h4, with AllowTcpForwarding no), 2 allocators. Faults are injected with
// nft inside one namespace and removed after each test.
const dir = mkdtempSync(path.join(tmpdir(), 'ecep-sweep-'));
const prefix = 'ecesw';
let lab: LabInfo;
const out = (name: string) => path.join(dir, name);

async function sweep(extra: string[] = [], timeoutMs = 120_000) {
  const json = out(`run-${Date.now()}.json`);
  const run = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--probe-timeout', '700', '--json', json, ...extra], { timeoutMs });
  const result = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as RunResult) : undefined;
  return { ...run, result };
}

/** TCP listeners in a namespace other than sshd's :22 and the registry stand-in's :443. */
async function strayListeners(host: string): Promise<string[]> {
  const r = await labExec(labHost(lab, host), ['ss', '-ltnH']);
  return r.stdout.split('\n').filter((l) => l.trim() && !/:(22|443)\s/.test(l));
}

/** An nft ruleset with one input chain holding `rules`. */
const inputChain = (...rules: string[]) => `table inet t {\n chain input {\n  type filter hook input priority 0;\n  ${rules.join('\n  ')}\n }\n}\n`;

async function nft(host: string, script: string) {
  const r = await labExec(labHost(lab, host), ['nft', '-f', '-'], { stdin: script });
  if (r.code !== 0) throw new Error(`nft on ${host}: ${r.stderr}`);
}

beforeAll(async () => {
  lab = await labUp({
    hosts: 6,
    dir,
    prefix,
    roles: ['director,coordinator', 'director,coordinator', 'director,coordinator', 'proxy', 'allocator', 'allocator'],
    noForwarding: ['h4'],
  });
});

afterAll(async () => {
  await labDown(dir, { prefix });
  rmSync(dir, { recursive: true, force: true });
});

describe('sweep against a lab of real hosts', () => {
  it('passes on an open lab, and leaves no listener behind', async () => {
    const { code, stdout, result } = await sweep();
    expect(code, stdout).toBe(0);
    expect(result!.hosts.map((h) => h.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    const required = probesOf(result!.checks).filter((p) => p.expect === 'open');
    expect(required.length).toBeGreaterThan(100);
    expect(required.filter((p) => p.verdict !== 'ok')).toEqual([]);
    // h4 has AllowTcpForwarding no and is still a probe source
    expect(required.some((p) => p.from === 'h4' && p.verdict === 'ok')).toBe(true);
    // Docker's 2375 is reachable across hosts in an open lab: reported, not fatal
    expect(probesOf(result!.checks).some((p) => p.port === 2375 && p.verdict === 'exposed')).toBe(true);
    for (const h of lab.hosts) expect(await strayListeners(h.name), h.name).toEqual([]);
  });

  it('calls a DROP filtered and a tcp-reset REJECT refused, with hints naming rule and host', async () => {
    await nft('h2', inputChain('tcp dport 2112 drop', 'tcp dport 12300 reject with tcp reset'));
    try {
      const { code, stdout, result } = await sweep();
      expect(code, stdout).toBe(2);
      const to2112 = probesOf(result!.checks).filter((p) => p.to === 'h2' && p.port === 2112);
      expect(to2112.length).toBeGreaterThan(0);
      for (const p of to2112) {
        expect(p.result.outcome, JSON.stringify(p)).toBe('filtered');
        expect(p.verdict).toBe('blocked');
        expect(p.hint).toMatch(/h2/);
        expect(p.hint).toMatch(/2112/);
        expect(p.hint).toMatch(/ZooKeeper/i);
      }
      const to12300 = probesOf(result!.checks).filter((p) => p.to === 'h2' && p.port === 12300);
      expect(to12300.length).toBeGreaterThan(0);
      for (const p of to12300) expect(p.result.outcome).toBe('refused');
      // everything else is untouched
      const others = probesOf(result!.checks).filter((p) => p.expect === 'open' && !(p.to === 'h2' && [2112, 12300].includes(p.port)));
      expect(others.filter((p) => p.verdict !== 'ok')).toEqual([]);
      expect(stdout).toMatch(/h\d -> h2:2112/);
    } finally {
      await labExec(labHost(lab, 'h2'), ['nft', 'flush', 'ruleset']);
    }
  });

  it('reports a host whose sshd is down as unreachable, completes the rest, exits 3', async () => {
    await stopSshd(labHost(lab, 'h6'));
    try {
      const { code, result } = await sweep();
      expect(code).toBe(3);
      const h6 = result!.hosts.find((h) => h.name === 'h6')!;
      expect(h6.state).toBe('unreachable');
      expect(h6.error).toMatch(/h6/);
      expect(result!.hosts.filter((h) => h.name !== 'h6').every((h) => h.state === 'done')).toBe(true);
      expect(probesOf(result!.checks).some((p) => p.to === 'h6' || p.from === 'h6')).toBe(false);
      expect(probesOf(result!.checks).filter((p) => p.expect === 'open' && p.verdict !== 'ok')).toEqual([]);
    } finally {
      await startSshd(labHost(lab, 'h6'));
    }
  });

  it('says INCOMPLETE in every output when a host fails its facts and another is unreachable, naming each with its reason', async () => {
    // h2 accepts the login but its session ends at once (the facts step fails); h6's sshd is down.
    const h2 = labHost(lab, 'h2');
    const config = readFileSync(sshdConfigPath(h2), 'utf8');
    await stopSshd(h2);
    // First line: a Match block at the end of the file would scope a line appended after it.
    writeFileSync(sshdConfigPath(h2), `ForceCommand /bin/false\n${config}`);
    // sshd's own start, not the lab's: the lab's rewrites sshd_config first.
    await startSshdAsConfigured(h2);
    await stopSshd(labHost(lab, 'h6'));
    try {
      const files = { junit: out('partial.xml'), md: out('partial.md'), html: out('partial.html') };
      const { code, stdout, result } = await sweep(['--junit', files.junit, '--report', files.md, '--report', files.html]);
      expect(code, stdout).toBe(3);
      expect(result!.summary.status, stdout).toBe('incomplete');
      expect(result!.summary.hostsNotChecked.map((g) => [g.name, g.state])).toEqual([['h2', 'failed'], ['h6', 'unreachable']]);
      // The JSON opens with the summary.
      expect(Object.keys(JSON.parse(readFileSync(out(readdirSync(dir).filter((f) => f.startsWith('run-')).sort().at(-1)!), 'utf8'))).slice(0, 2)).toEqual(['schema', 'summary']);
      const texts = { stdout, junit: readFileSync(files.junit, 'utf8'), md: readFileSync(files.md, 'utf8'), html: readFileSync(files.html, 'utf8') };
      for (const [name, text] of Object.entries(texts)) {
        expect(text, name).toMatch(/INCOMPLETE: 2 of 6 hosts not checked/);
        expect(text, name).toMatch(/h2: failed \(facts\): /);
        expect(text, name).toMatch(/h6: unreachable: /);
        expect(text, name).not.toMatch(/every required path is open/);
      }
    } finally {
      await restartSshd(h2);
      await startSshd(labHost(lab, 'h6'));
    }
  });

  it('refuses a changed host key under strict checking', async () => {
    const knownHosts = readFileSync(lab.knownHostsFile, 'utf8');
    await regenerateHostKey(labHost(lab, 'h5'));
    await restartSshd(labHost(lab, 'h5'));
    try {
      const { code, stdout, result } = await sweep(['--host-key-checking', 'strict']);
      expect(code).toBe(3);
      const h5 = result!.hosts.find((h) => h.name === 'h5')!;
      expect(h5.state).toBe('unreachable');
      expect(h5.errorKind).toBe('host-key-changed');
      expect(stdout).toMatch(/h5.*CHANGED/i);
    } finally {
      // the lab's known_hosts still has the old key: record the new one
      writeFileSync(lab.knownHostsFile, knownHosts.split('\n').filter((l) => !l.startsWith(labHost(lab, 'h5').address + ' ')).join('\n') + '\n' + `${labHost(lab, 'h5').address} ${readFileSync(path.join(labHost(lab, 'h5').dir, 'ssh_host_ed25519_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    }
  });

  it('never runs inventory values as commands', async () => {
    const marker = `/tmp/ecep-pwned-${process.pid}`;
    const base = readFileSync(lab.inventoryFile, 'utf8');
    // a value that reaches a probe target is refused at the inventory (exit 4)...
    const bad = out('hostile-registry.yml');
    writeFileSync(bad, base.replace(/ece_registry: .*/, `ece_registry: '$(touch ${marker}):443'`));
    const refused = await runCli(['sweep', '-i', bad, '--no-tui'], { timeoutMs: 60_000 });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/hostile-registry\.yml:\d+: host h1: ece_registry/);
    // ...and values that only travel along never reach a shell
    const carried = out('hostile-vars.yml');
    writeFileSync(carried, base.replace(/(ece_registry: .*)/, `$1\n    ece_zone: '\`touch ${marker}\`; touch ${marker}'\n    ece_version: '$(touch ${marker})'`));
    const run = await runCli(['sweep', '-i', carried, '--no-tui', '--probe-timeout', '500', '--limit', 'h1:h4'], { timeoutMs: 60_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('removes every listener when interrupted during the probe phase (exit 99)', async () => {
    // a DROP makes the probe phase last long enough to interrupt it
    await nft('h1', inputChain('tcp dport 18000-23999 drop'));
    try {
      let sent = false;
      const run = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--probe-timeout', '3000'], {
        timeoutMs: 60_000,
        onStdout: (_c, child) => {
          if (!sent && /TASK \[Probe the ECE port matrix\]/.test(_c)) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 300);
          }
        },
      });
      expect(sent, run.stdout).toBe(true);
      expect(run.code, run.stdout + run.stderr).toBe(99);
      for (const h of lab.hosts) expect(await strayListeners(h.name), h.name).toEqual([]);
    } finally {
      await labExec(labHost(lab, 'h1'), ['nft', 'flush', 'ruleset']);
    }
  });
});
