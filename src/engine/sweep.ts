import pLimit from 'p-limit';
import type { Catalog, InboundRule } from '../catalog/types.js';
import type { FleetHost } from '../model/fleet.js';
import { CONTROLLER, type Plan, type PlanWarning, type Probe } from '../plan/types.js';
import type { Connection } from '../transport/connection.js';
import { parseFacts } from '../tasks/facts.js';
import { outboundHint, probeHint } from '../tasks/hints.js';
import { probeFromController } from '../tasks/probe-from-controller.js';
import { verdictOf, type ProbeResult } from '../tasks/probe-outcome.js';
import { HostUnreachableError } from '../errors.js';
import type { EngineEvent, HostState, Phase } from './events.js';
import { HostRun } from './host-run.js';
import { HostAgent } from './host-agent.js';
import { LocalConnection } from '../transport/local.js';
import type { EngineOptions } from './options.js';
import { buildResult } from './build-result.js';
import type { OutboundRecord, ProbeRecord, RunResult } from './result.js';

export interface SweepInput {
  plan: Plan;
  catalog: Catalog;
  inventory: string;
  toolVersion: string;
  /** Makes the connection for a host (ssh or local); the engine owns its life. */
  connect: (host: FleetHost) => Connection;
  options: EngineOptions;
  emit: (e: EngineEvent) => void;
  /** Abort = stop what runs, clean up remote listeners, report what was seen (exit 99). */
  signal?: AbortSignal;
}

/**
 * The sweep, in lockstep phases because the matrix needs it: every host is
 * connected, has its facts and its listeners up before any probe starts.
 * A host that fails drops out; the others go on.
 */
export async function runSweep(input: SweepInput): Promise<RunResult> {
  const { plan, options, emit, signal } = input;
  const startedAt = new Date();
  const runs = plan.hosts.map((ph) => new HostRun(ph, input.connect(ph.host)));
  const byName = new Map(runs.map((r) => [r.name, r]));
  const rulesById = new Map<string, InboundRule>(input.catalog.inbound.map((r) => [r.id, r]));
  const probes: ProbeRecord[] = [];
  const outbound: OutboundRecord[] = [];
  const running = new Set<{ kill?(): void }>();
  const limit = pLimit(options.forks);

  const setState = (run: HostRun, state: HostState) => {
    run.state = state;
    emit({ kind: 'host-state', host: run.name, state, at: Date.now() });
  };
  const fail = (run: HostRun, phase: Phase, error: string) => {
    run.error = error;
    run.phase = phase;
    setState(run, 'failed');
    emit({ kind: 'host-failed', host: run.name, phase, error });
  };
  const onAbort = () => {
    for (const r of running) r.kill?.();
  };
  signal?.addEventListener('abort', onAbort);
  const eachUsable = (fn: (run: HostRun) => Promise<void>) =>
    Promise.all(runs.filter((r) => r.usable && !signal?.aborted).map((r) => limit(() => (signal?.aborted ? undefined : fn(r)))));

  emit({
    kind: 'run-start',
    at: startedAt.getTime(),
    inventory: input.inventory,
    hosts: plan.hosts.map((h) => ({ name: h.host.name, address: h.host.address, roles: h.roles, rolesSource: h.host.rolesSource })),
    counts: {
      probes: plan.probes.length,
      listeners: plan.hosts.reduce((n, h) => n + h.listeners.length, 0),
      outbound: plan.outbound.length,
    },
    exposuresFail: options.failOnExposed,
  });
  // Plan warnings and those found on the way (facts) all end in the result.
  const warnings: PlanWarning[] = [];
  const warn = (w: PlanWarning) => {
    warnings.push(w);
    emit({ kind: 'warning', host: w.host, code: w.code, message: w.message });
  };
  for (const w of plan.warnings) warn(w);

  try {
    // connect: every host, in parallel up to --forks
    emit({ kind: 'phase', phase: 'connect', at: Date.now() });
    await Promise.all(
      runs.map((run) =>
        limit(async () => {
          if (signal?.aborted) return;
          setState(run, 'connect');
          try {
            await run.conn.connect();
            setState(run, 'facts');
          } catch (err) {
            run.error = err instanceof Error ? err.message : String(err);
            run.errorKind = err instanceof HostUnreachableError ? err.kind : 'error';
            run.state = 'unreachable';
            emit({ kind: 'host-unreachable', host: run.name, error: run.error, errorKind: run.errorKind });
            emit({ kind: 'host-state', host: run.name, state: 'unreachable', at: Date.now() });
          }
        }),
      ),
    );

    // facts: the agent session starts with them (one session per host for the whole sweep)
    if (!signal?.aborted) emit({ kind: 'phase', phase: 'facts', at: Date.now() });
    await eachUsable(async (run) => {
      const agent = new HostAgent(run.conn, run.planned.listeners.map((l) => l.port), options.listenerTtlSec);
      run.agent = agent;
      running.add(agent);
      void agent.done.then(() => running.delete(agent));
      const lines = await withTimeout(agent.facts, options.stepTimeoutMs);
      if (lines === TIMED_OUT || lines === undefined) {
        // undefined: the session ended before the facts were out, and its stderr says why
        fail(run, 'facts', lines === TIMED_OUT ? `no facts within ${options.stepTimeoutMs} ms` : await agent.failure());
        return;
      }
      run.facts = parseFacts(lines.join('\n'));
      emit({ kind: 'facts', host: run.name, facts: run.facts });
      if (run.facts.firewall?.firewalldActive) {
        warn({ host: run.name, code: 'firewalld-active', message: `${run.name}: firewalld is running; the ECE installer fails (3.5) or warns (4.0) on it` });
      }
    });

    // listen: all listeners up before any probe
    if (!signal?.aborted) emit({ kind: 'phase', phase: 'listen', at: Date.now() });
    await eachUsable(async (run) => {
      setState(run, 'listen');
      const rep = await withTimeout(run.agent!.listeners, options.stepTimeoutMs);
      if (rep === TIMED_OUT || !rep.ready) {
        // not ready means the agent exited, so failure() does not wait
        fail(run, 'listen', `listener did not start: ${rep === TIMED_OUT ? `no answer within ${options.stepTimeoutMs} ms` : await run.agent!.failure()}`);
        return;
      }
      // Ports already held are a fact with their process (from the facts' ss), still probed.
      const procOf = new Map((run.facts?.listening ?? []).map((p) => [p.port, p.process]));
      run.listeners = { bound: rep.bound, inUse: rep.inUse.map((port) => ({ port, process: procOf.get(port) })), failed: rep.failed };
      emit({ kind: 'listeners', host: run.name, ...run.listeners });
    });

    // probe: each source host runs its batch; the controller runs the external ones
    if (!signal?.aborted) emit({ kind: 'phase', phase: 'probe', at: Date.now() });
    const usable = (name: string) => name === CONTROLLER || (byName.get(name)?.usable ?? false);
    const runnable = plan.probes.filter((p) => usable(p.from) && usable(p.to));
    const bySource = groupBy(runnable, (p) => p.from);
    const batchOptions = { timeoutMs: options.probeTimeoutMs, concurrency: options.probeConcurrency };
    const recordProbe = (p: Probe, result: ProbeResult) => {
      const verdict = verdictOf(p.expect, result.outcome);
      const dest = byName.get(p.to)!;
      const hint = probeHint(p, result, verdict, {
        rules: p.rules.map((id) => rulesById.get(id)).filter((r): r is InboundRule => !!r),
        destFirewall: dest.facts?.firewall?.backend,
        listenerBound: dest.listeners?.bound.includes(p.port) ?? false,
      });
      probes.push({ probe: p, result, verdict, hint });
      emit({ kind: 'probe', probe: p, result, verdict, hint });
    };
    const remote = [...bySource]
      .filter(([from]) => from !== CONTROLLER)
      .map(([from, list]) =>
        limit(async () => {
          if (signal?.aborted) return;
          const run = byName.get(from)!;
          setState(run, 'probe');
          await run.agent!.runBatch(list, batchOptions, (p, r) => {
            if (!signal?.aborted) recordProbe(p, r);
          });
        }),
      );
    const external = bySource.get(CONTROLLER) ?? [];
    await Promise.all([...remote, probeExternal(external, input, running, recordProbe)]);

    // outbound: registry and snapshot repositories, from each host
    if (!signal?.aborted && plan.outbound.length) {
      emit({ kind: 'phase', phase: 'outbound', at: Date.now() });
      const runnableChecks = plan.outbound.filter((c) => usable(c.from));
      const byFrom = groupBy(runnableChecks, (c) => c.from);
      await Promise.all(
        [...byFrom].map(([from, checks]) =>
          limit(async () => {
            const run = byName.get(from)!;
            setState(run, 'outbound');
            await run.agent!.runBatch(
              checks.map((c) => ({ address: c.host, port: c.port, check: c })),
              batchOptions,
              (t, result) => {
                if (signal?.aborted) return;
                const verdict = verdictOf('open', result.outcome);
                const hint = outboundHint(t.check, result, verdict);
                outbound.push({ check: t.check, result, verdict, hint });
                emit({ kind: 'outbound', check: t.check, result, verdict, hint });
              },
            );
          }),
        ),
      );
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // cleanup always runs: close every listener's stdin, wait, then kill
    emit({ kind: 'phase', phase: 'cleanup', at: Date.now() });
    await Promise.all(runs.map((run) => limit(() => cleanupHost(run, input, setState))));
  }

  const result = buildResult({
    input,
    runs,
    probes,
    outbound,
    warnings,
    startedAt,
    interrupted: signal?.aborted ?? false,
  });
  emit({ kind: 'run-end', at: Date.now(), result });
  return result;
}

/**
 * The `external` probes, from the controller. They run in a local agent
 * process like every host's, so their timing does not depend on this event
 * loop, which is busy with fleet-sized SSH traffic at that moment (a 1 s stall
 * at 50 hosts was measured, enough to turn an open port filtered). Without
 * python3 here, the probes run in-process instead.
 */
async function probeExternal(
  probes: Probe[],
  input: SweepInput,
  running: Set<{ kill?(): void }>,
  record: (p: Probe, r: ProbeResult) => void,
): Promise<void> {
  if (probes.length === 0) return;
  const { options, signal } = input;
  const agent = new HostAgent(new LocalConnection(CONTROLLER), [], options.listenerTtlSec, { facts: false });
  running.add(agent);
  try {
    const ready = await withTimeout(agent.listeners, options.stepTimeoutMs);
    if (ready !== TIMED_OUT && ready.ready) {
      await agent.runBatch(probes, { timeoutMs: options.probeTimeoutMs, concurrency: options.probeConcurrency * 4 }, (p, r) => {
        if (!signal?.aborted) record(p, r);
      });
      return;
    }
  } finally {
    agent.stop();
    running.delete(agent);
  }
  await probeFromController(
    probes.map((p, i) => ({ id: String(i), address: p.address, port: p.port })),
    { timeoutMs: options.probeTimeoutMs, concurrency: options.probeConcurrency * 4, signal },
    (id, result) => record(probes[Number(id)]!, result),
  );
}

/** Items by key, keys in first-seen order (Map.groupBy needs Node 21). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const TIMED_OUT = Symbol('timed out');

/** The promise's value, or TIMED_OUT when it takes longer than ms. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((r) => (timer = setTimeout(() => r(TIMED_OUT), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function cleanupHost(run: HostRun, input: SweepInput, setState: (r: HostRun, s: HostState) => void) {
  if (run.state === 'unreachable' || run.state === 'pending') return;
  const emit = input.emit;
  if (run.agent) {
    const agent = run.agent;
    agent.stop();
    const exited = (await withTimeout(agent.done, Math.min(5000, input.options.stepTimeoutMs))) !== TIMED_OUT;
    if (!exited) agent.kill();
    run.cleanup = { ok: exited, detail: exited ? 'listeners stopped' : 'listener killed after timeout' };
  } else {
    run.cleanup = { ok: true, detail: 'nothing to stop' };
  }
  await run.conn.close().catch(() => {});
  emit({ kind: 'cleanup', host: run.name, ok: run.cleanup.ok, detail: run.cleanup.detail });
  if (run.state !== 'failed') setState(run, 'done');
}
