import path from 'node:path';
import type { FleetHost } from '../model/fleet.js';
import type { Connection } from '../transport/connection.js';
import { LocalConnection } from '../transport/local.js';
import { SshConnection, type SshOptions } from '../transport/ssh.js';
import type { HostKeyChecking } from '../transport/ssh-options.js';
import type { CliIo } from './io.js';

export type { HostKeyChecking };

/** SSH settings from flags; inventory `-o` options and ~/.ssh/config refine them per host. */
export function sshOptions(argv: { hostKeyChecking?: HostKeyChecking; knownHosts?: string; connectTimeout?: number }, io: CliIo): SshOptions {
  return {
    hostKeyChecking: argv.hostKeyChecking ?? 'strict',
    ...(argv.knownHosts ? { knownHostsFiles: [path.resolve(io.cwd, argv.knownHosts)] } : {}),
    connectTimeoutMs: (argv.connectTimeout ?? 10) * 1000,
  };
}

/** ansible_connection picks the transport; both speak the same Connection interface. */
export function connectionFactory(opts: SshOptions): (host: FleetHost) => Connection {
  return (host) => (host.connection === 'local' ? new LocalConnection(host.name) : new SshConnection(host, opts));
}
