import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignRoles,
  labDown,
  labExec,
  labHost,
  labStatus,
  labUp,
  setForwarding,
  startSshd,
  stopSshd,
  type LabInfo,
} from '../../src/lab/lab.js';
import { tcpOpen } from '../../src/lab/sshd.js';
import { isAlive } from '../../src/lab/netns.js';

const PREFIX = 'ecet1';
const DIR = path.join(os.tmpdir(), `ecep-lab-test-${process.pid}`);

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
}

function sshOpenssh(info: LabInfo, host: string, command: string): string {
  return sh('ssh', ['-F', info.sshConfigFile, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', host, command]);
}

describe('assignRoles', () => {
  it('gives one host all roles and spreads bigger labs', () => {
    expect(assignRoles(1)).toEqual([['director', 'coordinator', 'proxy', 'allocator']]);
    expect(assignRoles(3)).toEqual([['director', 'coordinator'], ['proxy'], ['allocator']]);
    const fifty = assignRoles(50);
    expect(fifty.filter((r) => r.includes('coordinator'))).toHaveLength(3);
    expect(fifty.filter((r) => r.includes('proxy')).length).toBeGreaterThan(10);
    expect(fifty.filter((r) => r.includes('allocator')).length).toBeGreaterThan(25);
  });
  it('takes an explicit spread and rejects unknown roles', () => {
    expect(assignRoles(3, ['director,coordinator', 'proxy'])).toEqual([['director', 'coordinator'], ['proxy'], ['allocator']]);
    expect(() => assignRoles(1, ['director,wizard'])).toThrow(/unknown role wizard/);
  });
});

describe('lab', () => {
  let info: LabInfo;
  let pids: number[] = [];

  beforeAll(async () => {
    info = await labUp({ hosts: 3, prefix: PREFIX, dir: DIR, roles: ['director,coordinator', 'proxy', 'allocator'] });
    pids = info.hosts.map((h) => h.sshdPid ?? 0);
  });

  afterAll(async () => {
    await labDown(DIR);
  });

  it('writes keys, known_hosts, ssh_config, inventory and lab.json', () => {
    for (const f of ['id_ed25519', 'id_ed25519.pub', 'known_hosts', 'ssh_config', 'inventory.yml', 'lab.json']) {
      expect(existsSync(path.join(DIR, f)), f).toBe(true);
    }
    const kh = readFileSync(info.knownHostsFile, 'utf8');
    expect(kh).toMatch(/^198\.18\.0\.11 ssh-ed25519 /m);
    const inv = readFileSync(info.inventoryFile, 'utf8');
    expect(inv).toContain('ansible_host: 198.18.0.13');
    expect(inv).toContain(`UserKnownHostsFile=${info.knownHostsFile}`);
    expect(inv).toContain('ece_registry: 198.18.0.11:443');
    expect(info.hosts.map((h) => h.roles)).toEqual([['director', 'coordinator'], ['proxy'], ['allocator']]);
  });

  it('gives each namespace its own address, lo up and no default route', async () => {
    for (const h of info.hosts) {
      const addr = await labExec(h, 'ip -4 -o addr show');
      expect(addr.stdout).toContain(`inet ${h.address}/24`);
      expect(addr.stdout).toContain('inet 127.0.0.1/8');
      const routes = await labExec(h, ['ip', 'route', 'show', 'default']);
      expect(routes.stdout.trim()).toBe('');
      const nft = await labExec(h, ['nft', 'list', 'ruleset']);
      expect(nft.stdout.trim()).toBe('');
    }
  });

  it('runs a real sshd per host that OpenSSH reaches with the lab files', () => {
    for (const h of info.hosts) {
      const out = sshOpenssh(info, h.name, 'ip -4 -o addr show dev eth0');
      expect(out).toContain(h.address);
    }
  });

  it('hosts reach each other across the bridge', async () => {
    const h1 = labHost(info, 'h1');
    // bash's /dev/tcp: a TCP connect from h1 to h2's sshd.
    const res = await labExec(h1, ['bash', '-c', 'exec 3<>/dev/tcp/198.18.0.12/22 && head -c 7 <&3']);
    expect(res.stdout).toBe('SSH-2.0');
  });

  it('stops and starts one sshd, and toggles forwarding', async () => {
    const h2 = labHost(info, 'h2');
    await stopSshd(h2);
    expect(await tcpOpen(h2.address, 22)).toBe(false);
    await startSshd(h2);
    expect(await tcpOpen(h2.address, 22)).toBe(true);
    await setForwarding(h2, false);
    expect(readFileSync(path.join(h2.dir, 'sshd_config'), 'utf8')).toContain('AllowTcpForwarding no');
    expect(await tcpOpen(h2.address, 22)).toBe(true);
    await setForwarding(h2, true);
    pids = info.hosts.map((h) => h.sshdPid ?? 0);
    const st = await labStatus(DIR);
    expect(st.up).toBe(true);
    expect(st.hosts.every((h) => h.sshdRunning)).toBe(true);
  });

  it('labDown removes namespaces, veths, bridge, processes and files', async () => {
    // Leave a session process running inside h3: labDown must end it too.
    const h3 = labHost(info, 'h3');
    sh('ssh', ['-F', info.sshConfigFile, '-o', 'BatchMode=yes', '-f', 'h3', 'sleep 600 </dev/null >/dev/null 2>&1 &']);
    const inNs = sh('ip', ['netns', 'pids', h3.namespace]).trim().split('\n').map(Number);
    expect(inNs.length).toBeGreaterThan(1);

    await labDown(DIR);
    const ns = sh('ip', ['netns', 'list']);
    expect(ns).not.toContain(`${PREFIX}-`);
    const links = sh('ip', ['-o', 'link', 'show']);
    expect(links).not.toContain(`${PREFIX}-`);
    for (const p of [...pids, ...inNs]) expect(isAlive(p), `pid ${p}`).toBe(false);
    expect(existsSync(path.join(DIR, 'lab.json'))).toBe(false);
    expect((await labStatus(DIR)).up).toBe(false);
  });
});
