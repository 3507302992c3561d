import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bindInHost } from './host-init.js';
import { renderSudoers, type LabUser } from './lab-user.js';

/**
 * What a lab host sees differently from this machine, as files under its host
 * folder that its init's mount namespace bind-mounts into place:
 *
 * - root's shell rc files: a plain server's instead of this machine's (whose
 *   ~/.bashrc may run version managers: pyenv costs ~0.8 s of CPU per login,
 *   which every sweep session would pay). Only the rc files are covered, not
 *   the whole of /root, so a lab folder under /root stays visible to sshd.
 * - the lab user's home (its own per host, with the controller key);
 * - /etc/sudoers: this machine's plus the lab user's rule for this host.
 *
 * The mounts live and die with the host's mount namespace: nothing reaches
 * this machine's /root, /home or /etc.
 */

/** Every file bash (login or not, or started by sshd) or sh reads from root's home. */
export const ROOT_RC_FILES = ['.bashrc', '.profile', '.bash_profile', '.bash_login'] as const;

export interface MountHost {
  name: string;
  dir: string;
}

/** First line of each plain rc file: tests and people can tell they are the lab's. */
export function rcMarker(host: string): string {
  return `# ece-preflight lab host ${host}: a plain server's shell setup`;
}

/** Debian's stock root rc files; .bash_profile/.bash_login (absent there) defer to .profile. */
export function renderRootRc(host: string, file: (typeof ROOT_RC_FILES)[number]): string {
  const head = rcMarker(host);
  switch (file) {
    case '.bashrc':
      return `${head}\n# ~/.bashrc: executed by bash(1) for non-login shells.\nexport PS1='\\h:\\w\\$ '\numask 022\n`;
    case '.profile':
      return `${head}\n# ~/.profile: executed by Bourne-compatible login shells.\nif [ "$BASH" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n  fi\nfi\nmesg n 2> /dev/null || true\n`;
    default:
      return `${head}\n[ -f ~/.profile ] && . ~/.profile\n`;
  }
}

function rootHome(): string {
  return os.userInfo().homedir || '/root';
}

function rootRcDir(h: MountHost): string {
  return path.join(h.dir, 'root-rc');
}
export function userHomeDir(h: MountHost, user: string): string {
  return path.join(h.dir, `home-${user}`);
}
function sudoersPath(h: MountHost): string {
  return path.join(h.dir, 'sudoers');
}

/** Write the host's plain rc files, the lab user's home and the host's sudoers. */
export async function writeHostFiles(h: MountHost, user: LabUser & { gid: number }, controllerKey: string): Promise<void> {
  const rcDir = rootRcDir(h);
  await mkdir(rcDir, { recursive: true });
  for (const f of ROOT_RC_FILES) await writeFile(path.join(rcDir, f), renderRootRc(h.name, f), { mode: 0o644 });

  // The lab user's home: /etc/skel as useradd would copy it, plus the key.
  const home = userHomeDir(h, user.name);
  await mkdir(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const skel = existsSync('/etc/skel') ? await readdir('/etc/skel', { withFileTypes: true }) : [];
  for (const e of skel) if (e.isFile()) await copyFile(path.join('/etc/skel', e.name), path.join(home, e.name));
  await writeFile(path.join(home, '.ssh', 'authorized_keys'), `${controllerKey}\n`, { mode: 0o600 });
  for (const p of [home, path.join(home, '.ssh'), path.join(home, '.ssh', 'authorized_keys'), ...skel.filter((e) => e.isFile()).map((e) => path.join(home, e.name))]) {
    await chown(p, user.uid, user.gid);
  }
  await chmod(home, 0o750);

  // sudo refuses a sudoers file that is not root's and 0440 (or stricter).
  const base = await readFile('/etc/sudoers', 'utf8');
  await mkdir(path.join(h.dir, 'sudo'), { recursive: true, mode: 0o700 });
  await writeFile(sudoersPath(h), renderSudoers(base, h, user.name, user.passwordHosts.includes(h.name)), { mode: 0o440 });
  await chmod(sudoersPath(h), 0o440);
}

/** Bind the host's files into its mount namespace (after its init started). */
export async function mountHostFiles(h: MountHost, initPid: number, user: Pick<LabUser, 'name' | 'home'>): Promise<void> {
  const home = rootHome();
  // Only files that exist can be covered; a missing one is not read anyway.
  for (const f of ROOT_RC_FILES) {
    const target = path.join(home, f);
    if (existsSync(target)) await bindInHost(initPid, path.join(rootRcDir(h), f), target);
  }
  await bindInHost(initPid, userHomeDir(h, user.name), user.home);
  await bindInHost(initPid, sudoersPath(h), '/etc/sudoers');
}
