import { z } from 'zod';
import { hostCheckLine, type HostCheckRecord, type PlannedHostCheck } from '../engine/host-check.js';
import { mergeSpecs } from '../catalog/ports.js';
import type { PortSpec } from '../catalog/types.js';
import type { PlannedRequirement } from '../plan/types.js';
import { judgePreconditions, PRECONDITION_IDS } from '../tasks/preconditions.js';
import { isPerHostRequirement, judgeFleetRequirement, judgeIpv6Requirement } from '../tasks/requirement-verdicts.js';
import { DEFAULT_STORAGE_PATH, judgeStoragePath, storagePathCommand } from '../tasks/storage-path.js';
import type { HostContext, Module } from './types.js';
import { judgeRtt, rttPairs, type RttPair } from '../tasks/round-trip.js';
import type { ProbeResult } from '../tasks/probe-outcome.js';
import { TIMED_OUT, withTimeout } from '../engine/with-timeout.js';
import { agentOf } from './agent-session.js';
import { planHostChecks } from './plan-checks.js';

const args = z.strictObject({
  /** `plan`: the requirements the plan lists for the play's hosts. */
  requirements: z.enum(['plan']).default('plan'),
  /**
   * Also judge the installer's preconditions (Docker and its socket, a
   * non-root install user with UID/GID >= 1000, ip_local_port_range clear of
   * the host's ECE ports, firewalld, the storage path `ece_storage_path`). Off by
   * default (a pre-install sweep often runs before Docker is there): `sweep
   * --preconditions` (play var ece_preconditions) turns it on; see src/tasks/preconditions.ts.
   */
  preconditions: z.boolean().default(false),
  /** TCP connects per pair for the round-trip requirements (directors; across zones). */
  rtt_samples: z.number().int().min(1).max(100).default(10),
});

interface Shared {
  /** Per-host requirements by host name. */
  perHost: Map<string, PlannedRequirement[]>;
  /** With preconditions: the ECE ports (full ranges) each host's planned roles need. */
  eceports?: Map<string, PortSpec[]>;
  /** Round-trip pairs measured from each host (its own agent connects to the peer). */
  rtt: Map<string, RttPair[]>;
}

/**
 * The seed's host-level requirements, judged from the facts gathered before
 * (so it runs after `facts`): IPv6 on proxies per host; the first host, round
 * trip and bandwidth for the fleet. Every planned one ends as a record (pass,
 * fail, warn or not-checked) in the run summary; a failure fails the run but
 * not the host (its paths are still probed). Never `changed`.
 */
export const hostChecksModule: Module<z.infer<typeof args>, Shared> = {
  name: 'host_checks',
  description: 'Judge the seed requirements (IPv6 on proxies, first host, round trip) from host facts',
  args,
  checkMode: 'full',
  phase: 'facts',
  prepare(task, a) {
    const reqs = task.play.plan().requirements ?? [];
    const perHost = new Map<string, PlannedRequirement[]>();
    const planned: PlannedHostCheck[] = [];
    /** Fleet-level checks judged from the plan alone: recorded once the plan has replaced any earlier round. */
    const judged: HostCheckRecord[] = [];
    for (const r of reqs) {
      if (!isPerHostRequirement(r)) {
        for (const rec of judgeFleetRequirement(r)) {
          planned.push({ kind: rec.kind, id: rec.id, host: rec.host });
          judged.push(rec);
        }
        continue;
      }
      for (const host of r.hosts) {
        planned.push({ kind: 'requirement', id: r.requirement, host });
        perHost.set(host, [...(perHost.get(host) ?? []), r]);
      }
    }
    const rtt = new Map<string, RttPair[]>();
    for (const p of rttPairs(reqs, task.play.plan().hosts.map((h) => h.host))) {
      rtt.set(p.from, [...(rtt.get(p.from) ?? []), p]);
      planned.push({ kind: 'requirement', id: p.requirement, host: p.from });
    }
    let eceports: Map<string, PortSpec[]> | undefined;
    // The task's own argument, or the play's plan options (sweep --preconditions, ece_preconditions).
    if (a.preconditions || task.play.plan().options.preconditions) {
      const plan = task.play.plan();
      eceports = new Map();
      for (const h of plan.hosts) {
        const ports = (plan.rules ?? []).filter((r) => r.expect === 'open' && (r.dest === 'all' || r.dest.some((d) => h.roles.includes(d)))).flatMap((r) => r.ports);
        eceports.set(h.host.name, mergeSpecs(ports.filter((p) => p !== 22)));
        for (const id of PRECONDITION_IDS) planned.push({ kind: 'precondition', id, host: h.host.name });
      }
    }
    planHostChecks(task, planned);
    task.run.records.hostChecks.push(...judged);
    return { perHost, rtt, ...(eceports ? { eceports } : {}) };
  },
  async run(ctx, a, shared) {
    const facts = ctx.session.facts;
    const out: HostCheckRecord[] = [];
    for (const r of shared.perHost.get(ctx.name) ?? []) {
      if (r.kind === 'ipv6-enabled') out.push(judgeIpv6Requirement(r, ctx.name, ctx.host.eceVersion, facts));
    }
    const ports = shared.eceports?.get(ctx.name);
    if (ports) {
      out.push(...judgePreconditions(ctx.name, facts, ctx.host.eceVersion, ports));
      // As the login user (the installer's user), not through sudo: can that user write there?
      const configured = ctx.host.vars['ece_storage_path'];
      const storage = typeof configured === 'string' && configured ? configured : DEFAULT_STORAGE_PATH;
      try {
        const r = await ctx.session.conn.exec(storagePathCommand(storage), { timeoutMs: ctx.task.run.options.stepTimeoutMs });
        out.push(judgeStoragePath(ctx.name, storage, r.stdout, r.code));
      } catch (e) {
        out.push({ kind: 'precondition', id: 'storage-path', host: ctx.name, status: 'not-checked', message: (e as Error).message });
      }
    }
    out.push(...(await measureRoundTrips(ctx, shared.rtt.get(ctx.name) ?? [], a.rtt_samples)));
    ctx.task.run.records.hostChecks.push(...out);
    return hostChecksResult(out);
  },
};

/** Each pair's samples, one connect at a time from this host's agent (latency, not queueing). */
async function measureRoundTrips(ctx: HostContext, pairs: readonly RttPair[], samples: number): Promise<HostCheckRecord[]> {
  if (pairs.length === 0) return [];
  const notChecked = (p: RttPair, why: string): HostCheckRecord => ({ kind: 'requirement', id: p.requirement, host: p.from, status: 'not-checked', message: `${p.from} -> ${p.to}: ${why}` });
  const agent = agentOf(ctx);
  const ready = await withTimeout(agent.listeners, ctx.task.run.options.stepTimeoutMs);
  if (ready === TIMED_OUT || !ready.ready) return pairs.map((p) => notChecked(p, 'the host agent is not running'));
  const out: HostCheckRecord[] = [];
  for (const p of pairs) {
    const results: ProbeResult[] = [];
    await agent.runBatch(
      Array.from({ length: samples }, () => ({ address: p.address, port: p.port })),
      { timeoutMs: ctx.task.run.options.probeTimeoutMs, concurrency: 1 },
      (_t, r) => results.push(r),
    );
    // Errors say nothing about the network (the agent could not try): not checked, never a pass or a loss.
    out.push(results.every((r) => r.outcome === 'error') ? notChecked(p, `could not measure (${results[0]?.detail ?? 'error'})`) : judgeRtt(p, results));
  }
  return out;
}

/** One line per check in the task's output; ok even when one fails (the summary fails the run, the host goes on). */
export function hostChecksResult(out: HostCheckRecord[]): { status: 'ok'; msg: string; data: Record<string, unknown> } {
  if (out.length === 0) return { status: 'ok', msg: 'no host checks here', data: { host_checks: [] } };
  const bad = out.filter((r) => r.status !== 'pass').length;
  const msg = [`${out.length - bad}/${out.length} host checks pass`, ...out.map((r) => `  ${hostCheckLine(r)}`)].join('\n');
  return { status: 'ok', msg, data: { host_checks: out } };
}
