import os from 'node:os';
import path from 'node:path';
import SSHConfig from 'ssh-config';
import { bareHost, type FleetHost } from '../model/fleet.js';
import { expandProxyCommand } from './proxy-command.js';
import type { SshGAnswer } from './ssh-g-output.js';

/**
 * Where and how to reach one host over SSH. The first value found wins, in
 * this order:
 *   1. the command line (--host-key-checking, --known-hosts, -T): an explicit
 *      flag is never beaten by an inventory or ssh_config (a `strict` must not
 *      become `StrictHostKeyChecking no`)
 *   2. ansible_ssh_common_args (`-o`, `-i`, `-p`, `-J`, `-l`, `-F`)
 *   3. inventory vars (ansible_user or -u, an explicit ansible_port, the key)
 *   4. ssh_config (~/.ssh/config, or `-F`), matched on ansible_host / the name
 *   5. defaults (ansible.cfg, ANSIBLE_*, the tool's: strict, 10 s), then OpenSSH's
 * With the OpenSSH client installed, 2-4 are OpenSSH's own answer (`ssh -G`,
 * ssh-resolve.ts); without it, the built-in parser below approximates them
 * and says what it cannot honour.
 */
export type { HostKeyChecking } from './host-key-checking.js';
import type { HostKeyChecking } from './host-key-checking.js';

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
  /**
   * ServerAliveInterval / ServerAliveCountMax, when ssh_config or the inventory
   * set them: how soon a connection that stopped answering (a DROP on port 22,
   * a dead host) is given up. Unset: the transport's default (15 s x 3).
   */
  serverAliveIntervalMs?: number;
  serverAliveCountMax?: number;
  /** Bastions, first hop first; empty for a direct connection. */
  jumps: JumpHop[];
  /** A ProxyCommand other than `ssh -W`, tokens expanded: run with `sh -c`, its stdio is the connection. */
  proxyCommand?: string;
  /** The `-F` file in force, handed on to jump hosts as OpenSSH does. */
  configFile?: string;
  /** Who read ssh_config: OpenSSH itself, or our parser (no ssh client here). */
  resolvedBy?: 'ssh -G' | 'built-in parser';
  /** What the built-in parser could not honour (Include, Match...). */
  notes?: string[];
}

/** Settings typed on the command line: they win over inventory and ssh_config. */
export interface CommandLineSsh {
  hostKeyChecking?: HostKeyChecking;
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
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
  /** Explicit flags: above everything else. */
  commandLine?: CommandLineSsh;
  /** Where sshConfigText came from (for notes and jump hosts). */
  sshConfigFile?: string;
}

/** Where SSH connects before ssh_config: ansible_host or the name (not ece_host_ip). */
export function sshAddressOf(host: Pick<FleetHost, 'address' | 'sshAddress'>): string {
  return host.sshAddress ?? host.address;
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

/** ssh flags that change nothing about where `ssh -W` goes (a bastion reached with them is our jump host). */
const HARMLESS_FLAGS = new Set('46ACNTaqvxy'.split(''));

/**
 * `ProxyCommand ssh -W %h:%p [-q] [-p port] [-l user] bastion` is the
 * pre-ProxyJump way to say ProxyJump: it becomes a jump host. Anything else
 * (other flags such as -F, -o or -i, a wrapper such as `sh -c`, nc, socat)
 * gives undefined and runs as OpenSSH runs it (proxy-command.ts). Takes the
 * command with its tokens unexpanded.
 */
export function jumpFromProxyCommand(cmd: string): JumpHop[] | undefined {
  let words: string[];
  try {
    words = shellWords(cmd);
  } catch {
    return undefined;
  }
  if (!words[0] || path.basename(words[0]) !== 'ssh') return undefined;
  let user: string | undefined;
  let port: number | undefined;
  let host: string | undefined;
  let forward: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith('-') && w.length >= 2) {
      const flags = w.slice(1);
      for (let j = 0; j < flags.length; j++) {
        const f = flags[j] as string;
        if (HARMLESS_FLAGS.has(f)) continue;
        if (!'Wpl'.includes(f)) return undefined;
        const arg = flags.slice(j + 1) || words[++i];
        if (arg === undefined) return undefined;
        if (f === 'l') user = arg;
        if (f === 'p') port = Number(arg);
        if (f === 'W') forward = arg;
        break;
      }
      continue;
    }
    if (host !== undefined) return undefined; // a remote command: not a plain -W
    host = w;
  }
  if (!host || (forward !== '%h:%p' && forward !== '[%h]:%p')) return undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) return undefined;
  let hop: JumpHop | undefined;
  try {
    [hop] = parseJumpSpec(host);
  } catch {
    return undefined;
  }
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
export function expandPath(p: string, ctx: { home: string; host: string; port: number; user: string; localUser: string; original?: string }): string {
  let out = p.replace(/%([hprudnlL%])/g, (_, t: string) => {
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
      case 'n':
        return ctx.original ?? ctx.host;
      case 'l':
        return os.hostname();
      case 'L':
        return os.hostname().split('.')[0] ?? '';
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

/** Resolve one host's SSH settings with the built-in parser (no ssh client). Pure: the config text comes in `defaults`. */
export function resolveSshTarget(host: FleetHost, defaults: ResolveDefaults = {}): SshTarget {
  const home = defaults.home ?? os.homedir();
  const localUser = defaults.localUser ?? safeUserName();
  const sshHost = sshAddressOf(host);
  const args = parseSshArgs(host.sshCommonArgs ?? '');
  const arg = (k: string): string | undefined => args.options.get(k)?.[0];
  const cfg: Record<string, string | string[]> = defaults.sshConfigText
    ? SSHConfig.parse(defaults.sshConfigText).compute(sshHost, { ignoreCase: true, matchExec: false })
    : {};
  const conf = (k: string): string | undefined => first(cfg[k]);

  const hostname = arg('hostname') ?? conf('hostname')?.replace(/%h/g, sshHost) ?? sshHost;
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

  const target: SshTarget = {
    hostname,
    port,
    user,
    identityFiles,
    defaultIdentities,
    knownHostsFiles,
    hostKeyChecking,
    connectTimeoutMs,
    jumps: [],
    resolvedBy: 'built-in parser',
  };
  const alias = arg('hostkeyalias') ?? conf('hostkeyalias');
  if (alias) target.hostKeyAlias = alias;
  setServerAlive(target, arg('serveraliveinterval') ?? conf('serveraliveinterval'), arg('serveralivecountmax') ?? conf('serveralivecountmax'));
  // ProxyJump and ProxyCommand: whichever comes first in OpenSSH's order (args, then config).
  const jumpText = arg('proxyjump') ?? (arg('proxycommand') === undefined ? conf('proxyjump') : undefined);
  const proxyCommand = jumpText === undefined ? (arg('proxycommand') ?? conf('proxycommand')) : undefined;
  setProxy(target, { ...(jumpText !== undefined ? { proxyJump: jumpText } : {}), ...(proxyCommand ? { proxyCommand } : {}) }, sshHost, home, localUser);
  const configFile = args.configFile ?? defaults.sshConfigFile;
  if (configFile) target.configFile = configFile;
  const notes = parserNotes(defaults.sshConfigText, configFile);
  if (notes.length) target.notes = notes;
  return applyCommandLine(target, defaults.commandLine);
}

/**
 * What OpenSSH answered (`ssh -G`, with the inventory's options passed as
 * `-o`, so inventory > ssh_config is OpenSSH's doing) -> the target, with the
 * tool's defaults where OpenSSH only had its own, and the command line on top.
 */
export function targetFromAnswer(answer: SshGAnswer, host: FleetHost, defaults: ResolveDefaults = {}): SshTarget {
  const home = defaults.home ?? os.homedir();
  const localUser = defaults.localUser ?? safeUserName();
  const ctx = { home, host: answer.hostname, port: answer.port, user: answer.user, localUser, original: sshAddressOf(host) };
  const identityFiles = (answer.identityFiles ?? []).filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(f, ctx));
  const defaultIdentities = identityFiles.length === 0;
  if (defaultIdentities) identityFiles.push(...DEFAULT_IDENTITIES.map((f) => path.join(home, '.ssh', f)));
  const knownHostsFiles = (answer.knownHostsFiles ?? defaults.knownHostsFiles ?? ['~/.ssh/known_hosts'])
    .filter((f) => f.toLowerCase() !== 'none')
    .map((f) => expandPath(f, ctx));
  const target: SshTarget = {
    hostname: answer.hostname,
    port: answer.port,
    user: answer.user,
    identityFiles,
    defaultIdentities,
    knownHostsFiles,
    hostKeyChecking: answer.hostKeyChecking ?? defaults.hostKeyChecking ?? 'strict',
    connectTimeoutMs: answer.connectTimeoutMs ?? defaults.connectTimeoutMs ?? 10_000,
    jumps: [],
    resolvedBy: 'ssh -G',
  };
  if (answer.hostKeyAlias) target.hostKeyAlias = answer.hostKeyAlias;
  if (answer.serverAliveIntervalMs) target.serverAliveIntervalMs = answer.serverAliveIntervalMs;
  if (answer.serverAliveCountMax !== undefined) target.serverAliveCountMax = answer.serverAliveCountMax;
  setProxy(target, answer, sshAddressOf(host), home, localUser);
  const configFile = parseSshArgs(host.sshCommonArgs ?? '').configFile ?? defaults.sshConfigFile;
  if (configFile) target.configFile = configFile;
  return applyCommandLine(target, defaults.commandLine);
}

/** ServerAliveInterval (seconds, 0: off, i.e. our default) and ServerAliveCountMax, as OpenSSH reads them. */
function setServerAlive(target: SshTarget, interval: string | undefined, countMax: string | undefined): void {
  const seconds = Number(interval);
  if (interval !== undefined && Number.isFinite(seconds) && seconds > 0) target.serverAliveIntervalMs = seconds * 1000;
  const count = Number(countMax);
  if (countMax !== undefined && Number.isInteger(count) && count >= 1) target.serverAliveCountMax = count;
}

/** ProxyJump -> jump hops; `ssh -W %h:%p bastion` -> a jump hop too; any other ProxyCommand -> run as given. */
function setProxy(target: SshTarget, p: { proxyJump?: string; proxyCommand?: string }, original: string, home: string, localUser: string): void {
  if (p.proxyJump !== undefined) {
    target.jumps = parseJumpSpec(p.proxyJump);
    return;
  }
  if (!p.proxyCommand || p.proxyCommand.toLowerCase() === 'none') return;
  const jumps = jumpFromProxyCommand(p.proxyCommand);
  if (jumps) {
    target.jumps = jumps;
    return;
  }
  target.proxyCommand = expandProxyCommand(p.proxyCommand, {
    host: target.hostname,
    port: target.port,
    user: target.user,
    original,
    localUser,
    home,
    localHost: os.hostname(),
  });
}

/** An explicit command-line flag beats whatever the inventory and ssh_config said. */
export function applyCommandLine(target: SshTarget, cl: CommandLineSsh | undefined): SshTarget {
  if (!cl) return target;
  if (cl.hostKeyChecking) target.hostKeyChecking = cl.hostKeyChecking;
  if (cl.knownHostsFiles?.length) target.knownHostsFiles = [...cl.knownHostsFiles];
  if (cl.connectTimeoutMs) target.connectTimeoutMs = cl.connectTimeoutMs;
  return target;
}

/** Directives the built-in parser reads differently from OpenSSH, as found in the config text. */
function parserNotes(text: string | undefined, file: string | undefined): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(Include|Match|CanonicalizeHostname|CanonicalDomains|KnownHostsCommand)\b/i.exec(line);
    if (m?.[1]) seen.add(m[1].toLowerCase());
  }
  if (/%[^h%\s]/.test(text)) seen.add('%-tokens other than %h');
  if (!seen.size) return [];
  const names: Record<string, string> = {
    include: 'Include (not followed)',
    match: 'Match (approximated: no exec, no final pass)',
    canonicalizehostname: 'CanonicalizeHostname (ignored)',
    canonicaldomains: 'CanonicalDomains (ignored)',
    knownhostscommand: 'KnownHostsCommand (ignored)',
  };
  const list = [...seen].map((k) => names[k] ?? `${k} (only in paths)`);
  return [`${file ?? 'ssh_config'}: without the OpenSSH client (openssh-client) these are not read as OpenSSH reads them: ${list.join(', ')}`];
}

/**
 * The `ssh -G` command line for a host: the inventory's settings as `-o`
 * options (ansible_ssh_common_args first, then ansible_user / -u, an explicit
 * ansible_port, the private key), so OpenSSH's first-value-wins puts them
 * above ssh_config. `configFile` (the run's) is used unless the host's args
 * carry their own `-F`; null reads no config at all.
 */
export function sshGArgs(host: FleetHost, configFile?: string | null): string[] {
  const args = parseSshArgs(host.sshCommonArgs ?? '');
  const out: string[] = [];
  const file = args.configFile ?? (configFile === null ? '/dev/null' : configFile);
  if (file) out.push('-F', file);
  for (const [key, values] of args.options) for (const v of values) out.push('-o', `${key}=${v}`);
  if (host.user) out.push('-o', `user=${host.user}`);
  if (explicitPort(host)) out.push('-o', `port=${host.port}`);
  if (host.privateKeyFile) out.push('-o', `identityfile=${host.privateKeyFile}`);
  out.push('--', sshAddressOf(host));
  return out;
}

/** A FleetHost for a bastion hop: its own ssh config applies, the target's args do not. */
export function hopHost(hop: JumpHop, base: Pick<FleetHost, 'name'>): FleetHost {
  return bareHost(hop.host, hop.host, {
    port: hop.port ?? 22,
    ...(hop.user ? { user: hop.user } : {}),
    vars: hop.port ? { ansible_port: hop.port, ece_jump_for: base.name } : { ece_jump_for: base.name },
  });
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}
