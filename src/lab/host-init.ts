import { readFile } from 'node:fs/promises';
import { isAlive, sleep } from './netns.js';
import { run, startDetached } from './run.js';

/**
 * A lab host is more than a network namespace: it has its own mount namespace
 * (so its shell rc files and sudoers are its own, not this machine's) and its
 * own PID namespace with its own /proc (so `ps` and `ss -p` on it see its
 * processes only). A small init holds both namespaces open as the host's pid 1;
 * sshd, the registry stand-in and labExec join it with nsenter.
 *
 * When the init dies the kernel kills every process in its PID namespace, so
 * killing that one pid from the root namespace takes the host down, and the
 * mount namespace (with its bind mounts) goes with the last process in it.
 */

/** argv[0] of the init, so it is recognisable in the root namespace's /proc. */
export const INIT_NAME = 'ecep-lab-init';

/**
 * dash as pid 1: it exits on TERM (a pid 1 only gets the signals it has a
 * handler for), and `wait` reaps every child, including sessions' orphans that
 * the kernel hands to pid 1, so `ps` on a host shows no zombies.
 */
const INIT_SCRIPT = `trap 'exit 0' TERM INT HUP; while :; do sleep 2147483647 & wait $!; done`;

/**
 * Start the host's init inside its network namespace with fresh mount and PID
 * namespaces. `ip netns exec` execs unshare in place; unshare forks the init
 * (pid 1 inside) and waits for it (`--kill-child`: killing unshare kills the
 * init too). Returns the init's pid as the root namespace sees it.
 */
export async function startHostInit(namespace: string, readyTimeoutMs = 10_000): Promise<{ initPid: number; unsharePid: number }> {
  const { pid: unsharePid, exited } = startDetached(
    [
      'ip', 'netns', 'exec', namespace,
      'unshare', '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--mount-proc',
      'sh', '-c', INIT_SCRIPT, INIT_NAME,
    ],
    namespace,
    "the host's init",
  );
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const ended = exited();
    if (ended) throw new Error(`${namespace}: host init (unshare) ${ended}`);
    const initPid = await childOf(unsharePid);
    // Ready once it runs the script: unshare mounts the new /proc before exec.
    if (initPid && (await cmdline(initPid)).includes(INIT_NAME)) return { initPid, unsharePid };
    if (Date.now() > deadline) throw new Error(`${namespace}: host init not running after ${readyTimeoutMs} ms`);
    await sleep(5);
  }
}

/** The first child of `pid` (root-namespace pids), from /proc's children list. */
export async function childOf(pid: number): Promise<number | undefined> {
  try {
    const first = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/)[0];
    const n = Number.parseInt(first ?? '', 10);
    return Number.isInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

export async function cmdline(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** True while `pid` is a lab host init (guards against a recycled pid). */
export async function isHostInit(pid: number): Promise<boolean> {
  return isAlive(pid) && (await cmdline(pid)).includes(INIT_NAME);
}

/**
 * argv prefix that runs a command inside the host: its network, mount and PID
 * namespaces (nsenter forks, so the command is a process of the host's PID
 * namespace). `wd`: the working directory inside (entering a mount namespace
 * resets it to /).
 */
export function nsenterArgv(initPid: number, wd?: string): string[] {
  return ['nsenter', '--target', String(initPid), '--mount', '--pid', '--net', ...(wd ? [`--wd=${wd}`] : []), '--'];
}

/** Bind-mount `source` over `target` inside the host's mount namespace only. */
export async function bindInHost(initPid: number, source: string, target: string): Promise<void> {
  await run([...nsenterArgv(initPid), 'mount', '--bind', source, target]);
}

/**
 * Wait for the first child of a spawned nsenter (the real command, in the
 * host's PID namespace) and return its root-namespace pid.
 */
export async function waitForChild(parentPid: number, what: string, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = await childOf(parentPid);
    if (pid) return pid;
    if (!isAlive(parentPid)) throw new Error(`${what}: exited at start`);
    if (Date.now() > deadline) throw new Error(`${what}: no process after ${timeoutMs} ms`);
    await sleep(5);
  }
}
