import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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

/**
 * ufw (opt-in, labUp's `ufw`): a private /etc/ufw and /etc/default/ufw per
 * host. ufw is a script over iptables with no daemon, so it runs in a host's
 * network namespace as is; but it keeps its whole state in those two paths,
 * which lab hosts would otherwise share with this machine. The host's copies
 * start as the package's defaults (/usr/share/ufw's templates over a copy of
 * /etc/ufw for the files it has no template of: sysctl.conf, applications.d;
 * /etc/default/ufw as installed) and are bind-mounted over the real paths in
 * the host's mount namespace only. ufw rewrites its files in place
 * (shutil.copy), so a bind-mounted file takes its writes.
 */
export const UFW_PATHS = { dir: '/etc/ufw', defaults: '/etc/default/ufw' } as const;
const UFW_TEMPLATES = '/usr/share/ufw';

export function ufwDir(h: MountHost): { dir: string; defaults: string } {
  return { dir: path.join(h.dir, 'ufw', 'etc-ufw'), defaults: path.join(h.dir, 'ufw', 'default-ufw') };
}

/** Seed the host's private ufw files from the installed package. */
export async function writeUfwFiles(h: MountHost): Promise<void> {
  if (!existsSync(UFW_PATHS.dir) || !existsSync(UFW_PATHS.defaults)) {
    throw new Error(`${h.name}: a private ufw needs the ufw package (${UFW_PATHS.dir}, ${UFW_PATHS.defaults}): apt-get install -y ufw`);
  }
  const own = ufwDir(h);
  await mkdir(path.dirname(own.dir), { recursive: true, mode: 0o755 });
  await cp(UFW_PATHS.dir, own.dir, { recursive: true, preserveTimestamps: true });
  // The package's pristine rules and ufw.conf (copyFile keeps the copy's mode, e.g. user.rules 0640).
  const templates = existsSync(UFW_TEMPLATES) ? await readdir(UFW_TEMPLATES) : [];
  for (const f of templates) {
    if (existsSync(path.join(own.dir, f)) && (f.endsWith('.rules') || f.endsWith('.init') || f === 'ufw.conf')) {
      await copyFile(path.join(UFW_TEMPLATES, f), path.join(own.dir, f));
    }
  }
  await copyFile(UFW_PATHS.defaults, own.defaults);
}

/**
 * Bind the host's ufw files over /etc/ufw and /etc/default/ufw inside it, then
 * check in the host's own mountinfo that both are there: ufw must never write
 * this machine's files.
 */
export async function mountUfwFiles(h: MountHost, initPid: number): Promise<void> {
  const own = ufwDir(h);
  await bindInHost(initPid, own.dir, UFW_PATHS.dir);
  await bindInHost(initPid, own.defaults, UFW_PATHS.defaults);
  const mounted = await ufwMountPoints(initPid);
  for (const target of [UFW_PATHS.dir, UFW_PATHS.defaults]) {
    if (!mounted.includes(target)) throw new Error(`${h.name}: ${target} is not bind-mounted in the host (its mountinfo lacks it): ufw would write this machine's files`);
  }
}

/** The ufw paths that are mount points in the mount namespace of `pid` (from /proc/<pid>/mountinfo). */
export async function ufwMountPoints(pid: number): Promise<string[]> {
  const info = await readFile(`/proc/${pid}/mountinfo`, 'utf8');
  const points = info.split('\n').map((l) => l.split(' ')[4]).filter((p): p is string => p !== undefined);
  return [UFW_PATHS.dir, UFW_PATHS.defaults].filter((t) => points.includes(t));
}

/**
 * A private resolver (opt-in, labUp's `resolver`): the host's own /etc/hosts
 * and /etc/resolv.conf, bind-mounted over this machine's in the host only,
 * then checked in its mountinfo (a test that edits the host's names must
 * never edit this machine's). Both files are rewritten in place by tests, so
 * the bind mounts keep seeing them.
 */
export const RESOLVER_PATHS = { hosts: '/etc/hosts', resolv: '/etc/resolv.conf' } as const;

export function resolverFiles(h: MountHost): { hosts: string; resolv: string } {
  return { hosts: path.join(h.dir, 'etc-hosts'), resolv: path.join(h.dir, 'resolv.conf') };
}

export async function writeResolverFiles(h: MountHost, hostsText: string, resolvText: string): Promise<void> {
  const own = resolverFiles(h);
  await writeFile(own.hosts, hostsText, { mode: 0o644 });
  await writeFile(own.resolv, resolvText, { mode: 0o644 });
}

export async function mountResolverFiles(h: MountHost, initPid: number): Promise<void> {
  const own = resolverFiles(h);
  await bindInHost(initPid, own.hosts, RESOLVER_PATHS.hosts);
  await bindInHost(initPid, own.resolv, RESOLVER_PATHS.resolv);
  const info = await readFile(`/proc/${initPid}/mountinfo`, 'utf8');
  const points = info.split('\n').map((l) => l.split(' ')[4]);
  for (const target of [RESOLVER_PATHS.hosts, RESOLVER_PATHS.resolv]) {
    if (!points.includes(target)) throw new Error(`${h.name}: ${target} is not bind-mounted in the host (its mountinfo lacks it)`);
  }
}
