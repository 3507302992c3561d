import { z } from 'zod';
import type { InboundRule } from '../catalog/types.js';
import { probeRecord } from '../engine/check-record.js';
import { HostAgent } from '../engine/host-agent.js';
import { plannedProbe } from '../engine/not-checked.js';
import { TIMED_OUT, withTimeout } from '../engine/with-timeout.js';
import type { FleetHost } from '../model/fleet.js';
import { templatable } from '../playbook/module-schema.js';
import { resolveIpv6Probes } from '../plan/ipv6-probes.js';
import { CONTROLLER, type Probe } from '../plan/types.js';
import { usableIpv6 } from '../tasks/facts.js';
import { probeHint } from '../tasks/hints.js';
import { probeFromController } from '../tasks/probe-from-controller.js';
import { verdictOf, type ProbeResult } from '../tasks/probe-outcome.js';
import { agentOf } from './agent-session.js';
import { planChecks } from './plan-checks.js';
import { checkBatch, type CheckBatch } from './check-batch.js';
import type { Module, TaskContext } from './types.js';

const port = z.number().int().min(1).max(65535);

const args = z.strictObject({
  /** `plan`: the ECE matrix the plan gives the play's hosts. Otherwise `to` and `ports` say it. */
  matrix: z.enum(['plan']).optional(),
  /** Destinations: `all` (every other host of the play), a group or a host name. */
  to: z.string().optional(),
  ports: z.array(templatable(port)).optional(),
  expect: z.enum(['open', 'closed']).default('open'),
  /** The rule id the probes report under (an explicit matrix has no catalog row). */
  rule: z.string().default('matrix'),
  /** Per probe budget in ms (two attempts share it); default --probe-timeout. */
  timeout_ms: templatable(z.number().int().min(10)).optional(),
});
type Args = z.infer<typeof args>;

interface Shared {
  bySource: Map<string, Probe[]>;
  external: Probe[];
  rules: Map<string, InboundRule>;
  /** The task's judged checks on their way to the renderers, in batches. */
  batch: CheckBatch;
}

function matches(h: FleetHost, pattern: string): boolean {
  return pattern === 'all' || h.name === pattern || h.groups.includes(pattern);
}

/** The probes of one task, from every play host: the ECE plan's, or the explicit matrix. Pure. */
export function taskProbes(task: Pick<TaskContext, 'play'>, a: Args): Probe[] {
  if (a.matrix === 'plan' || (a.to === undefined && a.ports === undefined)) {
    const plan = task.play.plan();
    return plan.ipv6Probes?.length ? [...plan.probes, ...plan.ipv6Probes] : plan.probes;
  }
  if (!a.to || !a.ports?.length) throw new Error('probe: give `matrix: plan`, or `to` and `ports`');
  const hosts = task.play.hosts;
  const out: Probe[] = [];
  for (const dst of hosts.filter((h) => matches(h, a.to!))) {
    for (const src of hosts) {
      if (src.name === dst.name) continue;
      for (const p of a.ports.map(Number)) {
        out.push({ id: `${src.name}>${dst.name}:${p}`, from: src.name, to: dst.name, address: dst.address, port: p, expect: a.expect, rules: [a.rule] });
      }
    }
  }
  return out;
}

/**
 * The matrix: each host probes its share of the paths (through its agent
 * session, so nothing but the agent runs there), the controller probes the
 * `external` ones alongside. The whole task's paths count as planned before
 * any runs, so a host that is down leaves its paths "not checked", never
 * silently absent. Paths to a host that left the play are not probed.
 */
export const probeModule: Module<Args, Shared> = {
  name: 'probe',
  description: 'Probe TCP paths between hosts (the ECE matrix, or to/ports/expect) and judge each',
  args,
  checkMode: 'full',
  phase: 'probe',
  prepare(task, a) {
    // IPv6 paths get the destination's global IPv6 address from facts, or are dropped where an end has none.
    const planned = resolveIpv6Probes(taskProbes(task, a), (h) => usableIpv6(task.session(h)?.facts));
    // Counted as planned (replacing an earlier round of the same paths); under --changed, unchanged paths carried over.
    const probes = planChecks(task, planned, plannedProbe);
    const bySource = new Map<string, Probe[]>();
    for (const p of probes) {
      if (p.from === CONTROLLER) continue;
      const list = bySource.get(p.from);
      if (list) list.push(p);
      else bySource.set(p.from, [p]);
    }
    const plan = task.play.plan();
    const rules = new Map([...(plan.rules ?? task.run.catalog.inbound), ...(plan.containerOnly ? [plan.containerOnly] : [])].map((r) => [r.id, r]));
    return { bySource, external: probes.filter((p) => p.from === CONTROLLER), rules, batch: checkBatch(task.run.emit) };
  },
  async run(ctx, a, shared) {
    const list = (shared.bySource.get(ctx.name) ?? []).filter((p) => ctx.task.isActive(p.to));
    if (list.length === 0) return { status: 'ok', msg: 'no paths from here' };
    const agent = agentOf(ctx);
    const started = await withTimeout(agent.listeners, ctx.task.run.options.stepTimeoutMs);
    if (started === TIMED_OUT || !started.ready) return { status: 'failed', msg: 'agent not running: cannot probe from here' };
    let bad = 0;
    try {
      await agent.runBatch(list, batchOptions(ctx.task, a), (p, r) => {
        if (ctx.task.run.signal.aborted) return;
        if (record(ctx.task, shared, p, r) !== 'ok') bad++;
      });
    } finally {
      shared.batch.flush();
    }
    return { status: 'ok', msg: `${list.length - bad}/${list.length} paths as expected`, data: { probed: list.length, failing: bad } };
  },
  async controller(task, a, shared) {
    const probes = shared.external.filter((p) => task.isActive(p.to));
    if (probes.length === 0) return;
    try {
      await probeExternal(task, probes, batchOptions(task, a), (p, r) => {
        if (!task.run.signal.aborted) record(task, shared, p, r);
      });
    } finally {
      shared.batch.flush();
    }
  },
};

function batchOptions(task: TaskContext, a: Args): { timeoutMs: number; concurrency: number } {
  return { timeoutMs: a.timeout_ms !== undefined ? Number(a.timeout_ms) : task.run.options.probeTimeoutMs, concurrency: task.run.options.probeConcurrency };
}

/** Judge one path, keep the record, tell the renderers. */
function record(task: TaskContext, shared: Shared, p: Probe, result: ProbeResult) {
  const verdict = verdictOf(p.expect, result.outcome);
  const dest = task.session(p.to);
  const hint = probeHint(p, result, verdict, {
    rules: p.rules.map((id) => shared.rules.get(id)).filter((r): r is InboundRule => !!r),
    destFirewall: dest?.facts?.firewall?.backend,
    listenerBound: dest?.listeners?.bound.includes(p.port) ?? false,
  });
  const check = probeRecord(p, result, verdict, hint);
  task.run.records.checks.push(check);
  shared.batch.add(check);
  return verdict;
}

/**
 * The `external` probes, from the controller. They run in a local agent
 * process like every host's, so their timing does not depend on this event
 * loop, which is busy with fleet-sized SSH traffic at that moment (a 1 s stall
 * at 50 hosts was measured, enough to turn an open port filtered). Without
 * python3 here, the probes run in-process instead.
 */
async function probeExternal(
  task: TaskContext,
  probes: Probe[],
  opts: { timeoutMs: number; concurrency: number },
  onResult: (p: Probe, r: ProbeResult) => void,
): Promise<void> {
  const { options, signal } = task.run;
  const agent = new HostAgent(task.run.controller(), [], options.listenerTtlSec, { facts: false });
  const kill = () => agent.kill();
  signal.addEventListener('abort', kill);
  try {
    const ready = await withTimeout(agent.listeners, options.stepTimeoutMs);
    if (ready !== TIMED_OUT && ready.ready) {
      await agent.runBatch(probes, { ...opts, concurrency: opts.concurrency * 4 }, onResult);
      return;
    }
  } finally {
    signal.removeEventListener('abort', kill);
    agent.stop();
  }
  await probeFromController(
    probes.map((p, i) => ({ id: String(i), address: p.address, port: p.port })),
    { timeoutMs: opts.timeoutMs, concurrency: opts.concurrency * 4, signal },
    (id, result) => onResult(probes[Number(id)]!, result),
  );
}
