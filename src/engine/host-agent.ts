import { HostUnreachableError } from '../errors.js';
import { endpointText } from '../model/fleet.js';
import type { Connection, ExecResult, RunningCommand } from '../transport/connection.js';
import {
  AGENT_MARK,
  CLOSE_LINE,
  HEARTBEAT_LINE,
  hostAgentCommand,
  listenLine,
  parseListenerLines,
  parseProbeLine,
  probeBatch,
  type ListenerReport,
  type ProbeLine,
  type ProbeTarget,
  watchdogLine,
} from '../tasks/host-agent-script.js';
import type { ProbeResult, ProxyResult } from '../tasks/probe-outcome.js';

/**
 * The controller's side of one host's agent session (tasks/host-agent-script.ts):
 * facts come first, then the agent says READY, then it answers requests on
 * demand: bind listeners (`L`), close them (`C`), probe batches (`B..E`).
 * One session per host for the whole play, whatever the number of tasks.
 * Requests are answered in order, one at a time.
 */
export class HostAgent {
  /** Facts output (the lines before the agent mark), or undefined when the session died first. */
  readonly facts: Promise<string[] | undefined>;
  /** The start-up report (listeners given at start, if any); `ready` false when the agent never started. */
  readonly listeners: Promise<ListenerReport>;
  readonly done: Promise<ExecResult>;
  private readonly cmd: RunningCommand;
  private stage: 'facts' | 'start' | 'serve' = 'facts';
  private factLines: string[] = [];
  private startLines: string[] = [];
  /** The request being answered gets the agent's lines; 'EXIT' when the session ended. */
  private onLine?: (line: string) => void;
  private queue: Promise<void> = Promise.resolve();
  private exited = false;
  private readonly silenceMarginMs: number;
  /** Why the agent was given up on (it went silent), or why it gave up (its watchdog), when either happened. */
  private silent?: string;
  /** How the session ended, once it has. */
  private ended?: ExecResult;
  private readonly host: string;
  private heartbeat?: NodeJS.Timeout;

  constructor(conn: Connection, ports: number[], ttlSeconds: number, opts: { facts?: boolean; silenceMarginMs?: number } = {}) {
    this.silenceMarginMs = opts.silenceMarginMs ?? 60_000;
    this.host = conn.host;
    this.cmd = conn.start(hostAgentCommand(ports, ttlSeconds, opts));
    let factsDone!: (v: string[] | undefined) => void;
    let startDone!: (v: ListenerReport) => void;
    this.facts = new Promise((r) => (factsDone = r));
    this.listeners = new Promise((r) => (startDone = r));
    this.cmd.onLine((line) => {
      if (this.stage === 'facts') {
        if (line === AGENT_MARK) {
          this.stage = 'start';
          factsDone(this.factLines);
        } else this.factLines.push(line);
      } else if (this.stage === 'start') {
        this.startLines.push(line);
        if (line.startsWith('READY')) {
          this.stage = 'serve';
          this.armWatchdog(conn.silentLinkLimitMs);
          startDone(parseListenerLines(this.startLines));
        }
      } else {
        if (line === 'BYE silence') this.silent ??= 'the agent heard nothing from the controller within its watchdog time and exited with its listeners';
        this.onLine?.(line);
      }
    });
    this.done = this.cmd.done.then((r) => {
      clearInterval(this.heartbeat);
      this.ended = r;
      this.exited = true;
      factsDone(undefined);
      startDone(parseListenerLines(this.startLines));
      this.onLine?.('EXIT');
      return r;
    });
  }

  /**
   * Over a network the agent must not outlive a link that went silent (a
   * DROP on port 22: its stdin never closes, and its listeners would stay
   * for the whole --listener-ttl): it exits after twice what the transport
   * bears (at least 10 s; 90 s with SSH's defaults), and a heartbeat line
   * every quarter of that keeps it alive while the controller is there.
   */
  private armWatchdog(linkLimitMs: number | undefined): void {
    if (linkLimitMs === undefined) return;
    const silenceMs = Math.max(10_000, 2 * linkLimitMs);
    this.cmd.write(watchdogLine(silenceMs / 1000));
    this.heartbeat = setInterval(() => {
      if (!this.exited) this.cmd.write(HEARTBEAT_LINE);
    }, silenceMs / 4);
    this.heartbeat.unref();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Why the session's connection dropped under the agent (sshd killed, network cut), when it did. */
  get lost(): string | undefined {
    return this.ended?.lost;
  }

  /**
   * A request the session ended under because its connection dropped: the
   * host is unreachable now (the runner takes it out of the play and the
   * headline names it), not a host whose agent failed or whose paths are
   * blocked. What it had not answered stays not checked.
   */
  private throwIfLost(): void {
    if (this.ended?.lost) throw new HostUnreachableError(this.host, this.ended.lost, 'connection-lost');
  }

  /** Why the agent is not there, in one line (for a failed task). */
  async failure(): Promise<string> {
    if (this.silent) return this.silent;
    const r = await this.done;
    if (r.lost) return r.lost;
    if (/python3?: (not found|command not found)|No such file or directory/.test(r.stderr)) {
      return 'python3 not found on host (needed for listeners and probes; nothing is installed by ece-preflight)';
    }
    return r.stderr.trim().split('\n').pop() || `agent exited ${r.code ?? r.signal}`;
  }

  /**
   * One request: write `text`, hand the answer lines to `onAnswer` until it
   * returns true (done). Resolves false when the session ended first.
   */
  private request(text: string, onAnswer: (line: string) => boolean, deadlineMs?: number): Promise<boolean> {
    const run = (): Promise<boolean> =>
      new Promise((resolve) => {
        if (this.exited) return resolve(false);
        // A host that stops answering must not hold the run forever: past the
        // deadline the agent is ended and the request counts as unanswered.
        const timer = deadlineMs
          ? setTimeout(() => {
              this.onLine = undefined;
              this.silent = `no answer from the agent within ${deadlineMs >= 10_000 ? `${Math.round(deadlineMs / 1000)} s` : `${deadlineMs} ms`}`;
              this.kill();
              resolve(false);
            }, deadlineMs)
          : undefined;
        this.onLine = (line) => {
          if (line === 'EXIT') {
            this.onLine = undefined;
            clearTimeout(timer);
            return resolve(false);
          }
          if (onAnswer(line)) {
            this.onLine = undefined;
            clearTimeout(timer);
            resolve(true);
          }
        };
        this.cmd.write(text);
      });
    const answered = this.queue.then(run);
    this.queue = answered.then(
      () => undefined,
      () => undefined,
    );
    return answered;
  }

  /** Bind listeners on `ports` (those already held answer BOUND again). `ready` false: the agent is gone. */
  async listen(ports: readonly number[]): Promise<ListenerReport> {
    const lines: string[] = [];
    const ok = await this.request(listenLine(ports), (line) => {
      lines.push(line);
      return line === 'LISTENING';
    });
    if (!ok) this.throwIfLost();
    const report = parseListenerLines(lines);
    return { ...report, ready: ok && report.ready };
  }

  /** Close every listener; the number closed, or undefined when the agent is gone. */
  async closeListeners(): Promise<number | undefined> {
    let closed: number | undefined;
    const ok = await this.request(CLOSE_LINE, (line) => {
      const m = /^CLOSED (\d+)$/.exec(line);
      if (m) closed = Number(m[1]);
      return m !== null;
    });
    if (!ok) this.throwIfLost();
    return closed;
  }

  /**
   * Probe `targets` from this host; results stream to onResult. Targets the
   * agent never answered come back as `error` (it died, it went silent), never
   * as a silent pass; when the connection dropped under it, it throws
   * HostUnreachableError instead and leaves them not checked.
   */
  async runBatch<T extends { address: string; port: number; proxy?: { host: string; port: number } }>(
    targets: T[],
    opts: { timeoutMs: number; concurrency: number },
    onResult: (target: T, result: ProbeResult) => void,
  ): Promise<void> {
    const seen = new Set<number>();
    const answer = (i: number, r: ProbeResult) => {
      if (seen.has(i) || !targets[i]) return;
      seen.add(i);
      onResult(targets[i], r);
    };
    // The inventory refuses such addresses; this guard keeps one bad target from sinking the batch.
    const sendable: ProbeTarget[] = [];
    targets.forEach((t, i) => {
      if (/\s/.test(t.address) || (t.proxy && /\s/.test(t.proxy.host))) answer(i, { outcome: 'error', ms: 0, detail: 'invalid address' });
      else sendable.push({ id: String(i), address: t.address, port: t.port, ...(t.proxy ? { proxy: t.proxy } : {}) });
    });
    // Every probe ends within its timeout (two attempts share it), `concurrency` at a time: twice that, and a margin (a minute), is silence.
    const deadline = 2 * Math.ceil(sendable.length / Math.max(1, opts.concurrency)) * opts.timeoutMs + this.silenceMarginMs;
    const ok = await this.request(
      probeBatch(sendable, opts.timeoutMs, opts.concurrency),
      (line) => {
        if (line === 'DONE') return true;
        const r = parseProbeLine(line);
        if (r) answer(Number(r.id), { outcome: r.outcome, ms: r.ms, detail: r.detail, retried: r.retried || undefined, ...proxyResult(targets[Number(r.id)]?.proxy, r) });
        return false;
      },
      deadline,
    );
    if (!ok) {
      this.throwIfLost();
      const detail = (await this.failure()).replace(/\s+/g, ' ').slice(0, 200);
      targets.forEach((_, i) => answer(i, { outcome: 'error', ms: 0, detail }));
    }
  }

  /** Close stdin: the agent closes its listeners and exits. */
  stop(): void {
    clearInterval(this.heartbeat);
    this.cmd.stop();
  }

  kill(): void {
    this.cmd.kill?.();
  }
}

/** What a result line through a proxy says of it (ProbeResult.proxy); nothing for a direct target. */
export function proxyResult(proxy: { host: string; port: number } | undefined, r: ProbeLine): { proxy?: ProxyResult } {
  if (!proxy || !r.stage) return {};
  const address = endpointText(proxy);
  const status = r.stage === 'connect' && r.detail?.startsWith('HTTP/') ? r.detail : undefined;
  return { proxy: { address, at: r.stage, ...(status ? { status } : {}), resolvedBy: 'proxy' } };
}
