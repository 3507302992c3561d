import path from 'node:path';
import type { SshOptions } from '../transport/ssh.js';
import type { CommandLineSsh } from '../transport/ssh-options.js';
import type { ConnectionSettings } from './connection-settings.js';
import type { CliIo } from './io.js';

/**
 * SSH settings from flags and ansible.cfg. Values from ANSIBLE_* and
 * ansible.cfg are defaults that inventory `-o` options and ssh_config refine
 * per host; flags typed on the command line beat both (commandLine).
 */
export function sshOptions(settings: ConnectionSettings, io: CliIo): SshOptions {
  const knownHostsFiles = settings.knownHosts ? [path.resolve(io.cwd, settings.knownHosts)] : undefined;
  const commandLine: CommandLineSsh = {
    ...(settings.fromFlags?.hostKeyChecking ? { hostKeyChecking: settings.hostKeyChecking } : {}),
    ...(settings.fromFlags?.timeout ? { connectTimeoutMs: settings.connectTimeoutSec * 1000 } : {}),
    ...(knownHostsFiles ? { knownHostsFiles } : {}),
  };
  const opts: SshOptions = {
    hostKeyChecking: settings.hostKeyChecking,
    ...(knownHostsFiles ? { knownHostsFiles } : {}),
    connectTimeoutMs: settings.connectTimeoutSec * 1000,
    ...(Object.keys(commandLine).length ? { commandLine } : {}),
  };
  // -vvvv: ssh2's own protocol trace, as ssh -vvv shows OpenSSH's.
  if (settings.verbosity >= 4) opts.debug = (line: string) => io.stderr.write(`SSH: ${line}\n`);
  return opts;
}
