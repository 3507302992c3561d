import type { FleetHost } from '../model/fleet.js';
import type { Connection } from '../transport/connection.js';
import { LocalConnection } from '../transport/local.js';
import { SshConnection, type SshOptions } from '../transport/ssh.js';
import type { HostKeyChecking } from '../transport/ssh-options.js';
import type { CliIo } from './io.js';
import { sshView } from './ssh-targets.js';

export type { HostKeyChecking };
// In ssh-settings.ts (no ssh2: `plan` needs the settings, not a connection); still importable from here.
export { sshOptions } from './ssh-settings.js';


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
