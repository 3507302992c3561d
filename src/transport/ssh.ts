/**
 * The SSH transport's connection: one ssh2 Client per host, how it is reached
 * (direct, or through a ProxyJump chain of bastions, each an SshConnection of
 * its own) and why it failed. What runs over it lives beside it: keys and
 * host keys in ssh-keys.ts, remote processes in ssh-process.ts, direct-tcpip
 * channels in ssh-tunnel.ts.
 */
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: Node's ESM loader sees only its default export.
import ssh2, { type ClientChannel, type ConnectConfig } from 'ssh2';
const { Client } = ssh2;
type Client = InstanceType<typeof Client>;
import { HostUnreachableError } from '../errors.js';
import type { FleetHost } from '../model/fleet.js';
import type { ProbeResult } from '../tasks/probe-outcome.js';
import type { Connection, ExecOptions, ExecResult, RunningCommand, StartOptions } from './connection.js';
import { oneLine } from './one-line.js';
import { authMethods, hostKeyCheck, type HostKeyProblem } from './ssh-keys.js';
import { spawnProxyCommand, type RunningProxy } from './proxy-command.js';
import { hopHost, type CommandLineSsh, type HostKeyChecking, type JumpHop, type SshTarget } from './ssh-options.js';
import { parserTarget, resolveOptionsOf, resolveTarget } from './ssh-resolve.js';
import { RemoteProcesses } from './ssh-process.js';
import { forwardProbe, tunnelThrough } from './ssh-tunnel.js';

/**
 * Gives the connection to reach the next hop through. `via` is the previous
 * bastion in a chain (undefined for the first). A provider that caches lets
 * many targets share one bastion connection; the provider then owns it.
 */
/**
 * Where a connection gets its bastions from. Given one (src/transport/jump-pool.ts),
 * hosts behind the same bastion share one connection to it; without, each
 * host opens its own hops and closes them with itself.
 */
export type JumpProvider = (hop: JumpHop, via: SshConnection | undefined, ctx: { forHost: FleetHost; sshConfigFile: string | null | undefined }) => Promise<SshConnection>;

export interface SshOptions {
  /** Tool-wide default; StrictHostKeyChecking in the host's args or ssh config wins. Default 'strict'. */
  hostKeyChecking?: HostKeyChecking;
  /** Default ['~/.ssh/known_hosts']; UserKnownHostsFile in args or ssh config wins. */
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
  /** SSH keepalive interval (default 15000; 0 disables). */
  keepaliveIntervalMs?: number;
  /** Default ~/.ssh/config when present; null: read none. */
  sshConfigFile?: string | null;
  /** Flags typed on the command line: they beat inventory and ssh_config. */
  commandLine?: CommandLineSsh;
  /** false: never ask the OpenSSH client (`ssh -G`), use the built-in ssh_config parser. Default true. */
  openSsh?: boolean;
  /** Targets already resolved for inventory hosts, by name (an Error: the host fails with it). */
  targets?: ReadonlyMap<string, SshTarget | Error>;
  /** For encrypted keys; default env ECE_PREFLIGHT_KEY_PASSPHRASE. */
  passphrase?: string;
  /** Default: a private chain of SshConnections, closed with this one. */
  jump?: JumpProvider;
  /** ssh-agent socket; default env SSH_AUTH_SOCK; null: no agent. */
  agentSocket?: string | null;
  /** Concurrent exec/start channels per connection (OpenSSH MaxSessions is 10). Default 8. */
  maxChannels?: number;
  /** Reach the host through this connection (used for jump chains). */
  via?: SshConnection;
  /** ssh2's protocol debug lines (the CLI's -vvvv). */
  debug?: (line: string) => void;
}

/**
 * sshd closes a connection before its banner when it is past MaxStartups (too
 * many unauthenticated connections at once: others logging in to a busy host
 * or bastion). That is load, not a dead host: connect() tries such a
 * connection again after a growing, jittered pause (0.2 s, 0.4 s, ... 3.2 s,
 * each up to twice that: 6 to 12 s in all) before the host counts as
 * unreachable. Errors of such connects are kept here.
 */
const droppedBeforeBanner = new WeakSet<Error>();
const BANNER_RETRIES = 5;
const BANNER_BACKOFF_MS = 200;

/** The SSH transport: one ssh2 Client per host, reused for every exec, start and tunnel. */
export class SshConnection implements Connection {
  readonly host: string;
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private target: SshTarget | undefined;
  private hostKeyProblem: HostKeyProblem | undefined;
  private triedAuth: string[] = [];
  private readonly processes: RemoteProcesses;
  private ownedHops: SshConnection[] = [];
  private lost: string | undefined;
  /** The running ProxyCommand, when the target has one. */
  private proxy: RunningProxy | undefined;

  constructor(
    readonly fleetHost: FleetHost,
    private readonly opts: SshOptions = {},
  ) {
    this.host = fleetHost.name;
    this.processes = new RemoteProcesses(
      {
        host: this.host,
        where: () => this.where(),
        connect: () => this.connect(),
        ready: () => this.ready(),
        client: () => this.client,
        lost: () => this.lost,
      },
      opts.maxChannels ?? 8,
    );
  }

  /** ServerAliveInterval x ServerAliveCountMax as this connection uses them (0 s: keepalives off). */
  private keepalive(t: SshTarget): { intervalMs: number; countMax: number } {
    return { intervalMs: t.serverAliveIntervalMs ?? this.opts.keepaliveIntervalMs ?? 15_000, countMax: t.serverAliveCountMax ?? 3 };
  }

  /** Once connected: how long a silent link is borne (keepalives off: as the default, 45 s). */
  get silentLinkLimitMs(): number | undefined {
    if (!this.target) return undefined;
    const k = this.keepalive(this.target);
    return k.intervalMs > 0 ? k.intervalMs * k.countMax : 45_000;
  }

  /**
   * The resolved settings: the target resolved before the run when there is
   * one (OpenSSH's answer), else the built-in parser's (sync: for -vvv lines
   * and the key passphrase prompt). connect() asks OpenSSH itself.
   */
  resolve(): SshTarget {
    if (!this.target) {
      const known = this.opts.targets?.get(this.fleetHost.name);
      if (known instanceof Error) throw known;
      this.target = known ?? parserTarget(this.fleetHost, resolveOptionsOf(this.opts));
    }
    return this.target;
  }

  private async resolveAsync(): Promise<SshTarget> {
    if (!this.target) {
      const known = this.opts.targets?.get(this.fleetHost.name);
      if (known instanceof Error) throw known;
      this.target = known ?? (await resolveTarget(this.fleetHost, resolveOptionsOf(this.opts)));
    }
    return this.target;
  }

  private where(): string {
    const t = this.target;
    return t ? `${t.user}@${t.hostname}:${t.port}` : this.fleetHost.address;
  }

  connect(): Promise<void> {
    if (this.client && !this.lost) return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.connectRetrying().finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  /** doConnect, again while sshd drops the connection before its banner (MaxStartups), with backoff. */
  private async connectRetrying(): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.doConnect();
      } catch (e) {
        if (!(e instanceof HostUnreachableError) || !droppedBeforeBanner.has(e)) throw e;
        if (attempt > BANNER_RETRIES) {
          const why = e.message.startsWith(`${this.host}: `) ? e.message.slice(this.host.length + 2) : e.message;
          throw new HostUnreachableError(this.host, `${why}; ${attempt} tries in ${((Date.now() - started) / 1000).toFixed(1)} s`, e.kind);
        }
        const base = BANNER_BACKOFF_MS * 2 ** (attempt - 1);
        await new Promise((r) => setTimeout(r, base + Math.random() * base));
      }
    }
  }

  private async doConnect(): Promise<void> {
    // A reconnect after a drop builds a fresh bastion chain.
    await this.closeHops();
    let target: SshTarget;
    try {
      target = await this.resolveAsync();
    } catch (e) {
      throw new HostUnreachableError(this.host, oneLine((e as Error).message), 'config');
    }
    const sock = await this.openPath(target);
    const auth = authMethods(target, this.opts);
    this.triedAuth = auth.tried;
    if (auth.methods.length === 0) {
      sock?.destroy();
      throw new HostUnreachableError(
        this.host,
        `no SSH identity for ${this.where()}: tried ${this.triedAuth.join(', ') || 'nothing'}`,
        'client-authentication',
      );
    }
    const hostKeys = hostKeyCheck(target);
    const client = new Client();
    this.hostKeyProblem = undefined;
    this.lost = undefined;
    const config: ConnectConfig = {
      host: target.hostname,
      port: target.port,
      username: target.user,
      readyTimeout: target.connectTimeoutMs,
      // ServerAliveInterval/CountMax from ssh_config or the inventory bound how long a
      // connection that stopped answering (a DROP on port 22) holds the run.
      keepaliveInterval: this.keepalive(target).intervalMs,
      keepaliveCountMax: this.keepalive(target).countMax,
      authHandler: auth.methods,
      algorithms: { serverHostKey: hostKeys.algorithms as never },
      hostVerifier: (key: Buffer): boolean => {
        const problem = hostKeys.verify(key);
        if (problem) this.hostKeyProblem = problem;
        return !problem;
      },
    };
    if (sock) config.sock = sock;
    if (this.opts.debug) {
      const debug = this.opts.debug;
      config.debug = (line: string) => debug(`[${this.host}] ${line}`);
    }
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let handshake = false;
      client.once('handshake', () => (handshake = true));
      client.once('ready', () => {
        settled = true;
        resolve();
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        if (!settled) {
          settled = true;
          const e = this.classify(err, target);
          // ssh2 says "Connection lost before handshake" when the server closed before its banner; a reset then is the same drop.
          if (!handshake && !this.hostKeyProblem && !this.proxy && (err.message === 'Connection lost before handshake' || err.code === 'ECONNRESET')) droppedBeforeBanner.add(e);
          reject(e);
        } else this.lost = oneLine(err.message);
      });
      client.on('close', () => {
        if (!settled) {
          settled = true;
          const proxyWhy = this.proxy?.failure();
          reject(
            new HostUnreachableError(
              this.host,
              proxyWhy ? `cannot reach ${this.where()}: ${oneLine(proxyWhy)}` : `connection to ${this.where()} closed during the handshake`,
              'client-socket',
            ),
          );
        }
        this.lost ??= 'connection closed';
      });
      client.connect(config);
    }).catch(async (e) => {
      client.end();
      // A ProxyCommand that ended is the reason, whatever ssh2 made of the closed stream.
      const proxyWhy = this.hostKeyProblem ? undefined : await this.proxy?.ended(500);
      await this.closeHops();
      if (proxyWhy) throw new HostUnreachableError(this.host, `cannot reach ${this.where()}: ${oneLine(proxyWhy)}`, 'client-socket');
      throw e;
    });
    this.client = client;
  }

  /** A tunnel through the bastion chain or a ProxyCommand's stdio, or undefined for a direct TCP connection. */
  private async openPath(target: SshTarget): Promise<Duplex | undefined> {
    if (target.proxyCommand && !this.opts.via) {
      this.proxy = spawnProxyCommand(target.proxyCommand);
      return this.proxy.sock;
    }
    let via = this.opts.via;
    if (!via && target.jumps.length) {
      for (const hop of target.jumps) {
        let next: SshConnection;
        try {
          if (this.opts.jump) next = await this.opts.jump(hop, via, { forHost: this.fleetHost, sshConfigFile: target.configFile ?? this.opts.sshConfigFile });
          else {
            // A bastion is resolved from ssh_config alone (the same -F, as OpenSSH passes it on), never from the inventory.
            const { jump: _j, via: _v, targets: _t, ...rest } = this.opts;
            const sshConfigFile = target.configFile ?? rest.sshConfigFile;
            next = new SshConnection(hopHost(hop, this.fleetHost), {
              ...rest,
              ...(sshConfigFile !== undefined ? { sshConfigFile } : {}),
              ...(via ? { via } : {}),
            });
            this.ownedHops.push(next);
          }
          await next.connect();
        } catch (e) {
          await this.closeHops();
          const kind = e instanceof HostUnreachableError ? e.kind : 'client-socket';
          throw new HostUnreachableError(this.host, `via jump host ${hop.host}: ${oneLine((e as Error).message)}`, kind);
        }
        via = next;
      }
    }
    if (!via) return undefined;
    try {
      return await via.openTunnel(target.hostname, target.port, target.connectTimeoutMs);
    } catch (e) {
      await this.closeHops();
      throw new HostUnreachableError(
        this.host,
        `jump host ${via.host} cannot reach ${target.hostname}:${target.port}: ${oneLine((e as Error).message)}`,
        'client-socket',
      );
    }
  }

  private async closeHops(): Promise<void> {
    this.proxy?.kill();
    this.proxy = undefined;
    const hops = this.ownedHops.reverse();
    this.ownedHops = [];
    for (const h of hops) await h.close();
  }

  private classify(err: Error & { level?: string; code?: string }, target: SshTarget): HostUnreachableError {
    const where = this.where();
    if (this.hostKeyProblem) return new HostUnreachableError(this.host, this.hostKeyProblem.message, this.hostKeyProblem.kind);
    const level = err.level ?? 'client-ssh';
    switch (level) {
      case 'client-socket': {
        const code = err.code ? ` (${err.code})` : '';
        const what =
          err.code === 'ECONNREFUSED'
            ? 'connection refused'
            : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH'
              ? 'no route to host'
              : err.code === 'ETIMEDOUT'
                ? 'connection timed out'
                : oneLine(err.message);
        return new HostUnreachableError(this.host, `cannot connect to ${where}: ${what}${code}`, level);
      }
      case 'client-timeout':
        return new HostUnreachableError(
          this.host,
          `no SSH handshake with ${where} within ${target.connectTimeoutMs} ms (port 22 filtered, or sshd stuck)`,
          level,
        );
      case 'client-dns':
        return new HostUnreachableError(this.host, `cannot resolve ${target.hostname}: ${oneLine(err.message)}`, level);
      case 'client-authentication':
        return new HostUnreachableError(
          this.host,
          `authentication failed for ${where} (tried ${this.triedAuth.join(', ') || 'nothing'})`,
          level,
        );
      case 'agent':
        return new HostUnreachableError(this.host, `ssh-agent failed while connecting to ${where}: ${oneLine(err.message)}`, level);
      case 'protocol':
        if (err.message === 'Connection lost before handshake') {
          return new HostUnreachableError(this.host, `${where} closed the connection before the SSH handshake (sshd past its MaxStartups, or a connection limit)`, level);
        }
        return new HostUnreachableError(this.host, `SSH to ${where} failed: ${oneLine(err.message)}`, level);
      default:
        return new HostUnreachableError(this.host, `SSH to ${where} failed: ${oneLine(err.message)}`, level);
    }
  }

  private async ready(): Promise<Client> {
    await this.connect();
    if (!this.client) throw new HostUnreachableError(this.host, `not connected to ${this.where()}`, 'client-socket');
    return this.client;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.processes.exec(command, opts);
  }

  start(command: string, opts: StartOptions = {}): RunningCommand {
    return this.processes.start(command, opts);
  }

  /**
   * A direct-tcpip channel from the host to address:port (nothing runs on the
   * host). The stream is the caller's to end. Used for jump chains.
   */
  async openTunnel(address: string, port: number, timeoutMs = 10_000): Promise<ClientChannel> {
    return tunnelThrough(await this.ready(), address, port, timeoutMs);
  }

  /**
   * Probe address:port from this host with a direct-tcpip channel: sshd makes
   * the TCP connection and reports how it went. `AllowTcpForwarding no` gives
   * 'error' with detail 'forwarding disabled' (fall back to an exec probe).
   */
  async forwardOut(address: string, port: number, timeoutMs = 3000): Promise<ProbeResult> {
    return forwardProbe(await this.ready(), address, port, timeoutMs);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        client.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        client.end();
      });
    }
    await this.closeHops();
  }
}

