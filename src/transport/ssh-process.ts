/**
 * Remote processes over one SSH connection: exec (run to the end) and start
 * (a long-running command with open stdin, stopped by EOF then by its process
 * group), the per-connection channel cap with its FIFO queue, and the stderr
 * mark that tells us a session's process group. Apart from ssh.ts because it
 * needs only a connected ssh2 Client, not how it was reached or trusted.
 */
import type { Client, ClientChannel } from 'ssh2';
import { HostUnreachableError } from '../errors.js';
import type { ExecOptions, ExecResult, RunningCommand, StartOptions } from './connection.js';
import { BoundedText, MAX_OUTPUT } from './bounded-text.js';
import { LineSplitter } from './line-splitter.js';
import { oneLine } from './one-line.js';

/**
 * Exit statuses seen before the caller attached its handlers. ssh2 emits
 * 'exit' synchronously while it parses a chunk, and a fast command's EOF,
 * exit-status and close can arrive in the same chunk as the exec's success:
 * by the time the awaiting caller listens, 'exit' is gone ('close' comes
 * later, on the next tick). Without this, such a command read as "no exit
 * status" (seen about once in 16 on the lab).
 */
const earlyExits = new WeakMap<ClientChannel, { code: number | null; signal?: string }>();

function captureExit(ch: ClientChannel): void {
  ch.once('exit', (c: number | null, sig?: string) => earlyExits.set(ch, { code: c ?? null, ...(sig ? { signal: sig } : {}) }));
}

function exitOf(ch: ClientChannel): { code: number | null; signal?: string } | undefined {
  return earlyExits.get(ch);
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

/** What remote processes need from the connection they run on. */
export interface ProcessConnection {
  /** Inventory host name, for errors. */
  readonly host: string;
  /** user@hostname:port, for messages. */
  where(): string;
  connect(): Promise<void>;
  /** Connects if needed; throws HostUnreachableError when there is no client. */
  ready(): Promise<Client>;
  /** The client connect() made, if any (it may have dropped since: see lost()). */
  client(): Client | undefined;
  /** Why the connection dropped, if it did. */
  lost(): string | undefined;
}

/** exec and start on one connection, at most maxChannels channels at a time. */
export class RemoteProcesses {
  private readonly slots: Slots;

  constructor(
    private readonly conn: ProcessConnection,
    maxChannels: number,
  ) {
    this.slots = new Slots(maxChannels);
  }

  /**
   * A channel for `command`. sshd counts a session against MaxSessions until
   * it has torn it down, a little after our side saw it close: under load a
   * new open can be refused ("open failed") though our cap has room. Such a
   * refusal is retried a few times with a short backoff before it counts.
   */
  private async openExec(command: string): Promise<ClientChannel> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.openExecOnce(command);
      } catch (e) {
        if (attempt >= 3 || !(e instanceof HostUnreachableError) || e.kind !== 'channel' || !/open failed/i.test(e.message)) throw e;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  private openExecOnce(command: string): Promise<ClientChannel> {
    return this.conn.ready().then(
      (client) =>
        new Promise<ClientChannel>((resolve, reject) => {
          try {
            client.exec(command, (err, ch) => {
              if (err) reject(new HostUnreachableError(this.conn.host, `cannot run a command on ${this.conn.where()}: ${oneLine(err.message)}`, 'channel'));
              else {
                captureExit(ch);
                resolve(ch);
              }
            });
          } catch (e) {
            reject(new HostUnreachableError(this.conn.host, `cannot run a command on ${this.conn.where()}: ${oneLine((e as Error).message)}`, 'client-socket'));
          }
        }),
    );
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    await this.conn.connect();
    await this.slots.acquire();
    try {
      const ch = await this.openExec(opts.timeoutMs ? withPgidMark(command) : command);
      return await new Promise<ExecResult>((resolve, reject) => {
        const out: Buffer[] = [];
        let outBytes = 0;
        const err = new StderrFilter(Boolean(opts.timeoutMs));
        // The exit status may have come with the channel's first packets, before these handlers.
        const early = exitOf(ch);
        let code: number | null = early?.code ?? null;
        let signal: string | undefined = early?.signal;
        let exited = early !== undefined;
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
        // Bounded: a host that prints without end must not fill the controller's memory.
        ch.on('data', (b: Buffer) => {
          if (outBytes < MAX_OUTPUT) out.push(b);
          outBytes += b.length;
        });
        ch.stderr.on('data', (b: Buffer) => err.push(b));
        ch.on('exit', (c: number | null, sig?: string) => {
          exited = true;
          code = c ?? null;
          if (sig) signal = sig;
        });
        ch.on('close', () => {
          if (timer) clearTimeout(timer);
          const kept = Buffer.concat(out).toString('utf8');
          const res: ExecResult = { code, stdout: outBytes > MAX_OUTPUT ? `${kept}\n[${outBytes - MAX_OUTPUT} more bytes of output dropped]\n` : kept, stderr: err.text() };
          if (timedOut) {
            res.code = null;
            res.signal = 'TIMEOUT';
          } else if (signal) res.signal = signal;
          if (!exited && !timedOut && this.conn.lost()) {
            reject(new HostUnreachableError(this.conn.host, `connection to ${this.conn.where()} lost during a command: ${this.conn.lost()}`, 'client-socket'));
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
      await this.conn.connect();
      await this.slots.acquire();
      try {
        const ch = await this.openExec(withPgidMark(command));
        channel = ch;
        return await new Promise<ExecResult>((resolve) => {
          const out = new BoundedText();
          const lines = new LineSplitter();
          lines.onLine((raw) => {
            const line = raw.replace(/\r$/, '');
            out.push(`${line}\n`);
            for (const h of handlers) h(line);
          });
          const early = exitOf(ch);
          let code: number | null = early?.code ?? null;
          let signal: string | undefined = early?.signal;
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
            const res: ExecResult = { code, stdout: out.text(), stderr: err.text() };
            if (signal) res.signal = signal;
            // No exit status and the connection is gone: the host went away under
            // the command (ssh2 marks the connection lost before it closes its
            // channels). Said so, or a dead agent reads like one that exited.
            const lost = code === null && !signal ? this.conn.lost() : undefined;
            if (lost) res.lost = `connection to ${this.conn.where()} lost: ${lost}`;
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
    const client = this.conn.client();
    if (!client || this.conn.lost()) return;
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
  private bytes = 0;
  private seeking: boolean;
  constructor(marked: boolean) {
    this.seeking = marked;
  }
  push(b: Buffer): void {
    if (!this.seeking) {
      // Bounded like stdout: only the start of a flood of stderr is kept.
      if (this.bytes < MAX_OUTPUT) this.chunks.push(b);
      this.bytes += b.length;
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
