import { describe, expect, it } from 'vitest';
import { HostAgent } from '../../../src/engine/host-agent.js';
import { HostUnreachableError } from '../../../src/errors.js';
import type { Connection, ExecResult, RunningCommand } from '../../../src/transport/connection.js';
import type { ProbeResult } from '../../../src/tasks/probe-outcome.js';

/**
 * A host whose agent answers the first probe of a batch, then its connection
 * drops (sshd killed, keepalive timeout): the session ends with `lost`, or,
 * with `lost` unset, the agent just exits.
 */
function droppingHost(lost: string | undefined): Connection {
  return {
    host: 'h2',
    connect: async () => {},
    close: async () => {},
    exec: async () => ({ code: 0, stdout: '', stderr: '' }),
    start: (): RunningCommand => {
      const handlers: ((l: string) => void)[] = [];
      let finish!: (r: ExecResult) => void;
      const done = new Promise<ExecResult>((r) => (finish = r));
      const say = (...lines: string[]) => lines.forEach((l) => handlers.forEach((h) => h(l)));
      setTimeout(() => say('##agent', 'READY 42'), 5);
      return {
        onLine: (h) => handlers.push(h),
        done,
        write: (text) => {
          if (!text.startsWith('B ')) return;
          setTimeout(() => {
            say('R 0 open 1 - 0');
            finish({ code: null, stdout: '', stderr: '', ...(lost ? { lost } : {}) });
          }, 5);
        },
        stop: () => finish({ code: 0, stdout: '', stderr: '' }),
      };
    },
  };
}

const targets = [
  { address: '198.18.0.11', port: 9343 },
  { address: '198.18.0.13', port: 9343 },
];

describe('host agent whose connection drops', () => {
  it('throws HostUnreachableError saying so; what it had not answered stays unanswered (not checked)', async () => {
    const agent = new HostAgent(droppingHost('connection to root@198.18.0.12:22 lost: connection closed'), [], 60);
    await agent.listeners;
    const results: ProbeResult[] = [];
    const err = await agent.runBatch(targets, { timeoutMs: 1000, concurrency: 2 }, (_t, r) => results.push(r)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect((err as HostUnreachableError).message).toBe('h2: connection to root@198.18.0.12:22 lost: connection closed');
    expect((err as HostUnreachableError).kind).toBe('connection-lost');
    expect(results.map((r) => r.outcome)).toEqual(['open']);
    expect(agent.lost).toMatch(/lost: connection closed/);
    await expect(agent.listen([9200])).rejects.toThrow(HostUnreachableError);
  });

  it('an agent that exits with its connection up still answers errors (its own failure, as before)', async () => {
    const agent = new HostAgent(droppingHost(undefined), [], 60);
    await agent.listeners;
    const results: ProbeResult[] = [];
    await agent.runBatch(targets, { timeoutMs: 1000, concurrency: 2 }, (_t, r) => results.push(r));
    expect(results.map((r) => r.outcome)).toEqual(['open', 'error']);
    expect(agent.lost).toBeUndefined();
  });
});
