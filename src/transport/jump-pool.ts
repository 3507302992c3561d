import { SshConnection, type JumpProvider, type SshOptions } from './ssh.js';
import { hopHost } from './ssh-options.js';

/**
 * One connection per bastion for the whole run, shared by every host behind
 * it: 50 hosts behind one bastion open 1 connection to it, not 50 (OpenSSH's
 * MaxStartups refuses such a burst), and under accept-new its key is recorded
 * once. Keyed by the path to the bastion (the hops before it), its user and
 * port, and the ssh_config file that resolves it. The pool owns the hops:
 * closeAll() at the end of the run.
 */
export class JumpPool {
  private readonly hops = new Map<string, SshConnection>();

  constructor(private readonly opts: SshOptions) {}

  readonly provider: JumpProvider = async (hop, via, ctx) => {
    const key = JSON.stringify([via?.host ?? null, hop.user ?? null, hop.host, hop.port ?? 22, ctx.sshConfigFile ?? null]);
    let conn = this.hops.get(key);
    if (!conn) {
      // A bastion is resolved from ssh_config alone (the same -F, as OpenSSH passes it on), never from the inventory.
      const { jump: _j, via: _v, targets: _t, ...rest } = this.opts;
      conn = new SshConnection(hopHost(hop, ctx.forHost), {
        ...rest,
        ...(ctx.sshConfigFile !== undefined ? { sshConfigFile: ctx.sshConfigFile } : {}),
        ...(via ? { via } : {}),
        jump: this.provider,
      });
      this.hops.set(key, conn);
    }
    return conn;
  };

  /** How many bastion connections were opened (one per distinct path). */
  get size(): number {
    return this.hops.size;
  }

  async closeAll(): Promise<void> {
    // Farthest hops first: a hop's tunnel runs through the one before it.
    for (const c of [...this.hops.values()].reverse()) await c.close().catch(() => {});
    this.hops.clear();
  }
}
