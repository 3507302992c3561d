import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probesOf } from '../../src/engine/check-record.js';
import type { RunResult } from '../../src/engine/result.js';
import { labDown, labExec, labHost, labUp, type LabInfo } from '../../src/lab/lab.js';
import { runCli } from './support/run-cli.js';

// The rest of the seed against real hosts: exposures beyond 2375, IPv6 on
// proxies, installer preconditions. 4 hosts: a director+coordinator, a
// proxy, two allocators (h1 is the first host and holds all four).
const dir = mkdtempSync(path.join(tmpdir(), 'ecep-seed-'));
const prefix = 'ecesd';
let lab: LabInfo;

async function sweep(extra: string[] = [], timeoutMs = 120_000) {
  const json = path.join(dir, `run-${Date.now()}.json`);
  const run = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--probe-timeout', '700', '--json', json, ...extra], { timeoutMs });
  const result = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as RunResult) : undefined;
  return { ...run, result };
}

/** A stray TCP listener on `port` inside a lab host (something else answering there); returns its pid. */
async function strayListener(host: string, port: number): Promise<number> {
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

beforeAll(async () => {
  lab = await labUp({ hosts: 4, dir, prefix, roles: ['director,coordinator', 'proxy', 'allocator', 'allocator'] });
});

afterAll(async () => {
  await labDown(dir, { prefix });
  rmSync(dir, { recursive: true, force: true });
});

describe('exposure beyond 2375 (container-only ports)', () => {
  it('a stray listener on 8080 is reported exposed from another host; nothing else of those ports answers', async () => {
    const pid = await strayListener('h3', 8080);
    try {
      const { code, stdout, result } = await sweep();
      expect(code, stdout).toBe(0); // exposures warn unless --fail-on-exposed
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
    const r = await labExec(labHost(lab, host), ['sysctl', '-w', `net.ipv6.conf.all.disable_ipv6=${disabled ? 1 : 0}`]);
    if (r.code !== 0) throw new Error(`sysctl on ${host}: ${r.stderr}`);
  };

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
      expect(old.result!.hosts.find((h) => h.name === 'h2')!.facts?.ipv6?.enabled).toBe(false);
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
