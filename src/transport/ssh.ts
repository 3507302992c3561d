import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: Node's ESM loader sees only its default export.
import ssh2, { type AnyAuthMethod, type ClientChannel, type ConnectConfig, type ParsedKey } from 'ssh2';
const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;
import { HostUnreachableError } from '../errors.js';
import type { FleetHost } from '../model/fleet.js';
import { outcomeOfErrno, type ProbeResult } from '../tasks/probe-outcome.js';
import type { Connection, ExecOptions, ExecResult, RunningCommand, StartOptions } from './connection.js';
import {
  checkHostKey,
  fingerprint,
  formatKnownHostsLine,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  type KnownHostsEntry,
} from './known-hosts.js';
import { LineSplitter } from './line-splitter.js';
import { hopHost, resolveSshTarget, type HostKeyChecking, type JumpHop, type SshTarget } from './ssh-options.js';

/**
 * Gives the connection to reach the next hop through. `via` is the previous
 * bastion in a chain (undefined for the first). A provider that caches lets
 * many targets share one bastion connection; the provider then owns it.
 */
export type JumpProvider = (hop: JumpHop, via: SshConnection | undefined) => Promise<SshConnection>;

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

const DEFAULT_HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Host key algorithms with the types already in known_hosts first, as OpenSSH orders them. */
export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const preferred = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  const known = preferred.filter((a) => DEFAULT_HOST_KEY_ALGOS.includes(a));
  return [...new Set([...known, ...DEFAULT_HOST_KEY_ALGOS])];
}

/** Small FIFO semaphore for the channel cap. */
class Slots {
  private free: number;
  private waiting: Array<() => void> = [];
  constructor(n: number) {
    this.free = n;
  }
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((r) => this.waiting.push(r));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

interface HostKeyProblem {
  kind: 'host-key-unknown' | 'host-key-changed' | 'host-key-revoked';
  message: string;
}

/** The SSH transport: one ssh2 Client per host, reused for every exec, start and tunnel. */
export class SshConnection implements Connection {
  readonly host: string;
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private target: SshTarget | undefined;
  private hostKeyProblem: HostKeyProblem | undefined;
  private triedAuth: string[] = [];
  private readonly slots: Slots;
  private ownedHops: SshConnection[] = [];
  private lost: string | undefined;

  constructor(
    readonly fleetHost: FleetHost,
    private readonly opts: SshOptions = {},
  ) {
    this.host = fleetHost.name;
    this.slots = new Slots(opts.maxChannels ?? 8);
  }

  /** The resolved settings (after connect(), or computed now). */
  resolve(): SshTarget {
    if (!this.target) {
      const cfgFile = this.opts.sshConfigFile === undefined ? defaultConfigFile() : this.opts.sshConfigFile;
      const sshConfigText = cfgFile && existsSync(cfgFile) ? readFileSync(cfgFile, 'utf8') : undefined;
      this.target = resolveSshTarget(this.fleetHost, {
        ...(this.opts.hostKeyChecking ? { hostKeyChecking: this.opts.hostKeyChecking } : {}),
        ...(this.opts.knownHostsFiles ? { knownHostsFiles: this.opts.knownHostsFiles } : {}),
        ...(this.opts.connectTimeoutMs ? { connectTimeoutMs: this.opts.connectTimeoutMs } : {}),
        ...(sshConfigText ? { sshConfigText } : {}),
      });
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
      this.connecting = this.doConnect().finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    // A reconnect after a drop builds a fresh bastion chain.
    await this.closeHops();
    let target: SshTarget;
    try {
      target = this.resolve();
    } catch (e) {
      throw new HostUnreachableError(this.host, oneLine((e as Error).message), 'config');
    }
    const sock = await this.openPath(target);
    const auth = this.authMethods(target);
    if (auth.length === 0) {
      sock?.destroy();
      throw new HostUnreachableError(
        this.host,
        `no SSH identity for ${this.where()}: tried ${this.triedAuth.join(', ') || 'nothing'}`,
        'client-authentication',
      );
    }
    const names = [knownHostsName(target.hostKeyAlias ?? target.hostname, target.port)];
    const entries = this.readKnownHosts(target);
    const client = new Client();
    this.hostKeyProblem = undefined;
    this.lost = undefined;
    const config: ConnectConfig = {
      host: target.hostname,
      port: target.port,
      username: target.user,
      readyTimeout: target.connectTimeoutMs,
      keepaliveInterval: this.opts.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      authHandler: auth,
      algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(entries, names)) as never },
      hostVerifier: (key: Buffer): boolean => this.verifyHostKey(target, names, entries, key),
    };
    if (sock) config.sock = sock;
    if (this.opts.debug) {
      const debug = this.opts.debug;
      config.debug = (line: string) => debug(`[${this.host}] ${line}`);
    }
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      client.once('ready', () => {
        settled = true;
        resolve();
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        if (!settled) {
          settled = true;
          reject(this.classify(err, target));
        } else this.lost = oneLine(err.message);
      });
      client.on('close', () => {
        if (!settled) {
          settled = true;
          reject(new HostUnreachableError(this.host, `connection to ${this.where()} closed during the handshake`, 'client-socket'));
        }
        this.lost ??= 'connection closed';
      });
      client.connect(config);
    }).catch(async (e) => {
      client.end();
      await this.closeHops();
      throw e;
    });
    this.client = client;
  }

  /** A tunnel through the bastion chain, or undefined for a direct TCP connection. */
  private async openPath(target: SshTarget): Promise<Duplex | undefined> {
    let via = this.opts.via;
    if (!via && target.jumps.length) {
      for (const hop of target.jumps) {
        let next: SshConnection;
        try {
          if (this.opts.jump) next = await this.opts.jump(hop, via);
          else {
            const { jump: _j, via: _v, ...rest } = this.opts;
            next = new SshConnection(hopHost(hop, this.fleetHost), { ...rest, ...(via ? { via } : {}) });
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
    const hops = this.ownedHops.reverse();
    this.ownedHops = [];
    for (const h of hops) await h.close();
  }

  private authMethods(target: SshTarget): AnyAuthMethod[] {
    const methods: AnyAuthMethod[] = [];
    this.triedAuth = [];
    const agent = this.opts.agentSocket === undefined ? process.env['SSH_AUTH_SOCK'] : this.opts.agentSocket;
    if (agent) {
      methods.push({ type: 'agent', username: target.user, agent });
      this.triedAuth.push('ssh-agent');
    }
    const passphrase = this.opts.passphrase ?? process.env['ECE_PREFLIGHT_KEY_PASSPHRASE'];
    for (const file of target.identityFiles) {
      if (!existsSync(file)) {
        if (!target.defaultIdentities) this.triedAuth.push(`${file} (missing)`);
        continue;
      }
      let parsed: ParsedKey | ParsedKey[] | Error;
      try {
        parsed = utils.parseKey(readFileSync(file), passphrase);
      } catch (e) {
        parsed = e as Error;
      }
      if (parsed instanceof Error) {
        const why = /encrypted|passphrase/i.test(parsed.message)
          ? 'encrypted: set ECE_PREFLIGHT_KEY_PASSPHRASE or use ssh-agent'
          : oneLine(parsed.message);
        this.triedAuth.push(`${file} (${why})`);
        continue;
      }
      for (const key of Array.isArray(parsed) ? parsed : [parsed]) {
        methods.push({ type: 'publickey', username: target.user, key });
      }
      this.triedAuth.push(file);
    }
    return methods;
  }

  private readKnownHosts(target: SshTarget): KnownHostsEntry[] {
    const entries: KnownHostsEntry[] = [];
    for (const f of target.knownHostsFiles) {
      try {
        entries.push(...parseKnownHosts(readFileSync(f, 'utf8'), f));
      } catch {
        /* a missing known_hosts file is an empty one */
      }
    }
    return entries;
  }

  private verifyHostKey(target: SshTarget, names: string[], entries: KnownHostsEntry[], key: Buffer): boolean {
    if (target.hostKeyChecking === 'off') return true;
    const name = names[0] as string;
    const fp = `${keyTypeOfBlob(key)} ${fingerprint(key)}`;
    const res = checkHostKey(entries, names, key);
    switch (res.status) {
      case 'match':
        return true;
      case 'revoked':
        this.hostKeyProblem = {
          kind: 'host-key-revoked',
          message: `host key for ${name} (${fp}) is REVOKED (known_hosts line ${res.entry.line} of ${res.entry.file}): refusing to connect`,
        };
        return false;
      case 'changed': {
        const f = res.entry.file;
        this.hostKeyProblem = {
          kind: 'host-key-changed',
          message:
            `host key for ${name} has CHANGED (known_hosts line ${res.entry.line} of ${f}; now ${fp}): refusing to connect; ` +
            `if the host was rebuilt, remove the old key with ssh-keygen -f ${f} -R '${name}'`,
        };
        return false;
      }
      case 'unknown': {
        const files = target.knownHostsFiles.join(', ') || 'no known_hosts file';
        if (target.hostKeyChecking === 'accept-new' && res.otherTypes.length === 0) {
          const file = target.knownHostsFiles[0];
          if (!file) return true;
          try {
            mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
            appendFileSync(file, formatKnownHostsLine(name, key), { mode: 0o600 });
          } catch (e) {
            this.hostKeyProblem = {
              kind: 'host-key-unknown',
              message: `cannot record the host key for ${name} in ${file}: ${oneLine((e as Error).message)}`,
            };
            return false;
          }
          return true;
        }
        const other = res.otherTypes.length ? ` (known_hosts has only ${res.otherTypes.join(', ')} keys for it)` : '';
        this.hostKeyProblem = {
          kind: 'host-key-unknown',
          message:
            `host key for ${name} (${fp}) is not known${other} in ${files}: refusing to connect under strict host key checking; ` +
            `verify it and add it (ssh-keyscan), or use accept-new`,
        };
        return false;
      }
    }
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
      default:
        return new HostUnreachableError(this.host, `SSH to ${where} failed: ${oneLine(err.message)}`, level);
    }
  }

  private async ready(): Promise<Client> {
    await this.connect();
    if (!this.client) throw new HostUnreachableError(this.host, `not connected to ${this.where()}`, 'client-socket');
    return this.client;
  }

  private openExec(command: string): Promise<ClientChannel> {
    return this.ready().then(
      (client) =>
        new Promise<ClientChannel>((resolve, reject) => {
          try {
            client.exec(command, (err, ch) => {
              if (err) reject(new HostUnreachableError(this.host, `cannot run a command on ${this.where()}: ${oneLine(err.message)}`, 'channel'));
              else resolve(ch);
            });
          } catch (e) {
            reject(new HostUnreachableError(this.host, `cannot run a command on ${this.where()}: ${oneLine((e as Error).message)}`, 'client-socket'));
          }
        }),
    );
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    await this.connect();
    await this.slots.acquire();
    try {
      const ch = await this.openExec(opts.timeoutMs ? withPgidMark(command) : command);
      return await new Promise<ExecResult>((resolve, reject) => {
        const out: Buffer[] = [];
        const err = new StderrFilter(Boolean(opts.timeoutMs));
        let code: number | null = null;
        let signal: string | undefined;
        let exited = false;
        let timedOut = false;
        let timer: NodeJS.Timeout | undefined;
        if (opts.timeoutMs) {
          timer = setTimeout(() => {
            timedOut = true;
            sendSignal(ch, 'KILL');
            if (err.pgid) this.killGroup(err.pgid, 'KILL');
            ch.close();
          }, opts.timeoutMs);
        }
        ch.on('data', (b: Buffer) => out.push(b));
        ch.stderr.on('data', (b: Buffer) => err.push(b));
        ch.on('exit', (c: number | null, sig?: string) => {
          exited = true;
          code = c ?? null;
          if (sig) signal = sig;
        });
        ch.on('close', () => {
          if (timer) clearTimeout(timer);
          const res: ExecResult = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: err.text() };
          if (timedOut) {
            res.code = null;
            res.signal = 'TIMEOUT';
          } else if (signal) res.signal = signal;
          if (!exited && !timedOut && this.lost) {
            reject(new HostUnreachableError(this.host, `connection to ${this.where()} lost during a command: ${this.lost}`, 'client-socket'));
          } else resolve(res);
        });
        ch.end(opts.stdin ?? '');
      });
    } finally {
      this.slots.release();
    }
  }

  start(command: string, opts: StartOptions = {}): RunningCommand {
    const handlers: Array<(line: string) => void> = [];
    let channel: ClientChannel | undefined;
    let stopped = false;
    /** write() before the channel is open: sent right after opts.stdin. */
    const pending: string[] = [];
    const err = new StderrFilter(true);
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    // sshd does not signal a session's processes when its channel closes, and
    // refuses signal requests for root sessions (no privsep child). So: EOF
    // first (listeners exit on it), then kill the session's process group by
    // the pgid the wrapper printed, then close the channel.
    const stopChannel = (ch: ClientChannel): void => {
      sendSignal(ch, 'TERM');
      try {
        ch.end();
      } catch {
        /* channel already gone */
      }
      timers.push(
        setTimeout(() => {
          if (!closed && err.pgid) this.killGroup(err.pgid, 'TERM');
        }, 300),
        setTimeout(() => {
          if (!closed && err.pgid) this.killGroup(err.pgid, 'KILL');
        }, 2300),
        setTimeout(() => {
          if (!closed) ch.close();
        }, 3000),
      );
    };
    const done = (async (): Promise<ExecResult> => {
      await this.connect();
      await this.slots.acquire();
      try {
        const ch = await this.openExec(withPgidMark(command));
        channel = ch;
        return await new Promise<ExecResult>((resolve) => {
          const out: string[] = [];
          const lines = new LineSplitter();
          lines.onLine((raw) => {
            const line = raw.replace(/\r$/, '');
            out.push(line);
            for (const h of handlers) h(line);
          });
          let code: number | null = null;
          let signal: string | undefined;
          ch.setEncoding('utf8');
          ch.on('data', (chunk: string) => lines.push(chunk));
          ch.stderr.on('data', (b: Buffer) => err.push(b));
          ch.on('exit', (c: number | null, sig?: string) => {
            code = c ?? null;
            if (sig) signal = sig;
          });
          ch.on('close', () => {
            closed = true;
            for (const t of timers) clearTimeout(t);
            lines.end();
            const res: ExecResult = { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.text() };
            if (signal) res.signal = signal;
            resolve(res);
          });
          if (opts.stdin) ch.write(opts.stdin);
          for (const text of pending.splice(0)) ch.write(text);
          if (stopped) stopChannel(ch);
        });
      } finally {
        this.slots.release();
      }
    })();
    done.catch(() => undefined);
    return {
      onLine(handler) {
        handlers.push(handler);
      },
      done,
      write(text: string) {
        if (stopped) return;
        if (channel) channel.write(text);
        else pending.push(text);
      },
      stop() {
        if (stopped) return;
        stopped = true;
        if (channel) stopChannel(channel);
      },
      kill() {
        // Same path as stop: EOF, then the process group, then the channel.
        if (!stopped) {
          stopped = true;
          if (channel) stopChannel(channel);
        }
      },
    };
  }

  /** Signal a remote process group on a channel of its own (outside the cap: it frees one). */
  private killGroup(pgid: number, sig: 'TERM' | 'KILL'): void {
    const client = this.client;
    if (!client || this.lost) return;
    try {
      client.exec(`kill -${sig} -- -${pgid} 2>/dev/null; true`, (e, ch) => {
        if (e) return;
        ch.on('close', () => undefined);
        ch.resume();
        ch.stderr.resume();
        ch.end();
      });
    } catch {
      /* connection gone */
    }
  }

  /**
   * A direct-tcpip channel from the host to address:port (nothing runs on the
   * host). The stream is the caller's to end. Used for jump chains.
   */
  async openTunnel(address: string, port: number, timeoutMs = 10_000): Promise<ClientChannel> {
    const client = await this.ready();
    return new Promise<ClientChannel>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new Error(`no answer from ${address}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      client.forwardOut('127.0.0.1', 0, address, port, (err, ch) => {
        clearTimeout(timer);
        if (done) {
          ch?.close();
          return;
        }
        done = true;
        if (err) reject(new Error(describeOpenFailure(err as Error & { reason?: number | string })));
        else resolve(ch);
      });
    });
  }

  /**
   * Probe address:port from this host with a direct-tcpip channel: sshd makes
   * the TCP connection and reports how it went. `AllowTcpForwarding no` gives
   * 'error' with detail 'forwarding disabled' (fall back to an exec probe).
   */
  async forwardOut(address: string, port: number, timeoutMs = 3000): Promise<ProbeResult> {
    const client = await this.ready();
    const t0 = Date.now();
    return new Promise<ProbeResult>((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        resolve({ outcome: 'filtered', ms: Date.now() - t0, detail: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      try {
        client.forwardOut('127.0.0.1', 0, address, port, (err, ch) => {
          clearTimeout(timer);
          if (done) {
            ch?.close();
            return;
          }
          done = true;
          const ms = Date.now() - t0;
          if (!err) {
            ch.close();
            resolve({ outcome: 'open', ms });
            return;
          }
          resolve({ ...outcomeOfOpenFailure(err as Error & { reason?: number | string }), ms });
        });
      } catch (e) {
        clearTimeout(timer);
        done = true;
        resolve({ outcome: 'error', ms: Date.now() - t0, detail: oneLine((e as Error).message) });
      }
    });
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

/** sshd's channel-open failure reasons, as probe outcomes. */
export function outcomeOfOpenFailure(err: { message: string; reason?: number | string }): Omit<ProbeResult, 'ms'> {
  const text = err.message.replace(/^\(SSH\) Channel open failure:\s*/, '');
  if (err.reason === 1 || /administratively prohibited/i.test(text)) {
    return { outcome: 'error', detail: 'forwarding disabled' };
  }
  const errno = /connection refused/i.test(text)
    ? 'ECONNREFUSED'
    : /no route to host/i.test(text)
      ? 'EHOSTUNREACH'
      : /network is unreachable/i.test(text)
        ? 'ENETUNREACH'
        : /timed out/i.test(text)
          ? 'ETIMEDOUT'
          : /reset/i.test(text)
            ? 'ECONNRESET'
            : /permission denied|not permitted/i.test(text)
              ? 'EACCES'
              : undefined;
  return { outcome: outcomeOfErrno(errno), detail: errno ?? (oneLine(text) || 'open failed') };
}

function describeOpenFailure(err: { message: string; reason?: number | string }): string {
  const r = outcomeOfOpenFailure(err);
  return r.detail === 'forwarding disabled' ? 'forwarding disabled (AllowTcpForwarding no)' : oneLine(err.message.replace(/^\(SSH\) /, ''));
}

const PGID_MARK = '__ecep_pgid=';

/** Prefix a command so it reports its process group (the session leader's pid) on stderr first. */
export function withPgidMark(command: string): string {
  return `echo ${PGID_MARK}$$ >&2\n${command}`;
}

/** Collects stderr, taking the pgid line withPgidMark() added off the front. */
export class StderrFilter {
  pgid: number | undefined;
  private head = '';
  private chunks: Buffer[] = [];
  private seeking: boolean;
  constructor(marked: boolean) {
    this.seeking = marked;
  }
  push(b: Buffer): void {
    if (!this.seeking) {
      this.chunks.push(b);
      return;
    }
    this.head += b.toString('latin1');
    const nl = this.head.indexOf('\n');
    if (nl < 0 && this.head.length < 64) return;
    this.seeking = false;
    const first = nl >= 0 ? this.head.slice(0, nl) : this.head;
    const rest = nl >= 0 ? this.head.slice(nl + 1) : '';
    if (first.startsWith(PGID_MARK)) {
      const n = Number.parseInt(first.slice(PGID_MARK.length), 10);
      if (Number.isInteger(n) && n > 1) this.pgid = n;
      this.chunks.push(Buffer.from(rest, 'latin1'));
    } else this.chunks.push(Buffer.from(this.head, 'latin1'));
    this.head = '';
  }
  text(): string {
    const pending = this.seeking ? Buffer.from(this.head, 'latin1') : Buffer.alloc(0);
    return Buffer.concat([...this.chunks, pending]).toString('utf8');
  }
}

/**
 * Channel.signal() sends nothing once stdin is closed (it checks `writable`),
 * but the channel is still open and sshd still takes the request: send it
 * through the protocol object ssh2 uses internally.
 */
function sendSignal(ch: ClientChannel, name: 'TERM' | 'KILL'): void {
  const c = ch as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal(id: number, signal: string): void } };
  };
  try {
    const id = c.outgoing?.id;
    if ((c.outgoing?.state === 'open' || c.outgoing?.state === 'eof') && id !== undefined && c._client?._protocol) c._client._protocol.signal(id, name);
    else ch.signal(name);
  } catch {
    /* connection gone, or a server without signal support */
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function defaultConfigFile(): string | undefined {
  const f = path.join(os.homedir(), '.ssh', 'config');
  return existsSync(f) ? f : undefined;
}
