import type { Connection, ExecResult, RunningCommand } from '../transport/connection.js';
import {
  AGENT_MARK,
  hostAgentCommand,
  parseListenerLines,
  parseProbeLine,
  probeBatch,
  type ListenerReport,
  type ProbeTarget,
} from '../tasks/host-agent-script.js';
import type { ProbeResult } from '../tasks/probe-outcome.js';

/**
 * The controller's side of one host's agent session (tasks/host-agent-script.ts):
 * facts come first, then the listener report, then probe batches on demand.
 * One session per host for the whole sweep.
 */
export class HostAgent {
  /** Facts output (the lines before the agent mark), or undefined when the session died first. */
  readonly facts: Promise<string[] | undefined>;
  /** The listener report; `ready` false when the agent never started (its stderr says why). */
  readonly listeners: Promise<ListenerReport>;
  readonly done: Promise<ExecResult>;
  private readonly cmd: RunningCommand;
  private stage: 'facts' | 'listen' | 'serve' = 'facts';
  private factLines: string[] = [];
  private listenLines: string[] = [];
  private onResultLine?: (line: string) => void;
  private exited = false;

  constructor(conn: Connection, ports: number[], ttlSeconds: number, opts: { facts?: boolean } = {}) {
    this.cmd = conn.start(hostAgentCommand(ports, ttlSeconds, opts));
    let factsDone!: (v: string[] | undefined) => void;
    let listenDone!: (v: ListenerReport) => void;
    this.facts = new Promise((r) => (factsDone = r));
    this.listeners = new Promise((r) => (listenDone = r));
    this.cmd.onLine((line) => {
      if (this.stage === 'facts') {
        if (line === AGENT_MARK) {
          this.stage = 'listen';
          factsDone(this.factLines);
        } else this.factLines.push(line);
      } else if (this.stage === 'listen') {
        this.listenLines.push(line);
        if (line.startsWith('READY')) {
          this.stage = 'serve';
          listenDone(parseListenerLines(this.listenLines));
        }
      } else this.onResultLine?.(line);
    });
    this.done = this.cmd.done.then((r) => {
      this.exited = true;
      factsDone(undefined);
      listenDone(parseListenerLines(this.listenLines));
      this.onResultLine?.('EXIT');
      return r;
    });
  }

  /** Why the agent is not there, in one line (for host-failed). */
  async failure(): Promise<string> {
    const r = await this.done;
    if (/python3?: (not found|command not found)|No such file or directory/.test(r.stderr)) {
      return 'python3 not found on host (needed for listeners and probes; nothing is installed by ece-preflight)';
    }
    return r.stderr.trim().split('\n').pop() || `agent exited ${r.code ?? r.signal}`;
  }

  /**
   * Probe `targets` from this host; results stream to onResult. Targets the
   * agent never answered (it died, the session dropped) come back as `error`,
   * never as a silent pass. One batch at a time.
   */
  runBatch<T extends { address: string; port: number }>(
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
      if (/\s/.test(t.address)) answer(i, { outcome: 'error', ms: 0, detail: 'invalid address' });
      else sendable.push({ id: String(i), address: t.address, port: t.port });
    });
    return new Promise((resolve) => {
      const finish = async (why?: string) => {
        this.onResultLine = undefined;
        if (why !== undefined) {
          const detail = (why || (await this.failure())).replace(/\s+/g, ' ').slice(0, 200);
          targets.forEach((_, i) => answer(i, { outcome: 'error', ms: 0, detail }));
        }
        resolve();
      };
      if (this.exited) return void finish('');
      this.onResultLine = (line) => {
        if (line === 'DONE') return void finish();
        if (line === 'EXIT') return void finish('');
        const r = parseProbeLine(line);
        if (r) answer(Number(r.id), { outcome: r.outcome, ms: r.ms, detail: r.detail, retried: r.retried || undefined });
      };
      this.cmd.write(probeBatch(sendable, opts.timeoutMs, opts.concurrency));
    });
  }

  /** Close stdin: the agent closes its listeners and exits. */
  stop(): void {
    this.cmd.stop();
  }

  kill(): void {
    this.cmd.kill?.();
  }
}
