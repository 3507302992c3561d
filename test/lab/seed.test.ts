import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probesOf } from '../../src/engine/check-record.js';
import type { RunResult } from '../../src/engine/result.js';
import yaml from 'js-yaml';
import { labExec, labHost, labHostName } from '../../src/lab/lab.js';
import { renderEtcHosts, renderResolvConf } from '../../src/lab/lab-files.js';
import { BIN, runCli, type CliRun } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// The rest of the seed against real hosts: exposures beyond 2375, IPv6 on
// proxies, installer preconditions, names a host cannot resolve. 4 hosts: a
// director+coordinator, a proxy, two allocators (h1 is the first host and
// holds all four), with lab-only IPv6 (fd00:198:18::/64) and each host's own
// /etc/hosts (hN.ecesd.test) and resolv.conf (no nameserver: nothing leaves).
const prefix = 'ecesd';
const used = useLab({ hosts: 4, prefix, roles: ['director,coordinator', 'proxy', 'allocator', 'allocator'], ipv6: true, resolver: ['h1', 'h2', 'h3', 'h4'] });
const dir = used.dir;

async function sweep(extra: string[] = [], timeoutMs = 120_000) {
  const { lab } = used;
  const json = path.join(dir, `run-${Date.now()}.json`);
  const run = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--probe-timeout', '700', '--json', json, ...extra], { timeoutMs });
  const result = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as RunResult) : undefined;
  return { ...run, result };
}

/** A stray TCP listener on `port` inside a lab host (something else answering there); returns its pid. */
async function strayListener(host: string, port: number): Promise<number> {
  const { lab } = used;
  const py = `import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',${port}))\ns.listen(16)\nwhile True:\n  c,_=s.accept()\n  c.close()\n`;
  const r = await labExec(labHost(lab, host), ['sh', '-c', 'python3 -c "$1" </dev/null >/dev/null 2>&1 & echo $!', 'sh', py]);
  const pid = Number(r.stdout.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`stray listener on ${host}: ${r.stdout} ${r.stderr}`);
  for (let i = 0; i < 50; i++) {
    const ss = await labExec(labHost(lab, host), ['ss', '-ltnH', `sport = :${port}`]);
    if (ss.stdout.trim()) return pid;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`stray listener on ${host}:${port} did not come up`);
}

describe('exposure beyond 2375 (container-only ports)', () => {
  it('a stray listener on 8080 is reported exposed from another host; nothing else of those ports answers', async () => {
    const { lab } = used;
    const pid = await strayListener('h3', 8080);
    try {
      const { code, stdout, stderr, result } = await sweep();
      expect(code, stdout + stderr).toBe(0); // exposures warn unless --fail-on-exposed
      const co = probesOf(result!.checks).filter((p) => p.rules.includes('container-only'));
      expect(co.length).toBeGreaterThan(0);
      const exposed = co.filter((p) => p.verdict === 'exposed');
      expect(exposed.map((p) => `${p.from}>${p.to}:${p.port}`)).toEqual(['h4>h3:8080']);
      expect(exposed[0]!.hint).toMatch(/h3.*8080|8080.*h3/);
      expect(exposed[0]!.hint).toMatch(/container-only/);
      // Nothing of ours listened there: every other container-only port was refused (ok for expect closed).
      for (const p of co.filter((x) => x.verdict !== 'exposed')) expect(p.result.outcome, p.id).toBe('refused');
      expect(result!.summary.exposures).toBeGreaterThanOrEqual(1);
      // The sweep never binds a container-only port.
      for (const h of result!.hosts) for (const port of [53, 2180, 5000, 8080, 9000]) expect(h.listeners?.bound ?? [], h.name).not.toContain(port);
    } finally {
      await labExec(labHost(lab, 'h3'), ['kill', String(pid)]);
    }
  });

  it('--skip container-only turns the check off', async () => {
    const { code, result } = await sweep(['--skip', 'container-only']);
    expect(code).toBe(0);
    expect(probesOf(result!.checks).filter((p) => p.rules.includes('container-only'))).toEqual([]);
  });
});

describe('IPv6 on proxies (ECE 2.4.0/2.4.1)', () => {
  const setIpv6 = async (host: string, disabled: boolean) => {
    const { lab } = used;
    const r = await labExec(labHost(lab, host), ['sysctl', '-w', `net.ipv6.conf.all.disable_ipv6=${disabled ? 1 : 0}`]);
    if (r.code !== 0) throw new Error(`sysctl on ${host}: ${r.stderr}`);
  };

  it('proxies are probed over IPv6 where both ends have it (lab ULA addresses), and those paths pass', async () => {
    const { lab } = used;
    const { code, stdout, result } = await sweep(['-e', 'ece_version=2.4.1']);
    expect(code, stdout).toBe(0);
    for (const h of lab.hosts) expect(result!.hosts.find((x) => x.name === h.name)!.facts?.ipv6, h.name).toEqual({ enabled: true, addresses: [h.address6] });
    const v6 = probesOf(result!.checks).filter((c) => c.family === 'ipv6');
    // h1 (the first host: all four roles) and h2 are the proxies; the hosts whose roles reach a proxy port probe them over IPv6 too
    // (h2, a proxy only, has no rule to a proxy port of h1).
    expect([...new Set(v6.map((c) => `${c.from}>${c.to}`))].sort()).toEqual(['h1>h2', 'h3>h1', 'h3>h2', 'h4>h1', 'h4>h2']);
    for (const c of v6) {
      expect(c.address, c.id).toBe(labHost(lab, c.to).address6);
      expect(c.id.endsWith('/ipv6')).toBe(true);
      expect([c.id, c.result.outcome, c.verdict]).toEqual([c.id, 'open', 'ok']);
    }
    expect((result!.hostChecks ?? []).filter((c) => c.status !== 'pass' && c.id === 'proxy-ipv6')).toEqual([]);
  });

  it('a proxy with IPv6 disabled fails on 2.4.1, passes on 2.4.2; a non-proxy with IPv6 off is not flagged', async () => {
    await setIpv6('h2', true);
    await setIpv6('h3', true);
    try {
      const old = await sweep(['-e', 'ece_version=2.4.1']);
      expect(old.code, old.stdout).toBe(2);
      expect(old.result!.summary.status).toBe('failed');
      expect(old.result!.summary.hostChecks?.failed).toBe(1);
      const bad = old.result!.hostChecks!.filter((c) => c.status === 'fail');
      expect(bad.map((c) => `${c.host} ${c.id}`)).toEqual(['h2 proxy-ipv6']);
      expect(old.stdout).toMatch(/h2 proxy-ipv6: fail: IPv6 is disabled/);
      expect(old.result!.hostChecks!.some((c) => c.host === 'h3')).toBe(false);
      expect(old.result!.hosts.find((h) => h.name === 'h2')!.facts?.ipv6).toEqual({ enabled: false });
      // No IPv6 path to or from a host without IPv6; the others still are probed over it.
      const v6 = probesOf(old.result!.checks).filter((c) => c.family === 'ipv6');
      expect([...new Set(v6.map((c) => `${c.from}>${c.to}`))].sort()).toEqual(['h4>h1']);
      expect(v6.every((c) => c.verdict === 'ok')).toBe(true);
      // The paths were still probed: the failure is the host check's alone.
      expect(old.result!.summary.failures).toBe(0);

      const fixed = await sweep(['-e', 'ece_version=2.4.2']);
      expect(fixed.code, fixed.stdout).toBe(0);
      expect((fixed.result!.hostChecks ?? []).filter((c) => c.status === 'fail')).toEqual([]);

      const unknown = await sweep();
      expect(unknown.code, unknown.stdout).toBe(0);
      const warn = unknown.result!.hostChecks!.find((c) => c.host === 'h2' && c.id === 'proxy-ipv6');
      expect(warn).toMatchObject({ status: 'warn' });
      expect(warn!.message).toMatch(/ece_version is not set/);
    } finally {
      await setIpv6('h2', false);
      await setIpv6('h3', false);
    }
  });
});

/**
 * The CLI in a mount namespace of its own whose /etc/hosts names the lab
 * hosts and whose resolv.conf has no nameserver but loopback: the controller
 * resolves hN.ecesd.test as the hosts do, and no name query leaves this
 * machine whatever the test gets wrong.
 */
function runCliWithLabNames(args: string[], timeoutMs = 120_000): Promise<CliRun> {
  const { lab } = used;
  const hostsFile = path.join(dir, 'controller-hosts');
  const resolvFile = path.join(dir, 'controller-resolv.conf');
  writeFileSync(hostsFile, renderEtcHosts(lab, { name: 'controller' }, lab.hosts));
  writeFileSync(resolvFile, renderResolvConf({ name: 'controller' }));
  const script = 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"';
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', hostsFile, resolvFile, process.execPath, BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ece-preflight ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a destination name a source host cannot resolve', () => {
  it('is unresolved, from that host only, naming the name and the host; a failure of the check', async () => {
    const { lab } = used;
    const name = labHostName(lab, { name: 'h2' });
    // h2 is known by its name only (no address in the inventory): what other hosts must resolve.
    const inv = yaml.load(readFileSync(lab.inventoryFile, 'utf8')) as { all: { vars: Record<string, unknown>; hosts: Record<string, Record<string, unknown>> } };
    inv.all.hosts.h2!.ansible_host = name;
    // The registry by name too (h1's stand-in): every host resolves it, but h4 is pointed at a name nobody has.
    inv.all.vars.ece_registry = `${labHostName(lab, { name: 'h1' })}:443`;
    inv.all.hosts.h4!.ece_registry = `registry.${prefix}.test:443`;
    // The install script's host too (it would default to download.elastic.co): the same endpoints, merged into one check each.
    inv.all.vars.ece_install_script_host = inv.all.vars.ece_registry;
    inv.all.hosts.h4!.ece_install_script_host = inv.all.hosts.h4!.ece_registry;
    const known = path.join(dir, 'known_hosts_names');
    writeFileSync(known, readFileSync(lab.knownHostsFile, 'utf8') + `${name} ${labHost(lab, 'h2').hostKey.split(/\s+/).slice(0, 2).join(' ')}\n`);
    inv.all.vars.ansible_ssh_common_args = `-o UserKnownHostsFile=${known} -o StrictHostKeyChecking=yes`;
    const invFile = path.join(dir, 'inventory-names.yml');
    writeFileSync(invFile, yaml.dump(inv));
    // h3 lacks the name: its /etc/hosts without h2's lines (rewritten in place: the bind mount follows).
    const h3Hosts = labHost(lab, 'h3').hostsFile!;
    const before = readFileSync(h3Hosts, 'utf8');
    writeFileSync(h3Hosts, before.split('\n').filter((l) => !l.endsWith(` ${name}`)).join('\n'));
    try {
      const probe = await labExec(labHost(lab, 'h3'), ['getent', 'hosts', name]);
      expect(probe.code, 'h3 must not resolve the name').not.toBe(0);
      const json = path.join(dir, `run-names-${Date.now()}.json`);
      const run = await runCliWithLabNames(['sweep', '-i', invFile, '--no-tui', '--probe-timeout', '700', '--json', json]);
      const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(result.summary.status).toBe('failed');
      expect(result.hosts.find((h) => h.name === 'h2')!.address).toBe(name);
      const unresolved = probesOf(result.checks).filter((c) => c.result.outcome === 'unresolved');
      const h3ToH2 = probesOf(result.checks).filter((c) => c.from === 'h3' && c.to === 'h2' && !c.family);
      expect(h3ToH2.length).toBeGreaterThan(0);
      expect(unresolved.map((c) => c.id).sort()).toEqual(h3ToH2.map((c) => c.id).sort());
      for (const c of unresolved) {
        expect(c).toMatchObject({ from: 'h3', to: 'h2', address: name, verdict: 'error' });
        expect(c.result.detail).toMatch(/^EAI_/);
        expect(c.hint).toMatch(new RegExp(`^h3 cannot resolve h2's address ${name.replace(/\./g, '\\.')} \\((no such name|no answer from its resolver)\\)`));
      }
      // Everyone else resolved it and connected (by name; over IPv6 by address): h2's paths are fine apart from h3's.
      const others = probesOf(result.checks).filter((c) => c.to === 'h2' && c.from !== 'h3' && !c.family);
      expect(others.length).toBeGreaterThan(0);
      for (const c of others) expect([c.id, c.address, c.verdict]).toEqual([c.id, name, 'ok']);
      // Outbound: by name where it resolves; h4's registry name does not resolve there: its own outcome, hint on h4's resolver.
      const outbound = result.checks.filter((c) => c.kind === 'outbound');
      expect(outbound.map((c) => [c.from, c.address, c.result.outcome]).sort()).toEqual([
        ['h1', `h1.${prefix}.test`, 'open'],
        ['h2', `h1.${prefix}.test`, 'open'],
        ['h3', `h1.${prefix}.test`, 'open'],
        ['h4', `registry.${prefix}.test`, 'unresolved'],
      ]);
      expect(outbound.find((c) => c.from === 'h4')!.hint).toMatch(new RegExp(`^h4 cannot resolve registry\\.${prefix}\\.test .*fix h4's DNS`));
      const all = unresolved.length + 1;
      expect(result.totals.unresolved).toBe(all);
      expect(result.summary.failures).toBe(all);
      expect(run.stdout).toContain(`(${all} with an unresolved name)`);
      expect(run.stdout).toMatch(/ERROR h3 -> h2:\d+ unresolved .* hint: h3 cannot resolve h2's address/);
      expect(run.stdout).not.toMatch(/python3/);
    } finally {
      writeFileSync(h3Hosts, before);
    }
  });
});

describe('--bandwidth between zones', () => {
  /** The lab inventory with zones: dc1 = h1, h2; dc2 = h3, h4. */
  const zonedInventory = (): string => {
    const { lab } = used;
    const inv = yaml.load(readFileSync(lab.inventoryFile, 'utf8')) as { all: { hosts: Record<string, Record<string, unknown>> } };
    for (const [name, vars] of Object.entries(inv.all.hosts)) vars.ece_zone = name === 'h1' || name === 'h2' ? 'dc1' : 'dc2';
    const file = path.join(dir, 'inventory-zones.yml');
    writeFileSync(file, yaml.dump(inv));
    return file;
  };
  const bandwidthChecks = (r: RunResult) => (r.hostChecks ?? []).filter((c) => c.id === 'multi-dc-bandwidth');
  const gbit = (message: string): number => Number(/: ([\d.]+) Gbit\/s over one TCP stream/.exec(message)?.[1] ?? NaN);

  it('one pair for the two zones: an HTB cap on the receiver makes the figure low and flagged; --skip bandwidth and no --bandwidth say so', async () => {
    const { lab } = used;
    const inv = zonedInventory();
    const run = async (extra: string[]) => {
      const json = path.join(dir, `run-bw-${Date.now()}.json`);
      const r = await runCli(['sweep', '-i', inv, '--no-tui', '--probe-timeout', '700', '--skip', 'container-only', '--json', json, ...extra]);
      return { ...r, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
    };
    const veth = labHost(lab, 'h3').veth;
    // Traffic into h3 leaves the bridge through its veth: cap it at 100 Mbit/s.
    const tc = async (args: string[]) => {
      const { execFileSync } = await import('node:child_process');
      execFileSync('tc', args, { stdio: 'pipe' });
    };
    await tc(['qdisc', 'add', 'dev', veth, 'root', 'handle', '1:', 'htb', 'default', '10']);
    await tc(['class', 'add', 'dev', veth, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '100mbit', 'ceil', '100mbit', 'quantum', '1514']);
    let capped: number;
    try {
      const slow = await run(['--bandwidth', '-e', 'ece_bandwidth_seconds=1']);
      expect(slow.code, slow.stdout + slow.stderr).toBe(0); // under 10 Gbit/s warns; it does not fail the run
      const bw = bandwidthChecks(slow.result);
      expect(bw.map((c) => [c.host, c.status])).toEqual([['h1', 'warn']]);
      expect(bw[0]!.message).toMatch(/^h1 \(dc1\) -> h3 \(dc2\) 198\.18\.0\.13:\d+: /);
      expect(bw[0]!.message).toMatch(/under the 10 Gbit\/s/);
      capped = gbit(bw[0]!.message);
      expect(capped).toBeGreaterThan(0.03);
      expect(capped).toBeLessThan(0.15);
      expect(slow.stdout).toMatch(/host check: h1 multi-dc-bandwidth: warn: h1 \(dc1\) -> h3 \(dc2\)/);
      expect(slow.stdout).toMatch(/TASK \[Measure bandwidth between zones \(--bandwidth\)\]/);
    } finally {
      await tc(['qdisc', 'del', 'dev', veth, 'root']);
    }
    // Uncapped, the same pair: a figure well above the capped one (pass or not depends on this machine).
    const fast = await run(['--bandwidth', '-e', 'ece_bandwidth_seconds=1', '-e', 'ece_bandwidth_mb=256']);
    const free = bandwidthChecks(fast.result);
    expect(free.map((c) => c.host)).toEqual(['h1']);
    expect(gbit(free[0]!.message)).toBeGreaterThan(5 * capped);

    const skipped = await run(['--bandwidth', '--skip', 'bandwidth']);
    expect(bandwidthChecks(skipped.result)).toEqual([]);
    const off = await run([]);
    expect(bandwidthChecks(off.result)).toEqual([expect.objectContaining({ status: 'not-checked', message: expect.stringMatching(/not measured \(a bounded transfer per pair of zones with --bandwidth/) })]);
    expect(off.stdout).toMatch(/skipping: \[h1\]/);
  });
});
