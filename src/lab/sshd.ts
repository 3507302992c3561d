import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { isAlive, killPids, sleep } from './netns.js';
import { run, startDetached } from './run.js';
import { childOf, nsenterArgv } from './host-init.js';

/** What the sshd helpers need to know about one lab host. */
export interface SshdHost {
  name: string;
  namespace: string;
  address: string;
  /** Per-host state folder: keys, sshd_config, pidfile, log. */
  dir: string;
  allowTcpForwarding: boolean;
  /** Root-namespace pid of the host's init (host-init.ts): sshd runs in its namespaces. */
  initPid?: number;
}

export const SSHD_BIN = '/usr/sbin/sshd';

export function hostKeyPath(h: Pick<SshdHost, 'dir'>): string {
  return path.join(h.dir, 'ssh_host_ed25519_key');
}
export function sshdConfigPath(h: Pick<SshdHost, 'dir'>): string {
  return path.join(h.dir, 'sshd_config');
}
export function pidFilePath(h: Pick<SshdHost, 'dir'>): string {
  return path.join(h.dir, 'sshd.pid');
}
export function logFilePath(h: Pick<SshdHost, 'dir'>): string {
  return path.join(h.dir, 'sshd.log');
}

export function renderSshdConfig(h: SshdHost): string {
  return [
    `# lab host ${h.name} (${h.namespace}); written by ece-preflight lab`,
    `ListenAddress ${h.address}`,
    'Port 22',
    `HostKey ${hostKeyPath(h)}`,
    // sshd would write its pid as the host's PID namespace sees it; startSshd
    // records the root namespace's pid in sshd.pid instead.
    'PidFile none',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `AuthorizedKeysFile ${path.join(h.dir, 'authorized_keys')}`,
    // Host folders live under /tmp or the work tree, whose modes StrictModes would reject.
    'StrictModes no',
    'UsePAM no',
    'UseDNS no',
    'PrintMotd no',
    `AllowTcpForwarding ${h.allowTcpForwarding ? 'yes' : 'no'}`,
    // Benchmarks open many connections at once; the default 10:30:100 drops some.
    'MaxStartups 200',
    'LogLevel INFO',
    'Subsystem sftp internal-sftp',
    // Other users (the lab user) keep their key in their own (per-host) home:
    // sshd reads it as the user, and the file above is root's only.
    'Match User *,!root',
    '  AuthorizedKeysFile .ssh/authorized_keys',
    '',
  ].join('\n');
}

export async function writeSshdConfig(h: SshdHost): Promise<void> {
  await writeFile(sshdConfigPath(h), renderSshdConfig(h), { mode: 0o600 });
}

/** ssh-keygen -t ed25519 with no passphrase; replaces an existing key. */
export async function generateKey(file: string, comment: string): Promise<string> {
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

export async function readPid(h: Pick<SshdHost, 'dir'>): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(pidFilePath(h), 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when a TCP connect from the root namespace to address:port succeeds. */
export function tcpOpen(address: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/**
 * Start the host's sshd inside the host (its network, mount and PID
 * namespaces, entered with nsenter), detached (own session, survives the test
 * worker), and wait until port 22 accepts. nsenter forks sshd and waits for
 * it; sshd.pid gets sshd's pid as the root namespace sees it (what labDown and
 * stopSshd kill), sshd.spawn.pid nsenter's.
 */
export async function startSshd(h: SshdHost, readyTimeoutMs = 10_000): Promise<number> {
  if (!h.initPid) throw new Error(`${h.name}: the host's init is not running (lab up again)`);
  await rm(pidFilePath(h), { force: true });
  const { pid: spawned, exited } = startDetached(
    ['nsenter', ...nsenterArgv(h.initPid).slice(1), SSHD_BIN, '-f', sshdConfigPath(h), '-D', '-E', logFilePath(h)],
    h.name,
    'sshd',
  );
  await writeFile(path.join(h.dir, 'sshd.spawn.pid'), `${spawned}\n`);
  const deadline = Date.now() + readyTimeoutMs;
  let pid: number | undefined;
  for (;;) {
    const ended = exited();
    if (ended) {
      const log = existsSync(logFilePath(h)) ? (await readFile(logFilePath(h), 'utf8')).trim().split('\n').slice(-2).join(' / ') : '';
      throw new Error(`${h.name}: sshd ${ended}${log ? `: ${log}` : ''} (see ${logFilePath(h)})`);
    }
    if (!pid) {
      pid = await childOf(spawned);
      if (pid) await writeFile(pidFilePath(h), `${pid}\n`);
    }
    if (pid && (await tcpOpen(h.address, 22, 300))) break;
    if (Date.now() > deadline) throw new Error(`${h.name}: sshd not accepting on ${h.address}:22 after ${readyTimeoutMs} ms`);
    await sleep(20);
  }
  return pid;
}

/**
 * Stop the listening sshd by its pid. Sessions already open keep running, as
 * with a real sshd; labDown ends those by namespace.
 */
export async function stopSshd(h: SshdHost): Promise<void> {
  const pids = new Set<number>();
  const pid = await readPid(h);
  if (pid) pids.add(pid);
  try {
    const spawned = Number.parseInt(await readFile(path.join(h.dir, 'sshd.spawn.pid'), 'utf8'), 10);
    if (Number.isInteger(spawned)) pids.add(spawned);
  } catch {
    /* never started */
  }
  const ours: number[] = [];
  for (const p of pids) if (isAlive(p) && (await runsConfig(p, sshdConfigPath(h)))) ours.push(p);
  await killPids(ours);
  await rm(pidFilePath(h), { force: true });
  await rm(path.join(h.dir, 'sshd.spawn.pid'), { force: true });
}

/** Guard against a recycled pid: the process must be an sshd run with this host's config. */
async function runsConfig(pid: number, configFile: string): Promise<boolean> {
  try {
    // sshd rewrites its title into one string ("sshd: /usr/sbin/sshd -f FILE ... [listener]").
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
    return argv.split(' ').includes(configFile);
  } catch {
    return false;
  }
}
