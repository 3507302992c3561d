import { z } from 'zod';
import { templatable } from '../playbook/module-schema.js';
import { TIMED_OUT, withTimeout } from '../engine/with-timeout.js';
import { agentFailure, agentOf } from './agent-session.js';
import type { HostRecord } from '../engine/result.js';
import type { Module } from './types.js';

/** `listening on 5 ports; 1 failed: 9300 ...; in use: 9300 (java)`: one line for the per-host output. */
export function listenSummary(l: NonNullable<HostRecord['listeners']>): string {
  const inUse = l.inUse.length ? `; in use: ${l.inUse.map((u) => (u.process ? `${u.port} (${u.process})` : String(u.port))).join(', ')}` : '';
  const failed = l.failed.length ? `; ${l.failed.length} failed: ${l.failed.map((f) => `${f.port} ${f.error}`).join(', ')}` : '';
  return `listening on ${l.bound.length} ports${failed}${inUse}`;
}

const port = z.number().int().min(1).max(65535);

const args = z.strictObject({
  /** `plan`: the listeners the ECE plan gives this host; or a list of ports. */
  ports: z.union([z.literal('plan'), z.array(templatable(port))]).default('plan'),
  /** absent: close every listener now (they also close when the session ends). */
  state: z.enum(['present', 'absent']).default('present'),
});

/**
 * Temporary listeners on the host network, held by the host's agent session:
 * they live until `state: absent`, the end of the run, or the agent's hard
 * lifetime, whichever comes first, so nothing outlives the run. A port
 * already held by another process is a fact (with that process), not a
 * failure: it is probed anyway. Never `changed`: nothing stays behind.
 */
export const listenModule: Module<z.infer<typeof args>> = {
  name: 'listen',
  description: 'Open (or close) temporary TCP listeners on the host for the probes',
  args,
  checkMode: 'full',
  phase: 'listen',
  async run(ctx, a) {
    const agent = agentOf(ctx);
    const step = ctx.task.run.options.stepTimeoutMs;
    if (a.state === 'absent') {
      if (!ctx.session.agent?.alive) return { status: 'ok', msg: 'no listeners' };
      const closed = await withTimeout(agent.closeListeners(), step);
      return { status: 'ok', msg: closed === TIMED_OUT || closed === undefined ? 'agent gone: its listeners went with it' : `closed ${closed} listeners` };
    }
    const ports =
      a.ports === 'plan'
        ? (ctx.task.play.plan().hosts.find((h) => h.host.name === ctx.name)?.listeners.map((l) => l.port) ?? [])
        : a.ports.map(Number);
    const started = await withTimeout(agent.listeners, step);
    if (started === TIMED_OUT) return { status: 'failed', msg: `listener did not start: no answer within ${step} ms` };
    if (!started.ready) return { status: 'failed', msg: `listener did not start: ${await agentFailure(agent)}` };
    const rep = await withTimeout(agent.listen(ports), step);
    if (rep === TIMED_OUT) return { status: 'failed', msg: `listener did not start: no answer within ${step} ms` };
    if (!rep.ready) return { status: 'failed', msg: `listener did not start: ${await agentFailure(agent)}` };
    // Ports already held are a fact with their process (from the facts' ss), still probed.
    const procOf = new Map((ctx.session.facts?.listening ?? []).map((p) => [p.port, p.process]));
    const listeners = { bound: rep.bound, inUse: rep.inUse.map((p) => ({ port: p, process: procOf.get(p) })), failed: rep.failed };
    ctx.session.listeners = listeners;
    ctx.task.run.emit({ kind: 'listeners', host: ctx.name, ...listeners });
    return { status: 'ok', msg: listenSummary(listeners), data: { listeners } };
  },
};
