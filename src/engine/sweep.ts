import pLimit from 'p-limit';
import type { Catalog, InboundRule } from '../catalog/types.js';
import type { FleetHost } from '../model/fleet.js';
import { CONTROLLER, type OutboundCheck, type Plan, type Probe } from '../plan/types.js';
import type { Connection } from '../transport/connection.js';
import { FACTS_COMMAND, parseFacts } from '../tasks/facts.js';
import { outboundHint, probeHint } from '../tasks/hints.js';
import { listenerCommand, parseListenerLines } from '../tasks/listener-script.js';
import { probeFromController } from '../tasks/probe-from-controller.js';
import { verdictOf, type ProbeResult } from '../tasks/probe-outcome.js';
import { parseProbeLine, probeCommand, probeInput } from '../tasks/probe-script.js';
import { HostUnreachableError } from '../errors.js';
import type { EngineEvent, HostState, Phase } from './events.js';
import { HostRun } from './host-run.js';
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
  let skipped = 0;

  const setState = (run: HostRun, state: HostState) => {
    run.state = state;
    emit({ kind: 'host-state', host: run.name, state, at: Date.now() });
  };
  const fail = (run: HostRun, phase: Phase, error: string) => {
    run.error = error;
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
  });
  for (const w of plan.warnings) emit({ kind: 'warning', host: w.host, code: w.code, message: w.message });

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

    // facts: read-only, a failure here is a warning, not a reason to stop
    if (!signal?.aborted) emit({ kind: 'phase', phase: 'facts', at: Date.now() });
    await eachUsable(async (run) => {
      const r = await run.conn.exec(FACTS_COMMAND, { timeoutMs: options.stepTimeoutMs });
      run.facts = parseFacts(r.stdout);
      emit({ kind: 'facts', host: run.name, facts: run.facts });
      if (run.facts.firewall?.firewalldActive) {
        emit({ kind: 'warning', host: run.name, code: 'firewalld-active', message: `${run.name}: firewalld is running; the ECE installer fails (3.5) or warns (4.0) on it` });
      }
    });

    // listen: all listeners up before any probe
    if (!signal?.aborted) emit({ kind: 'phase', phase: 'listen', at: Date.now() });
    await eachUsable(async (run) => {
      setState(run, 'listen');
      const ports = run.planned.listeners.map((l) => l.port);
      if (ports.length === 0) return;
      await startListener(run, ports, input, running);
      const rep = run.listenerReport;
      if (!rep?.ready) {
        fail(run, 'listen', `listener did not start: ${run.error ?? 'no READY line'}`);
        return;
      }
      const procOf = new Map((run.facts?.listening ?? []).map((p) => [p.port, p.process]));
      emit({
        kind: 'listeners',
        host: run.name,
        bound: rep.bound,
        inUse: rep.inUse.map((port) => ({ port, process: procOf.get(port) })),
        failed: rep.failed,
      });
    });

    // probe: each source host runs its batch; the controller runs the external ones
    if (!signal?.aborted) emit({ kind: 'phase', phase: 'probe', at: Date.now() });
    const usable = (name: string) => name === CONTROLLER || (byName.get(name)?.usable ?? false);
    const bySource = new Map<string, Probe[]>();
    for (const p of plan.probes) {
      if (!usable(p.from) || !usable(p.to)) {
        skipped++;
        continue;
      }
      let list = bySource.get(p.from);
      if (!list) bySource.set(p.from, (list = []));
      list.push(p);
    }
    const recordProbe = (p: Probe, result: ProbeResult) => {
      const verdict = verdictOf(p.expect, result.outcome);
      const dest = byName.get(p.to)!;
      const hint = probeHint(p, result, verdict, {
        rules: p.rules.map((id) => rulesById.get(id)).filter((r): r is InboundRule => !!r),
        destFirewall: dest.facts?.firewall?.backend,
        listenerBound: dest.listenerReport?.bound.includes(p.port) ?? false,
      });
      probes.push({ probe: p, result, verdict, hint });
      emit({ kind: 'probe', probe: p, result, verdict, hint });
    };
    await Promise.all(
      [...bySource].map(([from, list]) =>
        from === CONTROLLER
          ? probeFromController(
              list.map((p, i) => ({ id: String(i), address: p.address, port: p.port })),
              { timeoutMs: options.probeTimeoutMs, concurrency: options.probeConcurrency * 4, signal },
              (id, result) => recordProbe(list[Number(id)]!, result),
            )
          : limit(async () => {
              if (signal?.aborted) return;
              const run = byName.get(from)!;
              setState(run, 'probe');
              await runRemoteProbes(run, list, input, running, (p, r) => recordProbe(p, r));
            }),
      ),
    );

    // outbound: registry and snapshot repositories, from each host
    if (!signal?.aborted && plan.outbound.length) {
      emit({ kind: 'phase', phase: 'outbound', at: Date.now() });
      const byFrom = new Map<string, OutboundCheck[]>();
      for (const c of plan.outbound) {
        if (!usable(c.from)) {
          skipped++;
          continue;
        }
        byFrom.set(c.from, [...(byFrom.get(c.from) ?? []), c]);
      }
      await Promise.all(
        [...byFrom].map(([from, checks]) =>
          limit(async () => {
            const run = byName.get(from)!;
            setState(run, 'outbound');
            await runRemoteProbes(
              run,
              checks.map((c) => ({ address: c.host, port: c.port, check: c })),
              input,
              running,
              (t, result) => {
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
    skipped,
    startedAt,
    interrupted: signal?.aborted ?? false,
  });
  emit({ kind: 'run-end', at: Date.now(), result });
  return result;
}

async function startListener(run: HostRun, ports: number[], input: SweepInput, running: Set<{ kill?(): void }>) {
  const lines: string[] = [];
  const cmd = run.conn.start(listenerCommand(ports, input.options.listenerTtlSec));
  run.listener = cmd;
  running.add(cmd);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      run.error = `no answer within ${input.options.stepTimeoutMs} ms`;
      resolve();
    }, input.options.stepTimeoutMs);
    cmd.onLine((line) => {
      lines.push(line);
      if (line.startsWith('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    cmd.done.then((r) => {
      run.listenerExited = true;
      running.delete(cmd);
      clearTimeout(timer);
      if (!lines.some((l) => l.startsWith('READY'))) {
        run.error = /python3: (not found|command not found)|No such file/.test(r.stderr)
          ? 'python3 not found on host (needed for listeners and probes)'
          : (r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`);
      }
      resolve();
    });
  });
  run.listenerReport = parseListenerLines(lines);
}

/** Run a batch of probes from one host through the probe script, streaming results. */
async function runRemoteProbes<T extends { address: string; port: number }>(
  run: HostRun,
  targets: T[],
  input: SweepInput,
  running: Set<{ kill?(): void }>,
  onResult: (target: T, result: ProbeResult) => void,
): Promise<void> {
  const { probeTimeoutMs, probeConcurrency } = input.options;
  const seen = new Set<number>();
  // The inventory refuses such addresses; this guard keeps one bad target from sinking the batch.
  targets.forEach((t, i) => {
    if (/\s/.test(t.address)) {
      seen.add(i);
      onResult(t, { outcome: 'error', ms: 0, detail: 'invalid address' });
    }
  });
  const cmd = run.conn.start(probeCommand(probeTimeoutMs, probeConcurrency), {
    stdin: probeInput(targets.flatMap((t, i) => (seen.has(i) ? [] : [{ id: String(i), address: t.address, port: t.port }]))),
  });
  // No stop(): the script reads up to END and exits by itself; stop() would
  // also end it by force after a grace period (see transport/ssh.ts).
  running.add(cmd);
  cmd.onLine((line) => {
    const r = parseProbeLine(line);
    if (!r) return;
    const i = Number(r.id);
    if (seen.has(i) || !targets[i]) return;
    seen.add(i);
    onResult(targets[i], { outcome: r.outcome, ms: r.ms, detail: r.detail, retried: r.retried || undefined });
  });
  const done = await cmd.done;
  running.delete(cmd);
  if (input.signal?.aborted) return;
  // Whatever did not answer is an error of the probe itself, never a silent pass.
  const why = done.stderr.trim().split('\n').pop() || `prober exited ${done.code ?? done.signal}`;
  targets.forEach((t, i) => {
    if (!seen.has(i)) onResult(t, { outcome: 'error', ms: 0, detail: why.replace(/\s+/g, ' ').slice(0, 200) });
  });
}

async function cleanupHost(run: HostRun, input: SweepInput, setState: (r: HostRun, s: HostState) => void) {
  if (run.state === 'unreachable' || run.state === 'pending') return;
  const emit = input.emit;
  if (run.listener) {
    const cmd = run.listener;
    cmd.stop();
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      cmd.done.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), Math.min(5000, input.options.stepTimeoutMs)))),
    ]);
    clearTimeout(timer);
    if (!exited) cmd.kill?.();
    run.cleanup = { ok: exited, detail: exited ? 'listeners stopped' : 'listener killed after timeout' };
  } else {
    run.cleanup = { ok: true, detail: 'nothing to stop' };
  }
  await run.conn.close().catch(() => {});
  emit({ kind: 'cleanup', host: run.name, ok: run.cleanup.ok, detail: run.cleanup.detail });
  if (run.state !== 'failed') setState(run, 'done');
}
