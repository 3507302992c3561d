import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { probesOf } from '../../src/engine/check-record.js';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import { HostUnreachableError } from '../../src/errors.js';
import { labDown, labExec, labHost, labUp, type LabHost, type LabInfo } from '../../src/lab/lab.js';
import { bareHost, type FleetHost } from '../../src/model/fleet.js';
import { SshConnection, type SshOptions } from '../../src/transport/ssh.js';
import { runCli } from './support/run-cli.js';

// Hosts as OpenSSH and ECE see them, on a 3-host lab whose hosts also have
// eth1 on a data network (198.18.0.128/25, a second bridge; the controller is
// 198.18.0.129 there). SSH stays on 198.18.0.0/24 (sshd listens on eth0 only).
const PREFIX = 'ecesc';
const DIR = mkdtempSync(path.join(os.tmpdir(), 'ecep-sshcfg-'));
let info: LabInfo;
const open: SshConnection[] = [];

/** An inventory host known only by its name: everything else from ssh_config. */
function aliasHost(h: LabHost, over: Partial<FleetHost> = {}): FleetHost {
  return bareHost(h.name, h.name, { roles: h.roles, registry: { host: info.hosts[0]!.address, port: 443 }, ...over });
}

function conn(host: FleetHost, opts: SshOptions): SshConnection {
  const c = new SshConnection(host, { agentSocket: null, connectTimeoutMs: 5000, ...opts });
  open.push(c);
  return c;
}

/** Source address of this session as the host sees it (SSH_CONNECTION's first word). */
async function seenFrom(c: SshConnection): Promise<string> {
  const r = await c.exec('echo $SSH_CONNECTION');
  return r.stdout.split(' ')[0] ?? '';
}

async function nft(host: string, script: string): Promise<void> {
  const r = await labExec(labHost(info, host), ['nft', '-f', '-'], { stdin: script });
  if (r.code !== 0) throw new Error(`nft on ${host}: ${r.stderr}`);
}

/** The lab inventory with extra vars per host, written beside it. */
function inventoryWith(name: string, vars: Record<string, Record<string, unknown>>): string {
  const doc = yaml.load(readFileSync(info.inventoryFile, 'utf8')) as { all: { hosts: Record<string, Record<string, unknown>> } };
  for (const [h, v] of Object.entries(vars)) Object.assign(doc.all.hosts[h]!, v);
  const file = path.join(DIR, name);
  writeFileSync(file, yaml.dump(doc));
  return file;
}

async function sweep(inventory: string, extra: string[] = []) {
  const json = path.join(DIR, `run-${Date.now()}.json`);
  const run = await runCli(['sweep', '-i', inventory, '--no-tui', '--probe-timeout', '700', '--skip', 'outbound', '--json', json, ...extra], { timeoutMs: 120_000 });
  const result = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as RunResult) : undefined;
  return { ...run, result };
}

beforeAll(async () => {
  info = await labUp({ hosts: 3, prefix: PREFIX, dir: DIR, roles: ['director,coordinator', 'proxy', 'allocator'], dataNet: ['h1', 'h2', 'h3'] });
});

afterAll(async () => {
  for (const c of open) await c.close();
  await labDown(DIR);
  rmSync(DIR, { recursive: true, force: true });
});

describe('ssh_config as OpenSSH reads it', () => {
  it('reaches a host through an Included config file', async () => {
    const main = path.join(DIR, 'main.conf');
    writeFileSync(main, `# the lab's Host blocks come through an Include\nInclude ${info.sshConfigFile}\n`);
    const c = conn(aliasHost(labHost(info, 'h2')), { sshConfigFile: main });
    const r = await c.exec('ip -4 -o addr show dev eth0');
    expect(r.stdout).toContain('inet 198.18.0.12/24');
    expect(c.resolve()).toMatchObject({ hostname: '198.18.0.12', user: 'root', resolvedBy: 'ssh -G' });
  });

  it('follows -F inside ansible_ssh_common_args (user, key, known_hosts from that file)', async () => {
    const c = conn(aliasHost(labHost(info, 'h3'), { sshCommonArgs: `-F ${info.sshConfigFile}` }), { sshConfigFile: null });
    expect(await seenFrom(c)).toBe('198.18.0.1');
    expect(c.resolve()).toMatchObject({ hostname: '198.18.0.13', configFile: info.sshConfigFile });
  });

  it('runs a ProxyCommand that is not ssh -W, its stdio as the connection', async () => {
    // A wrapper around ssh -W: not a plain `ssh -W`, so it runs as OpenSSH runs it (sh -c).
    const proxy = `sh -c 'exec ssh -F ${info.sshConfigFile} -o BatchMode=yes -W %h:%p h1'`;
    const c = conn(aliasHost(labHost(info, 'h3'), { sshCommonArgs: `-F ${info.sshConfigFile} -o "ProxyCommand=${proxy}"` }), { sshConfigFile: null });
    expect(c.resolve().proxyCommand).toBe(`sh -c 'exec ssh -F ${info.sshConfigFile} -o BatchMode=yes -W 198.18.0.13:22 h1'`);
    // h3 sees the session come from h1, the proxy's far end.
    expect(await seenFrom(c)).toBe('198.18.0.11');
  });

  it('a ProxyCommand that fails fails the host in one line, never a direct connection', async () => {
    const c = conn(aliasHost(labHost(info, 'h3'), { sshCommonArgs: `-F ${info.sshConfigFile} -o "ProxyCommand=sh -c 'echo no way through >&2; exit 3'"` }), { sshConfigFile: null });
    let err: unknown;
    try {
      await c.connect();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect((err as Error).message).toMatch(/^h3: cannot reach root@198\.18\.0\.13:22: ProxyCommand .* exited with code 3: no way through$/);
    expect((err as Error).message).not.toMatch(/\n/);
  });

  it('plan shows the SSH target after ssh_config and the probe address', async () => {
    const inv = path.join(DIR, 'alias.ini');
    writeFileSync(inv, `[allocators]\nh2 ansible_ssh_common_args='-F ${info.sshConfigFile}'\n`);
    const r = await runCli(['plan', '-i', inv]);
    expect(r.code, r.stderr).toBe(0);
    // No ansible_host: other hosts probe the HostName ssh_config gives the alias.
    expect(r.stdout).toMatch(/h2\s+198\.18\.0\.12 \(ssh_config\)\s+root@198\.18\.0\.12:22/);
  });
});

describe('ece_host_ip: ECE on the data network, SSH on the management one', () => {
  it('probes go to ece_host_ip; a DROP on that interface only is found while SSH still works', async () => {
    const inv = inventoryWith('data.yml', { h2: { ece_host_ip: labHost(info, 'h2').dataAddress } });
    const open = await sweep(inv);
    const bad = probesOf(open.result?.checks ?? []).filter((p) => p.verdict === 'blocked' || p.verdict === 'error') ?? [];
    expect(open.code, JSON.stringify(bad, null, 1) + open.stderr).toBe(0);
    const h2 = open.result!.hosts.find((h) => h.name === 'h2')!;
    expect(h2).toMatchObject({ address: '198.18.0.131', addressSource: 'ece_host_ip', ssh: 'root@198.18.0.12:22' });
    const toH2 = probesOf(open.result!.checks).filter((p) => p.to === 'h2');
    expect(toH2.length).toBeGreaterThan(0);
    // Every ECE path to h2 goes to its data address; the controller's SSH check goes where SSH goes.
    expect(new Set(toH2.filter((p) => p.port !== 22).map((p) => p.address))).toEqual(new Set(['198.18.0.131']));
    expect(toH2.filter((p) => p.port === 22).map((p) => p.address)).toEqual(['198.18.0.12']);

    await nft('h2', 'table inet datadrop {\n chain input {\n  type filter hook input priority 0;\n  iifname "eth1" drop\n }\n}\n');
    try {
      const dropped = await sweep(inv);
      expect(dropped.code, dropped.stdout).toBe(2);
      const h2After = dropped.result!.hosts.find((h) => h.name === 'h2')!;
      expect(h2After.state).toBe('done'); // SSH on eth0 still works
      // From h2 itself the packets never cross eth1 (the kernel routes its own address over lo).
      const required = probesOf(dropped.result!.checks).filter((p) => p.to === 'h2' && p.from !== 'h2' && p.expect === 'open' && p.port !== 22);
      expect(required.length).toBeGreaterThan(0);
      for (const p of required) expect(p.result.outcome, JSON.stringify(p)).toBe('filtered');
      // Nothing else is blocked: the other hosts are probed on their own addresses.
      expect(probesOf(dropped.result!.checks).filter((p) => p.to !== 'h2' && p.verdict === 'blocked')).toEqual([]);
    } finally {
      await nft('h2', 'delete table inet datadrop\n');
    }
  });

  it('an ece_host_ip the host does not have fails that host in one line, before any probe', async () => {
    const inv = inventoryWith('wrong-ip.yml', { h3: { ece_host_ip: '198.18.0.200' } });
    const r = await sweep(inv);
    expect(r.code, r.stdout).toBe(2);
    const h3 = r.result!.hosts.find((h) => h.name === 'h3')!;
    expect(h3.state).toBe('failed');
    expect(h3.error).toMatch(/^ece_host_ip 198\.18\.0\.200 is not an address of h3 \(it has 198\.18\.0\.13, 198\.18\.0\.132\)/);
    expect(probesOf(r.result!.checks).filter((p) => p.from === 'h3' || p.to === 'h3')).toEqual([]);
  });
});
