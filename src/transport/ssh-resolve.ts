/**
 * One host's SSH target, as OpenSSH would reach it: ask the local client
 * (`ssh -G`) where it is installed, else read ssh_config with the built-in
 * parser (which says what it cannot honour, in SshTarget.notes).
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FleetHost } from '../model/fleet.js';
import { readSshG } from './ssh-g-output.js';
import { runSshG, sshGBaseline } from './ssh-g.js';
import { parseSshArgs, resolveSshTarget, sshGArgs, targetFromAnswer, type ResolveDefaults, type SshTarget } from './ssh-options.js';

export interface ResolveOptions extends Omit<ResolveDefaults, 'sshConfigText' | 'sshConfigFile'> {
  /** Default: ~/.ssh/config (and OpenSSH's system config); null: read none. A `-F` in the host's args wins. */
  sshConfigFile?: string | null;
  /** false: never ask OpenSSH (the built-in parser only). Default true. */
  openSsh?: boolean;
}

/**
 * The part of the SSH settings that resolving a target reads. Here, not in
 * ssh.ts: `plan` resolves targets without loading ssh2 (~40 ms of start-up).
 */
export function resolveOptionsOf(o: ResolveOptions): ResolveOptions {
  return {
    ...(o.hostKeyChecking ? { hostKeyChecking: o.hostKeyChecking } : {}),
    ...(o.knownHostsFiles ? { knownHostsFiles: o.knownHostsFiles } : {}),
    ...(o.connectTimeoutMs ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
    ...(o.commandLine ? { commandLine: o.commandLine } : {}),
    ...(o.sshConfigFile !== undefined ? { sshConfigFile: o.sshConfigFile } : {}),
    ...(o.openSsh !== undefined ? { openSsh: o.openSsh } : {}),
  };
}

export async function resolveTarget(host: FleetHost, opts: ResolveOptions = {}): Promise<SshTarget> {
  const { sshConfigFile, openSsh, ...defaults } = opts;
  if (openSsh !== false) {
    const base = await sshGBaseline();
    if (base.ok) {
      const run = await runSshG(sshGArgs(host, sshConfigFile));
      if (run.ok) {
        const file = parseSshArgs(host.sshCommonArgs ?? '').configFile ?? (sshConfigFile ?? undefined);
        return targetFromAnswer(readSshG(run.options, base.options), host, { ...defaults, ...(file ? { sshConfigFile: file } : {}) });
      }
      if (!run.missing) throw new Error(run.error);
    } else if (!base.missing) {
      throw new Error(base.error);
    }
  }
  return parserTarget(host, opts);
}

/** Without the OpenSSH client: the config file read by the built-in parser. */
export function parserTarget(host: FleetHost, opts: ResolveOptions = {}): SshTarget {
  const { sshConfigFile, openSsh: _o, ...defaults } = opts;
  const fromArgs = parseSshArgs(host.sshCommonArgs ?? '').configFile;
  const file = fromArgs ?? (sshConfigFile === undefined ? defaultConfigFile() : (sshConfigFile ?? undefined));
  let text: string | undefined;
  if (file && file !== '/dev/null') {
    if (!existsSync(file)) {
      // OpenSSH refuses a missing -F file; the default ~/.ssh/config may be absent.
      if (fromArgs) throw new Error(`ssh config file ${file} (-F in ansible_ssh_common_args) does not exist`);
    } else text = readFileSync(file, 'utf8');
  }
  return resolveSshTarget(host, { ...defaults, ...(text ? { sshConfigText: text } : {}), ...(file ? { sshConfigFile: file } : {}) });
}

function defaultConfigFile(): string | undefined {
  const f = path.join(os.homedir(), '.ssh', 'config');
  return existsSync(f) ? f : undefined;
}
