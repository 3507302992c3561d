import type { Connection, ExecResult, RunningCommand } from '../../../src/transport/connection.js';

/** The agent's side of a fake host: lines it prints, and how its session ends. */
export interface FakeAgent {
  say(...lines: string[]): void;
  finish(r: ExecResult): void;
}

/**
 * A host whose agent session starts and says it is ready (`##agent`,
 * `READY 42`), then does what the test's hooks say when the controller
 * writes to it or kills it. No process, no network.
 */
export function fakeAgentHost(host: string, hooks: { write?: (text: string, agent: FakeAgent) => void; kill?: (agent: FakeAgent) => void } = {}): Connection {
  return {
    host,
    connect: async () => {},
    close: async () => {},
    exec: async () => ({ code: 0, stdout: '', stderr: '' }),
    start: (): RunningCommand => {
      const handlers: ((l: string) => void)[] = [];
      let finish!: (r: ExecResult) => void;
      const done = new Promise<ExecResult>((r) => (finish = r));
      const agent: FakeAgent = { say: (...lines) => lines.forEach((l) => handlers.forEach((h) => h(l))), finish: (r) => finish(r) };
      setTimeout(() => agent.say('##agent', 'READY 42'), 5);
      return {
        onLine: (h) => handlers.push(h),
        done,
        write: (text) => hooks.write?.(text, agent),
        stop: () => finish({ code: 0, stdout: '', stderr: '' }),
        ...(hooks.kill ? { kill: () => hooks.kill!(agent) } : {}),
      };
    },
  };
}
