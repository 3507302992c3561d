import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostUnreachableError } from '../../src/errors.js';
import {
  labDown,
  labExec,
  labHost,
  labPidAlive,
  labUp,
  regenerateHostKey,
  setForwarding,
  startSshd,
  stopSshd,
  trustHostKey,
  type LabHost,
  type LabInfo,
} from '../../src/lab/lab.js';
import { sleep } from '../../src/lab/netns.js';
import { bareHost, type FleetHost } from '../../src/model/fleet.js';
import { SshConnection, type SshOptions } from '../../src/transport/ssh.js';
import { JumpPool } from '../../src/transport/jump-pool.js';
import { logFilePath } from '../../src/lab/sshd.js';

const PREFIX = 'ecet2';
const DIR = path.join(os.tmpdir(), `ecep-ssh-test-${process.pid}`);
let info: LabInfo;
let scratch: string;
const open: SshConnection[] = [];

function fleetHost(h: LabHost, over: Partial<FleetHost> = {}): FleetHost {
  return bareHost(h.name, h.address, {
    user: 'root',
    privateKeyFile: info.keyFile,
    sshCommonArgs: `-o UserKnownHostsFile=${info.knownHostsFile}`,
    roles: h.roles,
    registry: { host: info.hosts[0]!.address, port: 443 },
    ...over,
  });
}

/** Isolated from the machine's ~/.ssh and agent. */
function conn(h: LabHost, over: Partial<FleetHost> = {}, opts: SshOptions = {}): SshConnection {
  const c = new SshConnection(fleetHost(h, over), { sshConfigFile: null, agentSocket: null, connectTimeoutMs: 5000, ...opts });
  open.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<HostUnreachableError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HostUnreachableError);
    return e as HostUnreachableError;
  }
  throw new Error('expected a HostUnreachableError');
}

beforeAll(async () => {
  info = await labUp({ hosts: 3, prefix: PREFIX, dir: DIR });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'ecep-ssh-scratch-'));
});

afterAll(async () => {
  for (const c of open) await c.close();
  await labDown(DIR);
  rmSync(scratch, { recursive: true, force: true });
});

describe('SshConnection on lab hosts', () => {
  it('runs commands on each host, in its own namespace', async () => {
    for (const h of info.hosts) {
      const c = conn(h);
      const res = await c.exec('ip -4 -o addr show dev eth0');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`inet ${h.address}/24`);
    }
  });

  it('passes stdin, exit codes and stderr; times out', async () => {
    const c = conn(labHost(info, 'h1'));
    const echo = await c.exec('cat', { stdin: 'hello\nworld\n' });
    expect(echo.stdout).toBe('hello\nworld\n');
    const fail = await c.exec('echo oops >&2; exit 3');
    expect(fail.code).toBe(3);
    expect(fail.stderr).toBe('oops\n');
    const slow = await c.exec('sleep 20', { timeoutMs: 300 });
    expect(slow.code).toBeNull();
    expect(slow.signal).toBe('TIMEOUT');
  });

  it('queues channels beyond the cap on one connection', async () => {
    const c = conn(labHost(info, 'h1'));
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => c.exec(`sleep 0.1; echo ${i}`)));
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
  });

  it('start streams lines, and stop() ends the remote process', async () => {
    const c = conn(labHost(info, 'h2'));
    const running = c.start(`sh -c 'echo $$; exec sleep 300'`);
    const pid = await new Promise<number>((resolve) => running.onLine((l) => resolve(Number(l))));
    expect(pid).toBeGreaterThan(1);
    // $$ is a pid of the host's own PID namespace: look it up there.
    const h2 = labHost(info, 'h2');
    expect(await labPidAlive(h2, pid)).toBe(true);
    running.stop();
    await running.done;
    for (let i = 0; i < 60 && (await labPidAlive(h2, pid)); i++) await sleep(50);
    expect(await labPidAlive(h2, pid)).toBe(false);

    const cat = c.start('cat', { stdin: 'a\nb\n' });
    const lines: string[] = [];
    cat.onLine((l) => lines.push(l));
    while (lines.length < 2) await sleep(20);
    cat.stop();
    const done = await cat.done;
    expect(lines).toEqual(['a', 'b']);
    expect(done.stdout).toBe('a\nb\n');
  });

  it('probes with forwardOut: open, refused, filtered, forwarding disabled', async () => {
    const h1 = conn(labHost(info, 'h1'));
    expect((await h1.forwardOut('198.18.0.12', 22)).outcome).toBe('open');
    const refused = await h1.forwardOut('198.18.0.12', 1);
    expect(refused.outcome).toBe('refused');
    const h2 = labHost(info, 'h2');
    const nft = await labExec(h2, ['nft', '-f', '-'], {
      stdin: 'table inet t {\n chain input { type filter hook input priority 0; tcp dport 2222 drop; }\n}\n',
    });
    expect(nft.stderr).toBe('');
    const filtered = await h1.forwardOut('198.18.0.12', 2222, 500);
    expect(filtered.outcome).toBe('filtered');
    await labExec(h2, ['nft', 'flush', 'ruleset']);

    const h3 = labHost(info, 'h3');
    await setForwarding(h3, false);
    try {
      const c3 = conn(h3);
      const res = await c3.forwardOut('198.18.0.11', 22);
      expect(res).toMatchObject({ outcome: 'error', detail: 'forwarding disabled' });
    } finally {
      await setForwarding(h3, true);
    }
  });

  it('refuses a changed host key under strict checking', async () => {
    const h3 = labHost(info, 'h3');
    await regenerateHostKey(h3);
    const err = await failure(conn(h3).connect());
    expect(err.kind).toBe('host-key-changed');
    expect(err.message).toMatch(/host key for 198\.18\.0\.13 has CHANGED \(known_hosts line 3 of .*known_hosts/);
    expect(err.message).toContain('ssh-keygen');
    // accept-new does not accept a changed key either.
    expect((await failure(conn(h3, {}, { hostKeyChecking: 'accept-new' }).connect())).kind).toBe('host-key-changed');
    await trustHostKey(info, h3);
    await conn(h3).connect();
  });

  it('refuses an unknown key under strict, records it under accept-new', async () => {
    const kh = path.join(scratch, 'known_hosts_new');
    writeFileSync(kh, '');
    const h1 = labHost(info, 'h1');
    const args = `-o UserKnownHostsFile=${kh}`;
    const err = await failure(conn(h1, { sshCommonArgs: args }).connect());
    expect(err.kind).toBe('host-key-unknown');
    expect(err.message).toContain('198.18.0.11');

    await conn(h1, { sshCommonArgs: `${args} -o StrictHostKeyChecking=accept-new` }).connect();
    expect(readFileSync(kh, 'utf8')).toMatch(/^198\.18\.0\.11 ssh-ed25519 /);
    await conn(h1, { sshCommonArgs: args }).connect();
    // The tool-wide option applies when the host says nothing.
    writeFileSync(kh, '');
    await conn(h1, { sshCommonArgs: args }, { hostKeyChecking: 'accept-new' }).connect();
    await conn(h1, { sshCommonArgs: args }, { hostKeyChecking: 'off' }).connect();
  });

  it('reports a wrong key as client-authentication', async () => {
    const wrong = path.join(scratch, 'wrong_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
    const err = await failure(conn(labHost(info, 'h1'), { privateKeyFile: wrong }).connect());
    expect(err.kind).toBe('client-authentication');
    expect(err.message).toContain('root@198.18.0.11:22');
  });

  it('reports a stopped sshd as client-socket, quickly', async () => {
    const h2 = labHost(info, 'h2');
    await stopSshd(h2);
    try {
      const t0 = Date.now();
      const err = await failure(conn(h2).connect());
      expect(err.kind).toBe('client-socket');
      expect(err.message).toMatch(/h2: cannot connect to root@198\.18\.0\.12:22: connection refused/);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await startSshd(h2);
    }
  });

  it('reads ~/.ssh/config-style files: Host alias to HostName, key, known_hosts', async () => {
    const h2 = labHost(info, 'h2');
    const c = conn(h2, { address: 'h2', user: undefined, privateKeyFile: undefined, sshCommonArgs: undefined }, { sshConfigFile: info.sshConfigFile });
    const res = await c.exec('ip -4 -o addr show dev eth0');
    expect(res.stdout).toContain('198.18.0.12');
  });

  it('goes through ProxyJump bastions (one hop and a chain)', async () => {
    const h3 = labHost(info, 'h3');
    const via1 = conn(h3, { sshCommonArgs: `-o UserKnownHostsFile=${info.knownHostsFile} -J h1` }, { sshConfigFile: info.sshConfigFile });
    const one = await via1.exec('echo $SSH_CONNECTION');
    expect(one.stdout.split(' ')[0]).toBe('198.18.0.11');
    const chain = conn(
      h3,
      { sshCommonArgs: `-o UserKnownHostsFile=${info.knownHostsFile} -o ProxyJump=h1,root@h2:22` },
      { sshConfigFile: info.sshConfigFile },
    );
    const two = await chain.exec('echo $SSH_CONNECTION');
    expect(two.stdout.split(' ')[0]).toBe('198.18.0.12');
    const direct = await conn(h3).exec('echo $SSH_CONNECTION');
    expect(direct.stdout.split(' ')[0]).toBe('198.18.0.1');
  });

  it('hosts behind one bastion share one connection to it (JumpPool): one login on the bastion, not one per host', async () => {
    const h1 = labHost(info, 'h1');
    const log = logFilePath(h1);
    const logins = () => (readFileSync(log, 'utf8').match(/Accepted publickey for root from 198\.18\.0\.1 /g) ?? []).length;
    const before = logins();
    const pool = new JumpPool({ sshConfigFile: info.sshConfigFile, agentSocket: null, connectTimeoutMs: 5000 });
    // the same host three times over: three connections that each need the bastion
    const behind = ['h2', 'h3', 'h3'].map((n) =>
      conn(labHost(info, n), { sshCommonArgs: `-o UserKnownHostsFile=${info.knownHostsFile} -J h1` }, { sshConfigFile: info.sshConfigFile, jump: pool.provider }),
    );
    const seen = await Promise.all(behind.map(async (c) => (await c.exec('echo $SSH_CONNECTION')).stdout.split(' ')[0]));
    expect(seen).toEqual(['198.18.0.11', '198.18.0.11', '198.18.0.11']);
    expect(pool.size).toBe(1);
    await sleep(200);
    expect(logins() - before).toBe(1);
    for (const c of behind) await c.close();
    await pool.closeAll();
  });

  it('names the jump host when the bastion fails', async () => {
    const h3 = labHost(info, 'h3');
    const err = await failure(
      conn(h3, { sshCommonArgs: `-o UserKnownHostsFile=${info.knownHostsFile} -J root@198.18.0.99` }, { connectTimeoutMs: 1500 }).connect(),
    );
    expect(err.message).toContain('via jump host 198.18.0.99');
  });
});
