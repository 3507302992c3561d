import { createHash } from 'node:crypto';
import { shellQuote } from './shell-words.js';
import type { SnapshotPart, Step } from './types.js';

/**
 * Commit-confirmed firewall changes, as Junos' `commit confirmed` and
 * iptables-apply do it, in shell scripts built here (pure) and run on the
 * host with become:
 *
 *   1. save   the current ruleset to the host's state folder;
 *   2. arm    a rollback on the host itself: a detached process (its own
 *             session, so it outlives our SSH session and the controller)
 *             that restores the saved ruleset after N seconds. No
 *             systemd-run: the lab and CI have no systemd, and many
 *             minimal hosts neither;
 *   3. apply  the new rules;
 *   4. verify from the controller over a NEW SSH connection (an established
 *             one survives any ruleset through conntrack and proves nothing);
 *   5. disarm the timer when verified, or restore at once (and disarm) when not.
 *
 * Nothing from the inventory reaches these scripts: the state folder is
 * named by a hash of the host name, the commands come from the backend's
 * snapshot parts (save and restore of its whole ruleset).
 */
/** A backend's snapshot parts (types.ts SnapshotPart): each saves one ruleset to a file and restores it. */
export type Snapshot = readonly SnapshotPart[];

/** Where a host keeps its saved ruleset and timer pid. Lab hosts share one filesystem, so the folder is per host. */
export function stateDir(host: string, root = '/var/lib/ece-preflight'): string {
  if (!/^\/[A-Za-z0-9._/-]+$/.test(root)) throw new Error(`state folder ${root} must be an absolute path of plain characters`);
  return `${root}/${createHash('sha256').update(host).digest('hex').slice(0, 16)}`;
}

const fileOf = (dir: string, part: SnapshotPart): string => `${dir}/before.${part.name}`;
const line = (step: Step): string => {
  if (step.stdin !== undefined) throw new Error(`${step.description}: a snapshot step cannot take stdin`);
  return step.argv.map(shellQuote).join(' ');
};

/** Every part restored, in order: what the timer, a failed verify and `firewall rollback` run. */
function restoreAll(dir: string, snapshot: Snapshot): string {
  return snapshot.map((p) => line(p.restore(fileOf(dir, p)))).join(' && ');
}

/** Save the current rulesets (the rollback target, also what `firewall rollback` restores later). */
export function saveScript(dir: string, snapshot: Snapshot): string {
  const d = shellQuote(dir);
  const saves = snapshot.flatMap((p) => {
    const f = shellQuote(fileOf(dir, p));
    return [`${line(p.save)} > ${f}.tmp`, `mv ${f}.tmp ${f}`];
  });
  return [`set -e`, `mkdir -p ${d}`, `umask 077`, ...saves, `date -u +%FT%TZ > ${d}/saved-at`].join('\n');
}

/**
 * Arm the rollback: after `seconds`, restore the saved rules unless disarmed.
 * Prints the timer's pid. The detached shell ignores HUP and owns its session,
 * so it survives the SSH session ending, the controller dying, or the network
 * going away under the new rules.
 */
export function armScript(dir: string, snapshot: Snapshot, seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86400) throw new Error(`confirm timeout must be 1..86400 seconds, got ${seconds}`);
  const d = shellQuote(dir);
  const timer = `trap '' HUP; sleep ${seconds}; ${restoreAll(dir, snapshot)} && date -u +%FT%TZ > ${d}/rolled-back; rm -f ${d}/timer.pid`;
  return [
    `set -e`,
    `rm -f ${d}/rolled-back`,
    // setsid: a session of its own; stdio closed so the SSH channel can close.
    `setsid sh -c ${shellQuote(timer)} </dev/null >/dev/null 2>&1 &`,
    `echo $! > ${d}/timer.pid`,
    `cat ${d}/timer.pid`,
  ].join('\n');
}

/** Stop the timer: the change is confirmed. Says `disarmed` or `no timer` (it fired or never ran). */
export function disarmScript(dir: string): string {
  const d = shellQuote(dir);
  // The pid is the setsid'd shell; its sleep is its child: end the whole session.
  return [
    `if [ -f ${d}/timer.pid ]; then`,
    `  p=$(cat ${d}/timer.pid)`,
    `  kill -TERM -- -"$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true`,
    `  rm -f ${d}/timer.pid; echo disarmed`,
    `else echo 'no timer'; fi`,
  ].join('\n');
}

/** Restore the saved rules now (a failed verify, or `firewall rollback`). */
export function restoreScript(dir: string, snapshot: Snapshot): string {
  const d = shellQuote(dir);
  return [`set -e`, `test -f ${d}/saved-at || { echo 'no saved rules to restore' >&2; exit 3; }`, restoreAll(dir, snapshot)].join('\n');
}

/** Whether the timer fired (prints the time it did), for the report after a lost host comes back. */
export function rolledBackScript(dir: string): string {
  const d = shellQuote(dir);
  return `cat ${d}/rolled-back 2>/dev/null || true`;
}
