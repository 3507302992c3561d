import { describe, expect, it, vi } from 'vitest';
import { HostAgent } from '../../../src/engine/host-agent.js';
import { HEARTBEAT_LINE, hostAgentCommand, watchdogLine } from '../../../src/tasks/host-agent-script.js';
import { LocalConnection } from '../../../src/transport/local.js';
import { fakeAgentHost } from './fake-agent-host.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A link that goes silent (a DROP on port 22) never closes the agent's stdin:
// the watchdog ends it, and its listeners, when the controller is not heard.
describe('the agent watchdog', () => {
  it('the real agent (python3, local) lives while it hears heartbeats and exits soon after they stop', async () => {
    const run = new LocalConnection('local').start(hostAgentCommand([], 60, { facts: false }));
    const lines: string[] = [];
    run.onLine((l) => lines.push(l));
    for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('READY')); i++) await sleep(20);
    run.write(watchdogLine(1));
    for (let i = 0; i < 6; i++) {
      run.write(HEARTBEAT_LINE);
      await sleep(300);
    }
    expect(lines.filter((l) => l.startsWith('BYE'))).toEqual([]);
    const quiet = Date.now();
    await run.done;
    expect(lines).toContain('BYE silence');
    expect(Date.now() - quiet).toBeLessThan(2500);
  });

  it('HostAgent arms it from the transport: twice its silent-link limit, at least 10 s, a heartbeat every quarter', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval'] });
    try {
      const writes: string[] = [];
      const conn = { ...fakeAgentHost('h1', { write: (t) => writes.push(t) }), silentLinkLimitMs: 45_000 };
      const agent = new HostAgent(conn, [], 60);
      await vi.advanceTimersByTimeAsync(10);
      await agent.listeners;
      expect(writes).toEqual(['S 90\n']);
      await vi.advanceTimersByTimeAsync(22_400);
      expect(writes).toEqual(['S 90\n']);
      await vi.advanceTimersByTimeAsync(200);
      expect(writes).toEqual(['S 90\n', 'H\n']);
      agent.stop();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(writes).toEqual(['S 90\n', 'H\n']);
    } finally {
      vi.useRealTimers();
    }

    const quick: string[] = [];
    const short = new HostAgent({ ...fakeAgentHost('h2', { write: (t) => quick.push(t) }), silentLinkLimitMs: 3_000 }, [], 60);
    await short.listeners;
    expect(quick).toEqual(['S 10\n']);
    short.stop();
  });

  it('an agent that left by its watchdog says so when a later request finds it gone', async () => {
    // the fake agent answers the close request with what a real one prints when its watchdog fires, and ends
    const conn = fakeAgentHost('h1', {
      write: (t, a) => {
        if (t !== 'C\n') return;
        a.say('BYE silence');
        a.finish({ code: 0, stdout: '', stderr: '' });
      },
    });
    const agent = new HostAgent({ ...conn, silentLinkLimitMs: 3_000 }, [], 60);
    await agent.listeners;
    expect(await agent.closeListeners()).toBeUndefined();
    expect(await agent.failure()).toMatch(/heard nothing from the controller within its watchdog time/);
  });

  it('nothing is armed where nothing lies between (local)', async () => {
    const writes: string[] = [];
    const agent = new HostAgent(fakeAgentHost('local', { write: (t) => writes.push(t) }), [], 60);
    await agent.listeners;
    expect(writes).toEqual([]);
    agent.stop();
  });
});
