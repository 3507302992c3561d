import { describe, expect, it } from 'vitest';
import { HostAgent } from '../../../src/engine/host-agent.js';
import type { Connection, ExecResult, RunningCommand } from '../../../src/transport/connection.js';
import type { ProbeResult } from '../../../src/tasks/probe-outcome.js';

/** A host whose agent starts, then never answers again (stopped, or a hostile host). */
function silentHost(): { conn: Connection; killed: () => boolean } {
  let killed = false;
  const conn: Connection = {
    host: 'h1',
    connect: async () => {},
    close: async () => {},
    exec: async () => ({ code: 0, stdout: '', stderr: '' }),
    start: (): RunningCommand => {
      const handlers: ((l: string) => void)[] = [];
      let finish!: (r: ExecResult) => void;
      const done = new Promise<ExecResult>((r) => (finish = r));
      setTimeout(() => ['##agent', 'READY 42'].forEach((l) => handlers.forEach((h) => h(l))), 5);
      return {
        onLine: (h) => handlers.push(h),
        done,
        write: () => {},
        stop: () => finish({ code: 0, stdout: '', stderr: '' }),
        kill: () => {
          killed = true;
          finish({ code: null, signal: 'KILL', stdout: '', stderr: '' });
        },
      };
    },
  };
  return { conn, killed: () => killed };
}

describe('host agent deadline', () => {
  it('a silent agent does not hold the run: its probes come back as errors that say so, and it is ended', async () => {
    const { conn, killed } = silentHost();
    const agent = new HostAgent(conn, [], 60, { silenceMarginMs: 50 });
    await agent.listeners;
    const results: ProbeResult[] = [];
    await agent.runBatch([{ address: '198.18.0.12', port: 20000 }, { address: '198.18.0.13', port: 20000 }], { timeoutMs: 10, concurrency: 1 }, (_t, r) => results.push(r));
    expect(results).toEqual([
      { outcome: 'error', ms: 0, detail: 'no answer from the agent within 90 ms' },
      { outcome: 'error', ms: 0, detail: 'no answer from the agent within 90 ms' },
    ]);
    expect(killed()).toBe(true);
  });
});
