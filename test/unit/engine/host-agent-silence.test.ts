import { describe, expect, it } from 'vitest';
import { HostAgent } from '../../../src/engine/host-agent.js';
import type { Connection } from '../../../src/transport/connection.js';
import { fakeAgentHost } from './fake-agent-host.js';
import type { ProbeResult } from '../../../src/tasks/probe-outcome.js';

/** A host whose agent starts, then never answers again (stopped, or a hostile host). */
function silentHost(): { conn: Connection; killed: () => boolean } {
  let killed = false;
  const conn = fakeAgentHost('h1', {
    kill: (agent) => {
      killed = true;
      agent.finish({ code: null, signal: 'KILL', stdout: '', stderr: '' });
    },
  });
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
