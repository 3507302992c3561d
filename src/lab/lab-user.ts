import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { EnvironmentError } from '../errors.js';
import { run } from './run.js';

/**
 * The lab's non-root user, for testing `become`: it logs in with the
 * controller key on every host and has sudo there, without a password except
 * on the hosts the lab lists (LabUser.passwordHosts).
 *
 * Linux users are machine-wide, so the user is a real one on this machine
 * (created once, marked by its comment, and kept across labs). Its password is
 * new for each lab and locked again by labDown, so it is only usable while a
 * lab is up. Its sudo rights exist only inside lab hosts: each host
 * bind-mounts its own sudoers over /etc/sudoers in its mount namespace.
 */
export const DEFAULT_LAB_USER = 'ecep';
const MARKER = 'ece-preflight lab user';

export interface LabUser {
  name: string;
  uid: number;
  /** The user's home on this machine; each host mounts its own home over it. */
  home: string;
  /** Its password while the lab is up (sudo asks for it on passwordHosts). */
  password: string;
  /** Hosts (by name) where sudo asks for the password; NOPASSWD elsewhere. */
  passwordHosts: string[];
}

interface PasswdEntry {
  uid: number;
  gid: number;
  comment: string;
  home: string;
}

async function passwdEntry(name: string): Promise<PasswdEntry | undefined> {
  const res = await run(['getent', 'passwd', name], { check: false });
  const f = res.stdout.trim().split(':');
  if (res.code !== 0 || f.length < 7) return undefined;
  return { uid: Number(f[2]), gid: Number(f[3]), comment: f[4] ?? '', home: f[5] ?? '' };
}

/**
 * Make sure the lab user exists (useradd with a home, bash, a UID from 1000)
 * and give it a fresh password. Refuses a same-named user the lab did not make.
 */
export async function ensureLabUser(name: string, passwordHosts: string[]): Promise<LabUser & { gid: number }> {
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(name)) throw new EnvironmentError(`lab user '${name}' is not a valid user name`);
  let entry = await passwdEntry(name);
  if (!entry) {
    await run(['useradd', '--create-home', '--shell', '/bin/bash', '--comment', MARKER, name]);
    entry = await passwdEntry(name);
    if (!entry) throw new EnvironmentError(`lab user ${name}: useradd made no passwd entry`);
  } else if (entry.comment !== MARKER) {
    throw new EnvironmentError(`a user '${name}' already exists on this machine and is not the lab's: pick another lab user name`);
  }
  if (entry.uid < 1000) throw new EnvironmentError(`lab user ${name} has UID ${entry.uid}; the lab wants a regular user (UID >= 1000)`);
  // The mountpoint each host's own home covers.
  if (!existsSync(entry.home)) {
    await mkdir(entry.home, { recursive: true, mode: 0o750 });
    await chown(entry.home, entry.uid, entry.gid);
  }
  const password = randomBytes(12).toString('base64url');
  await run(['chpasswd'], { stdin: `${name}:${password}\n` });
  return { name, uid: entry.uid, gid: entry.gid, home: entry.home, password, passwordHosts };
}

/**
 * Lock the lab user's password once the lab is gone. sshd (UsePAM no) then
 * refuses the account too, so nothing the lab set up stays usable.
 */
export async function lockLabUser(name: string): Promise<void> {
  const entry = await passwdEntry(name);
  if (entry?.comment === MARKER) await run(['usermod', '--lock', name], { check: false });
}

/**
 * The host's /etc/sudoers: this machine's, plus the lab user's rule. sudo's
 * timestamps and lecture marks go to the host folder: by default they are
 * machine-wide (/run/sudo, /var/lib/sudo) and keyed by pids, which repeat
 * across PID namespaces, so one host's sudo could vouch for another's.
 */
export function renderSudoers(base: string, host: { name: string; dir: string }, user: string, needsPassword: boolean): string {
  const q = (p: string) => `"${p.replace(/(["\\])/g, '\\$1')}"`;
  return [
    base.trimEnd(),
    '',
    `# ece-preflight lab host ${host.name}: ${user} ${needsPassword ? 'needs its password for sudo' : 'has sudo without a password'}`,
    `Defaults timestampdir=${q(`${host.dir}/sudo/ts`)}, lecture_status_dir=${q(`${host.dir}/sudo/lectured`)}`,
    `${user} ALL=(ALL:ALL) ${needsPassword ? '' : 'NOPASSWD: '}ALL`,
    '',
  ].join('\n');
}
