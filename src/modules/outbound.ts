import { z } from 'zod';
import { outboundRecord } from '../engine/check-record.js';
import { plannedOutbound } from '../engine/not-checked.js';
import { TIMED_OUT, withTimeout } from '../engine/with-timeout.js';
import type { OutboundCheck } from '../plan/types.js';
import { outboundHint } from '../tasks/hints.js';
import { verdictOf } from '../tasks/probe-outcome.js';
import { agentOf } from './agent-session.js';
import { planChecks } from './plan-checks.js';
import { checkBatch, type CheckBatch } from './check-batch.js';
import type { Module } from './types.js';

const args = z.strictObject({
  /** `plan`: the registry and snapshot repositories the plan gives each host. */
  checks: z.enum(['plan']).default('plan'),
});

/**
 * Outbound reachability from each host (the Docker registry, the host that
 * serves the installation script, snapshot repositories), through the host's
 * agent: a TCP connect, nothing sent; with ece_https_proxy a `CONNECT
 * host:port` through the proxy, and its status line is the answer. The
 * targets come from the inventory (ece_registry, ece_install_script_host,
 * ece_snapshot_repos, ece_https_proxy), so a test points them at a lab host.
 */
export const outboundModule: Module<z.infer<typeof args>, { byFrom: Map<string, OutboundCheck[]>; batch: CheckBatch }> = {
  name: 'outbound',
  description: 'Check outbound TCP reachability (registry, install script host, snapshot repositories; through ece_https_proxy when set) from each host',
  args,
  checkMode: 'full',
  phase: 'outbound',
  prepare(task) {
    const planned = task.play.plan().outbound;
    // Counted as planned (replacing an earlier round); under --changed a host that did not change keeps the last run's results.
    const checks: OutboundCheck[] = planChecks(task, planned.map((c) => ({ ...c, to: c.host })), plannedOutbound);
    const byFrom = new Map<string, OutboundCheck[]>();
    for (const c of checks) byFrom.set(c.from, [...(byFrom.get(c.from) ?? []), c]);
    return { byFrom, batch: checkBatch(task.run.emit) };
  },
  async run(ctx, _a, { byFrom, batch }) {
    const checks = byFrom.get(ctx.name) ?? [];
    if (checks.length === 0) return { status: 'ok', msg: 'no outbound checks' };
    const agent = agentOf(ctx);
    const started = await withTimeout(agent.listeners, ctx.task.run.options.stepTimeoutMs);
    if (started === TIMED_OUT || !started.ready) return { status: 'failed', msg: 'agent not running: cannot check from here' };
    const { run } = ctx.task;
    let bad = 0;
    try {
      await agent.runBatch(
        checks.map((c) => ({ address: c.host, port: c.port, ...(c.proxy ? { proxy: c.proxy } : {}), check: c })),
        { timeoutMs: run.options.probeTimeoutMs, concurrency: run.options.probeConcurrency },
        (t, result) => {
          if (run.signal.aborted) return;
          const verdict = verdictOf('open', result.outcome);
          if (verdict !== 'ok') bad++;
          const hint = outboundHint(t.check, result, verdict);
          const check = outboundRecord(t.check, result, verdict, hint);
          run.records.checks.push(check);
          batch.add(check);
        },
      );
    } finally {
      batch.flush();
    }
    return { status: 'ok', msg: `${checks.length - bad}/${checks.length} outbound endpoints reachable` };
  },
};
