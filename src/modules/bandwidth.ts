import { z } from 'zod';
import type { HostCheckRecord, PlannedHostCheck } from '../engine/host-check.js';
import { templatable } from '../playbook/module-schema.js';
import {
  bandwidthCommand,
  bandwidthPairs,
  DEFAULT_BANDWIDTH_MB,
  DEFAULT_BANDWIDTH_SECONDS,
  judgeBandwidth,
  parseTransferLine,
  unpairedRecord,
  type BandwidthPair,
  type TransferBounds,
} from '../tasks/bandwidth.js';
import { hostChecksResult } from './host-checks.js';
import { planHostChecks } from './plan-checks.js';
import type { HostContext, Module } from './types.js';

const args = z.strictObject({
  /** `plan`: one pair per pair of zones, from the plan's bandwidth requirement (planned only with --bandwidth). */
  pairs: z.enum(['plan']).default('plan'),
  /** Time cap of one transfer, seconds. */
  // Coerced: `-e ece_bandwidth_seconds=1` arrives as the string '1'.
  seconds: templatable(z.coerce.number().min(0.2).max(60)).default(DEFAULT_BANDWIDTH_SECONDS),
  /** Byte cap of one transfer, MiB. */
  max_mb: templatable(z.coerce.number().int().min(1).max(100_000)).default(DEFAULT_BANDWIDTH_MB),
});
type Args = z.infer<typeof args>;

interface Shared {
  bySource: Map<string, BandwidthPair[]>;
  bounds: TransferBounds;
  /** One transfer at a time across the fleet: two pairs on one link would halve each other. */
  turn: Promise<void>;
}

function boundsOf(a: Args): TransferBounds {
  const seconds = Number(a.seconds);
  const mb = Number(a.max_mb);
  if (!Number.isFinite(seconds) || seconds < 0.2 || seconds > 60) throw new Error(`bandwidth: seconds must be 0.2 to 60, got ${JSON.stringify(a.seconds)}`);
  if (!Number.isInteger(mb) || mb < 1 || mb > 100_000) throw new Error(`bandwidth: max_mb must be a whole number 1 to 100000, got ${JSON.stringify(a.max_mb)}`);
  return { seconds, maxBytes: mb * 2 ** 20 };
}

/**
 * Throughput between zones (--bandwidth): after the probes, while every
 * host's listeners are up, the source of each pair sends to one of the
 * destination's listeners (a port it must reach and that probed ok) for at
 * most `seconds` or `max_mb`, one pair at a time. Each pair is a host check
 * (`multi-dc-bandwidth`, on the source): pass at 10 Gbit/s or more, warn
 * under, not checked when nothing could be measured (the paths' own checks
 * say why). Never `changed`.
 */
export const bandwidthModule: Module<Args, Shared> = {
  name: 'bandwidth',
  description: 'Measure throughput between zones: one bounded transfer per pair of zones (--bandwidth)',
  args,
  checkMode: 'full',
  phase: 'probe',
  prepare(task, a) {
    const bounds = boundsOf(a);
    const plan = task.play.plan();
    const { pairs, unpaired } = bandwidthPairs(plan.requirements ?? [], plan.hosts, plan.probes);
    const bySource = new Map<string, BandwidthPair[]>();
    for (const p of pairs) bySource.set(p.from, [...(bySource.get(p.from) ?? []), p]);
    const planned: PlannedHostCheck[] = pairs.map((p) => ({ kind: 'requirement', id: p.requirement, host: p.from }));
    const fleet = unpaired.map(unpairedRecord);
    planHostChecks(task, [...planned, ...fleet.map((r) => ({ kind: r.kind, id: r.id }))]);
    task.run.records.hostChecks.push(...fleet);
    return { bySource, bounds, turn: Promise.resolve() };
  },
  async run(ctx, _a, shared) {
    const pairs = shared.bySource.get(ctx.name) ?? [];
    if (pairs.length === 0) return { status: 'ok', msg: 'no bandwidth pair from here' };
    const out: HostCheckRecord[] = [];
    for (const p of pairs) {
      const mine = shared.turn.then(() => measure(ctx, p, shared.bounds));
      shared.turn = mine.then(
        () => undefined,
        () => undefined,
      );
      out.push(await mine);
    }
    ctx.task.run.records.hostChecks.push(...out);
    return hostChecksResult(out);
  },
};

/** One transfer from this host, over the first of the pair's ports whose probe came out ok. */
async function measure(ctx: HostContext, p: BandwidthPair, bounds: TransferBounds): Promise<HostCheckRecord> {
  if (ctx.task.run.signal.aborted) return judgeBandwidth(p, p.ports[0]!, undefined, bounds, 'interrupted');
  const checks = ctx.task.run.records.checks;
  const okPort = p.ports.find((port) => checks.some((c) => c.kind === 'probe' && c.from === p.from && c.to === p.to && c.port === port && !c.family && c.verdict === 'ok'));
  const listening = ctx.task.session(p.to)?.listeners?.bound ?? [];
  if (okPort === undefined || !listening.includes(okPort)) {
    return { ...judgeBandwidth(p, p.ports[0]!, undefined, bounds), message: `${p.from} (${p.fromZone}) -> ${p.to} (${p.toZone}): no path to a listener of ours on ${p.to} probed open (ports ${p.ports.join(', ')}): nothing to measure over` };
  }
  const { command, stdin } = bandwidthCommand(p.address, okPort, bounds);
  try {
    // Connect (5 s), the transfer, the drain (twice the cap, at least 2 s) and an interpreter start.
    const r = await ctx.session.conn.exec(command, { stdin, timeoutMs: Math.ceil(bounds.seconds * 3000) + 10_000 });
    const line = parseTransferLine(r.stdout);
    return judgeBandwidth(p, okPort, line, bounds, line ? undefined : (r.stderr.trim().split('\n').pop() || `exit ${r.code}`));
  } catch (e) {
    return judgeBandwidth(p, okPort, undefined, bounds, (e as Error).message);
  }
}
