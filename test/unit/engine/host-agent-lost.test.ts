import { describe, expect, it } from 'vitest';
import { HostAgent } from '../../../src/engine/host-agent.js';
import { HostUnreachableError } from '../../../src/errors.js';
import type { Connection } from '../../../src/transport/connection.js';
import { fakeAgentHost } from './fake-agent-host.js';
import type { ProbeResult } from '../../../src/tasks/probe-outcome.js';

/**
 * A host whose agent answers the first probe of a batch, then its connection
 * drops (sshd killed, keepalive timeout): the session ends with `lost`, or,
 * with `lost` unset, the agent just exits.
 */
function droppingHost(lost: string | undefined): Connection {
  return fakeAgentHost('h2', {
    write: (text, agent) => {
      if (!text.startsWith('B ')) return;
      setTimeout(() => {
        agent.say('R 0 open 1 - 0');
        agent.finish({ code: null, stdout: '', stderr: '', ...(lost ? { lost } : {}) });
      }, 5);
    },
  });
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
