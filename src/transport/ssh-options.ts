import os from 'node:os';
import path from 'node:path';
import SSHConfig from 'ssh-config';
import type { FleetHost } from '../model/fleet.js';

/**
 * Where and how to reach one host over SSH, resolved like OpenSSH: the first
 * value found wins, in this order:
 *   1. ansible_ssh_common_args (`-o`, `-i`, `-p`, `-J`, `-l`)
 *   2. inventory vars (ansible_user, an explicit ansible_port, the private key)
 *   3. ~/.ssh/config (or sshConfigFile), matched on the host's address
 *   4. tool-wide options (hostKeyChecking, knownHostsFiles, connectTimeoutMs)
 *   5. OpenSSH defaults
 * Per-host settings override tool-wide ones, as a Host block would.
 */
export type HostKeyChecking = 'strict' | 'accept-new' | 'off';

export interface JumpHop {
  host: string;
  port?: number;
  user?: string;
}

export interface SshTarget {
  /** Address to connect to (HostName, else the inventory address). */
  hostname: string;
  port: number;
  user: string;
  /** Identity files in the order to try (existence not checked here). */
  identityFiles: string[];
  /** True when no identity was configured and identityFiles are the defaults. */
  defaultIdentities: boolean;
  knownHostsFiles: string[];
  hostKeyChecking: HostKeyChecking;
  /** HostKeyAlias: the name looked up in known_hosts instead of hostname. */
  hostKeyAlias?: string;
  connectTimeoutMs: number;
  /** Bastions, first hop first; empty for a direct connection. */
  jumps: JumpHop[];
}

export interface ResolveDefaults {
  hostKeyChecking?: HostKeyChecking;
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
  /** Text of the ssh config file, when there is one. */
  sshConfigText?: string;
  /** Home folder for `~` (default os.homedir()). */
  home?: string;
  /** Local user name for the default User. */
  localUser?: string;
}

/** Split a string like a POSIX shell would into words (quotes, backslashes; no expansion). */
export function shellWords(input: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote in: ${input}`);
      cur += input.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= input.length) throw new Error(`unterminated double quote in: ${input}`);
        const d = input[i] as string;
        if (d === '"') break;
        if (d === '\\' && i + 1 < input.length && '"\\$`\n'.includes(input[i + 1] as string)) {
          if (input[i + 1] !== '\n') cur += input[i + 1];
          i += 2;
        } else {
          cur += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 < input.length && input[i + 1] !== '\n') cur += input[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** ssh options that take an argument (from ssh(1)); others are flags. */
const ARG_FLAGS = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

export interface SshArgs {
  /** `-o Key=Value` options, keys lowercased; repeated keys keep every value in order. */
  options: Map<string, string[]>;
  /** -F: another ssh config file. */
  configFile?: string;
}

/** Read the options out of ssh command-line words (ansible_ssh_common_args and the like). */
export function parseSshArgs(input: string | readonly string[]): SshArgs {
  const words = typeof input === 'string' ? shellWords(input) : [...input];
  const options = new Map<string, string[]>();
  const add = (key: string, value: string): void => {
    const k = key.toLowerCase();
    options.set(k, [...(options.get(k) ?? []), value]);
  };
  const res: SshArgs = { options };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (!w.startsWith('-') || w === '-') continue;
    // Flags may be bundled (-qC), the last may take an argument (-qi key, -ikey).
    for (let j = 1; j < w.length; j++) {
      const f = w[j] as string;
      if (!ARG_FLAGS.has(f)) continue;
      let arg = w.slice(j + 1);
      if (!arg) arg = words[++i] ?? '';
      switch (f) {
        case 'o': {
          const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(arg);
          if (m?.[1]) add(m[1], (m[2] ?? '').trim());
          break;
        }
        case 'i':
          add('identityfile', arg);
          break;
        case 'p':
          add('port', arg);
          break;
        case 'J':
          add('proxyjump', arg);
          break;
        case 'l':
          add('user', arg);
          break;
        case 'F':
          res.configFile = arg;
          break;
      }
      break;
    }
  }
  return res;
}

/** `[user@]host[:port]`, `[v6addr]:port` or `ssh://user@host:port`, comma-separated. */
export function parseJumpSpec(spec: string): JumpHop[] {
  if (!spec || spec.toLowerCase() === 'none') return [];
  return spec.split(',').map((raw) => {
    let s = raw.trim().replace(/^ssh:\/\//, '');
    const hop: JumpHop = { host: '' };
    const at = s.lastIndexOf('@');
    if (at >= 0) {
      hop.user = s.slice(0, at);
      s = s.slice(at + 1);
    }
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
    const plain = /^([^:]+)(?::(\d+))?$/.exec(s);
    const m = v6 ?? plain;
    if (!m?.[1]) throw new Error(`bad ProxyJump host '${raw}'`);
    hop.host = m[1];
    if (m[2]) hop.port = Number(m[2]);
    return hop;
  });
}

/**
 * `ProxyCommand ssh -W %h:%p [opts] bastion` is the pre-ProxyJump way to say
 * the same thing; other ProxyCommands are not supported and are ignored.
 */
export function jumpFromProxyCommand(cmd: string): JumpHop[] | undefined {
  const words = shellWords(cmd);
  if (!words[0] || path.basename(words[0]) !== 'ssh' || !words.includes('-W')) return undefined;
  let user: string | undefined;
  let port: number | undefined;
  let host: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith('-') && w.length >= 2) {
      const f = w[1] as string;
      if (ARG_FLAGS.has(f) && w.length === 2) {
        const arg = words[++i] ?? '';
        if (f === 'l') user = arg;
        if (f === 'p') port = Number(arg);
      }
      continue;
    }
    host = w;
  }
  if (!host) return undefined;
  const [hop] = parseJumpSpec(host);
  if (!hop) return undefined;
  if (user && !hop.user) hop.user = user;
  if (port && !hop.port) hop.port = port;
  return [hop];
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
function all(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `~` and the %-tokens OpenSSH expands in paths (%h %p %r %u %d %%). */
export function expandPath(p: string, ctx: { home: string; host: string; port: number; user: string; localUser: string }): string {
  let out = p.replace(/%([hprud%])/g, (_, t: string) => {
    switch (t) {
      case 'h':
        return ctx.host;
      case 'p':
        return String(ctx.port);
      case 'r':
        return ctx.user;
      case 'u':
        return ctx.localUser;
      case 'd':
        return ctx.home;
      default:
        return '%';
    }
  });
  if (out === '~') out = ctx.home;
  else if (out.startsWith('~/')) out = path.join(ctx.home, out.slice(2));
  return out;
}

export function hostKeyCheckingOf(value: string | undefined): HostKeyChecking | undefined {
  switch (value?.toLowerCase()) {
    case 'yes':
    case 'ask':
    case 'true':
    case 'strict':
      return 'strict';
    case 'accept-new':
      return 'accept-new';
    case 'no':
    case 'off':
    case 'false':
      return 'off';
    default:
      return undefined;
  }
}

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_rsa', 'id_ecdsa'];

/** Did the inventory set the SSH port itself (FleetHost.port defaults to 22)? */
function explicitPort(host: FleetHost): boolean {
  const v = host.vars ?? {};
  return v['ansible_port'] !== undefined || v['ansible_ssh_port'] !== undefined || host.port !== 22;
}

/** Resolve one host's SSH settings. Pure: the config text comes in `defaults`. */
export function resolveSshTarget(host: FleetHost, defaults: ResolveDefaults = {}): SshTarget {
  const home = defaults.home ?? os.homedir();
  const localUser = defaults.localUser ?? safeUserName();
  const args = parseSshArgs(host.sshCommonArgs ?? '');
  const arg = (k: string): string | undefined => args.options.get(k)?.[0];
  const cfg: Record<string, string | string[]> = defaults.sshConfigText
    ? SSHConfig.parse(defaults.sshConfigText).compute(host.address, { ignoreCase: true, matchExec: false })
    : {};
  const conf = (k: string): string | undefined => first(cfg[k]);

  const hostname = arg('hostname') ?? conf('hostname')?.replace(/%h/g, host.address) ?? host.address;
  const portText = arg('port') ?? (explicitPort(host) ? String(host.port) : undefined) ?? conf('port') ?? '22';
  const port = Number.parseInt(portText, 10);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${host.name}: bad SSH port '${portText}'`);
  const user = arg('user') ?? host.user ?? conf('user') ?? localUser;
  const ctx = { home, host: hostname, port, user, localUser };

  const identityFiles = [
    ...(args.options.get('identityfile') ?? []),
    ...(host.privateKeyFile ? [host.privateKeyFile] : []),
    ...all(cfg['identityfile']),
  ]
    .filter((f) => f.toLowerCase() !== 'none')
    .map((f) => expandPath(f, ctx));
  const defaultIdentities = identityFiles.length === 0;
  if (defaultIdentities) identityFiles.push(...DEFAULT_IDENTITIES.map((f) => path.join(home, '.ssh', f)));

  const khArg = args.options.get('userknownhostsfile')?.[0];
  const khText = khArg ?? (cfg['userknownhostsfile'] !== undefined ? all(cfg['userknownhostsfile']).join(' ') : undefined);
  const knownHostsFiles = (
    khText !== undefined ? khText.split(/\s+/).filter(Boolean) : (defaults.knownHostsFiles ?? ['~/.ssh/known_hosts'])
  )
    .filter((f) => f.toLowerCase() !== 'none')
    .map((f) => expandPath(f, ctx));

  const hostKeyChecking =
    hostKeyCheckingOf(arg('stricthostkeychecking')) ??
    hostKeyCheckingOf(conf('stricthostkeychecking')) ??
    defaults.hostKeyChecking ??
    'strict';

  const timeoutText = arg('connecttimeout') ?? conf('connecttimeout');
  const connectTimeoutMs =
    timeoutText && Number(timeoutText) > 0 ? Number(timeoutText) * 1000 : (defaults.connectTimeoutMs ?? 10_000);

  const jumpText = arg('proxyjump') ?? conf('proxyjump');
  const proxyCommand = arg('proxycommand') ?? conf('proxycommand');
  let jumps: JumpHop[] = [];
  if (jumpText !== undefined) jumps = parseJumpSpec(jumpText);
  else if (proxyCommand) jumps = jumpFromProxyCommand(proxyCommand.replace(/%h/g, hostname).replace(/%p/g, String(port))) ?? [];

  const target: SshTarget = {
    hostname,
    port,
    user,
    identityFiles,
    defaultIdentities,
    knownHostsFiles,
    hostKeyChecking,
    connectTimeoutMs,
    jumps,
  };
  const alias = arg('hostkeyalias') ?? conf('hostkeyalias');
  if (alias) target.hostKeyAlias = alias;
  return target;
}

/** A FleetHost for a bastion hop: its own ssh config applies, the target's args do not. */
export function hopHost(hop: JumpHop, base: Pick<FleetHost, 'name'>): FleetHost {
  return {
    name: hop.host,
    address: hop.host,
    port: hop.port ?? 22,
    ...(hop.user ? { user: hop.user } : {}),
    connection: 'ssh',
    become: false,
    roles: [],
    rolesSource: 'groups',
    registry: { host: '', port: 0 },
    snapshotRepos: [],
    clientCidrs: [],
    adminCidrs: [],
    groups: [],
    vars: hop.port ? { ansible_port: hop.port, ece_jump_for: base.name } : { ece_jump_for: base.name },
  };
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}
