import type { LabHost, LabInfo, LoginCost } from './lab-files.js';
import { run, type RunResult } from './run.js';

/**
 * What one login to a lab host costs. Every sweep session is a login, and a
 * fleet sweep opens them all at once: a login shell that spends a second in its
 * rc files (a version manager's init, say) turns a 50-host sweep into minutes
 * of CPU and timeouts. Real servers log in in tens of milliseconds.
 */
export const LOGIN_COST_LIMIT_MS = 100;

type Exec = (host: LabHost, argv: readonly string[]) => Promise<RunResult>;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, r];
}

/**
 * Time `ssh <host> true` with the lab's ssh_config (as `user`, default root),
 * best of `samples` (the first login also warms caches). Over the limit, also
 * time the host's shell rc files to say whether they are the cause. `exec`
 * runs a command inside the host (labExec).
 */
export async function measureLogin(
  info: Pick<LabInfo, 'sshConfigFile' | 'hosts' | 'user'>,
  exec: Exec,
  opts: { host?: string; user?: string; samples?: number; limitMs?: number } = {},
): Promise<LoginCost> {
  const host = info.hosts.find((h) => h.name === (opts.host ?? info.hosts[0]?.name));
  if (!host) throw new Error(`measureLogin: no host ${opts.host ?? '(lab has none)'}`);
  const user = opts.user ?? 'root';
  const limit = opts.limitMs ?? LOGIN_COST_LIMIT_MS;
  // curve25519, as our transport (ssh2) negotiates: OpenSSH's default
  // post-quantum exchange (sntrup761) alone adds ~60 ms of CPU on each side.
  const argv = [
    'ssh', '-F', info.sshConfigFile, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'KexAlgorithms=curve25519-sha256',
    '-l', user, host.name, 'true',
  ];
  let best = Infinity;
  for (let i = 0; i < (opts.samples ?? 3); i++) {
    const [ms, res] = await timed(() => run(argv, { check: false, timeoutMs: 30_000 }));
    if (res.code !== 0) throw new Error(`ssh ${user}@${host.name} true failed (exit ${res.code ?? res.signal}): ${res.stderr.trim()}`);
    best = Math.min(best, ms);
  }
  const cost: LoginCost = { host: host.name, user, ms: Math.round(best) };
  if (cost.ms <= limit) return cost;

  // sshd runs the command as `bash -c 'true'` with SSH_CLIENT set, and
  // Debian's bash then reads ~/.bashrc even though it is not interactive.
  // Run as root with the user's HOME: the same rc files, the same cost.
  const home = user === 'root' ? '/root' : user === info.user?.name ? info.user.home : `/home/${user}`;
  const shell = (rc: boolean): string[] => [
    'env', '-i', `HOME=${home}`, 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'SSH_CLIENT=198.18.0.1 40000 22',
    'bash', ...(rc ? [] : ['--norc']), '-c', 'true',
  ];
  const [withRc] = await timed(() => exec(host, shell(true)));
  const [noRc] = await timed(() => exec(host, shell(false)));
  cost.rcMs = Math.max(0, Math.round(withRc - noRc));
  cost.warning =
    cost.rcMs > limit / 2
      ? `a login on ${host.name} costs ${cost.ms} ms (over ${limit} ms): its shell rc files (~/.bashrc, ~/.profile) take ${cost.rcMs} ms of it; ` +
        'every sweep session pays this, and big sweeps will time out'
      : `a login on ${host.name} costs ${cost.ms} ms (over ${limit} ms), not in its shell rc files (${cost.rcMs} ms): ` +
        'sshd or this machine is slow (load, DNS); big sweeps may time out';
  return cost;
}
