import path from 'node:path';
import type { FleetHost } from '../model/fleet.js';
import type { Connection } from '../transport/connection.js';
import { LocalConnection } from '../transport/local.js';
import { SshConnection, type SshOptions } from '../transport/ssh.js';
import type { CommandLineSsh, HostKeyChecking } from '../transport/ssh-options.js';
import type { ConnectionSettings } from './connection-settings.js';
import type { CliIo } from './io.js';
import { sshView } from './ssh-targets.js';

export type { HostKeyChecking };

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

/**
 * ansible_connection picks the transport; both speak the same Connection
 * interface. At -vvv each SSH host's resolved target is printed as it is
 * created, the way Ansible's -vvv shows `ESTABLISH SSH CONNECTION`.
 */
export function connectionFactory(opts: SshOptions, trace?: { verbosity: number; io: CliIo }): (host: FleetHost) => Connection {
  return (host) => {
    if (host.connection === 'local') return new LocalConnection(host.name);
    const conn = new SshConnection(host, opts);
    if (trace && trace.verbosity >= 3) trace.io.stderr.write(describeTarget(host, conn));
    return conn;
  };
}

function describeTarget(host: FleetHost, conn: SshConnection): string {
  try {
    const t = conn.resolve();
    const keys = t.defaultIdentities ? `default keys (${t.identityFiles.join(', ')})` : t.identityFiles.join(', ');
    const view = sshView(t);
    const via = view.via ? ` via ${view.via}` : '';
    const by = t.resolvedBy ? ` SSH_CONFIG READ BY: ${t.resolvedBy}` : '';
    return `<${host.name}> ESTABLISH SSH CONNECTION FOR USER: ${t.user} TO ${t.hostname}:${t.port}${via} KEY: ${keys} HOST KEY CHECKING: ${t.hostKeyChecking} (${t.knownHostsFiles.join(', ')})${by} TIMEOUT: ${t.connectTimeoutMs / 1000} s\n`;
  } catch (e) {
    // connect() reports the same problem as the host's failure.
    return `<${host.name}> SSH settings could not be resolved: ${(e as Error).message}\n`;
  }
}
