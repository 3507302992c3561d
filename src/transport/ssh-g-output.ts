/**
 * `ssh -G` prints the options OpenSSH would use for a host (ssh_config with
 * its Include, Match and tokens applied, and every `-o` given) as one
 * `keyword value` line each, keywords lowercased, without connecting. This
 * file reads that text; it does no I/O (tested on captured samples).
 */
import type { HostKeyChecking } from './host-key-checking.js';

/** Keyword -> values in printed order (identityfile and a few others repeat). */
export type SshGOptions = ReadonlyMap<string, readonly string[]>;

export function parseSshG(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = /^([A-Za-z0-9]+)(?:\s+(.*))?$/.exec(line);
    if (!m?.[1]) continue;
    const key = m[1].toLowerCase();
    const list = out.get(key);
    const value = (m[2] ?? '').trim();
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/**
 * What OpenSSH answered, with OpenSSH's own defaults left out (undefined), so
 * the tool's defaults (ansible.cfg, --timeout's default) can fill them: a
 * value equal to what `ssh -G -F /dev/null` prints (the baseline) was not set
 * by ssh_config or the inventory. `StrictHostKeyChecking ask` counts as unset:
 * nobody can answer a prompt here.
 */
export interface SshGAnswer {
  hostname: string;
  port: number;
  user: string;
  /** Unexpanded (`~`, `%d`...); undefined: OpenSSH's default list. */
  identityFiles?: string[];
  /** As printed (OpenSSH expands `~` here); undefined: OpenSSH's default. */
  knownHostsFiles?: string[];
  hostKeyChecking?: HostKeyChecking;
  hostKeyAlias?: string;
  connectTimeoutMs?: number;
  /** ServerAliveInterval when set (OpenSSH's 0, off, is left out). */
  serverAliveIntervalMs?: number;
  /** ServerAliveCountMax when it differs from OpenSSH's default. */
  serverAliveCountMax?: number;
  /** ProxyJump spec as given (`a@b:2,c`). */
  proxyJump?: string;
  /** ProxyCommand with its %-tokens unexpanded. */
  proxyCommand?: string;
}

export function readSshG(options: SshGOptions, baseline: SshGOptions): SshGAnswer {
  const one = (k: string): string | undefined => options.get(k)?.[0];
  const same = (k: string): boolean => (options.get(k) ?? []).join('\n') === (baseline.get(k) ?? []).join('\n');
  const hostname = one('hostname');
  const user = one('user');
  const port = Number(one('port'));
  if (!hostname || !user || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`ssh -G gave no usable hostname, user and port (hostname ${hostname ?? '-'}, user ${user ?? '-'}, port ${one('port') ?? '-'})`);
  }
  const answer: SshGAnswer = { hostname, port, user };
  const ids = options.get('identityfile') ?? [];
  if (ids.length && !same('identityfile')) answer.identityFiles = [...ids];
  const kh = one('userknownhostsfile');
  if (kh !== undefined && !same('userknownhostsfile')) answer.knownHostsFiles = kh.split(/\s+/).filter(Boolean);
  const strict = strictOf(one('stricthostkeychecking'));
  if (strict) answer.hostKeyChecking = strict;
  const alias = one('hostkeyalias');
  if (alias && alias !== 'none') answer.hostKeyAlias = alias;
  const timeout = Number(one('connecttimeout'));
  if (Number.isFinite(timeout) && timeout > 0) answer.connectTimeoutMs = timeout * 1000;
  const alive = Number(one('serveraliveinterval'));
  if (Number.isFinite(alive) && alive > 0) answer.serverAliveIntervalMs = alive * 1000;
  const aliveCount = Number(one('serveralivecountmax'));
  if (!same('serveralivecountmax') && Number.isInteger(aliveCount) && aliveCount >= 1) answer.serverAliveCountMax = aliveCount;
  const jump = one('proxyjump');
  if (jump && jump.toLowerCase() !== 'none') answer.proxyJump = jump;
  const proxy = one('proxycommand');
  if (proxy && proxy.toLowerCase() !== 'none') answer.proxyCommand = proxy;
  return answer;
}

/** ssh -G prints yes/no/accept-new/ask (older versions: true/false). */
function strictOf(v: string | undefined): HostKeyChecking | undefined {
  switch (v?.toLowerCase()) {
    case 'yes':
    case 'true':
      return 'strict';
    case 'accept-new':
      return 'accept-new';
    case 'no':
    case 'false':
    case 'off':
      return 'off';
    default:
      return undefined;
  }
}
