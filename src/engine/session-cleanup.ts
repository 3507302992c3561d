import type { EngineEvent } from './events.js';
import type { HostSession } from './host-session.js';
import type { EngineOptions } from './options.js';
import { TIMED_OUT, withTimeout } from './with-timeout.js';

/**
 * The end of a host's session, after every play and whatever happened: the
 * agent's stdin closes (it closes its listeners and exits), a stuck one is
 * killed, the connection ends. Never throws.
 */
export async function closeSession(s: HostSession, options: EngineOptions, emit: (e: EngineEvent) => void): Promise<void> {
  if (!s.connected || s.state === 'unreachable') return;
  if (s.agent) {
    const agent = s.agent;
    agent.stop();
    const exited = (await withTimeout(agent.done, Math.min(5000, options.stepTimeoutMs))) !== TIMED_OUT;
    if (!exited) agent.kill();
    s.cleanup = { ok: exited, detail: exited ? 'listeners stopped' : 'listener killed after timeout' };
  } else {
    s.cleanup = { ok: true, detail: 'nothing to stop' };
  }
  await s.conn.close().catch(() => {});
  emit({ kind: 'cleanup', host: s.name, ok: s.cleanup.ok, detail: s.cleanup.detail });
}
