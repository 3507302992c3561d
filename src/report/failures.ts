import type { OutboundRecord, ProbeRecord, RunResult } from '../engine/result.js';
import type { ProbeOutcome, Verdict } from '../tasks/probe-outcome.js';
import { VERDICT_RANK } from './tally.js';

/**
 * One failing path, named the way operators grep for it (`source -> host:port`,
 * rke#1346): every failing path is listed, not just the first. Shared by the
 * live UI, the plain lines and the reports.
 */
export interface Failure {
  id: string;
  kind: 'probe' | 'outbound';
  /** Host name or '@controller'. */
  source: string;
  /** Destination host name (probe) or remote endpoint host (outbound). */
  destination: string;
  port: number;
  outcome: ProbeOutcome;
  verdict: Exclude<Verdict, 'ok'>;
  ms: number;
  /** A filtered probe is retried once before it is called (rke#2438). */
  retried?: boolean;
  hint?: string;
  detail?: string;
  /** Rule ids behind the path (probes) or the outbound rule. */
  rules: string[];
}

export function failureOfProbe(r: ProbeRecord): Failure | null {
  if (r.verdict === 'ok') return null;
  return {
    id: r.probe.id,
    kind: 'probe',
    source: r.probe.from,
    destination: r.probe.to,
    port: r.probe.port,
    outcome: r.result.outcome,
    verdict: r.verdict,
    ms: r.result.ms,
    retried: r.result.retried,
    hint: r.hint,
    detail: r.result.detail,
    rules: r.probe.rules,
  };
}

export function failureOfOutbound(r: OutboundRecord): Failure | null {
  if (r.verdict === 'ok') return null;
  return {
    id: r.check.id,
    kind: 'outbound',
    source: r.check.from,
    destination: r.check.host,
    port: r.check.port,
    outcome: r.result.outcome,
    verdict: r.verdict,
    ms: r.result.ms,
    retried: r.result.retried,
    hint: r.hint,
    detail: r.result.detail,
    rules: [r.check.rule],
  };
}

/** `h3 -> h1:2112`, the name of a path everywhere (JUnit test name too). */
export function pathName(source: string, destination: string, port: number): string {
  return `${source} -> ${destination}:${port}`;
}

/** Worst first, then in arrival order (stable sort), so the top N are the ones to fix first. */
export function rankFailures(failures: readonly Failure[]): Failure[] {
  return [...failures].sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict]);
}

export function failuresOf(result: Pick<RunResult, 'probes' | 'outbound'>): Failure[] {
  const out: Failure[] = [];
  for (const p of result.probes) {
    const f = failureOfProbe(p);
    if (f) out.push(f);
  }
  for (const o of result.outbound) {
    const f = failureOfOutbound(o);
    if (f) out.push(f);
  }
  return rankFailures(out);
}

/**
 * Failures of one rule on one destination with one outcome, whatever the
 * source and whichever sampled ports: a REJECT of 19000-19999 on h15 is one
 * thing to fix, however many hosts and ports saw it. The live panel shows
 * these so a screen of 200 hosts still names each broken rule.
 */
export interface FailureGroup {
  key: string;
  kind: Failure['kind'];
  destination: string;
  /** Ports seen failing, ascending. */
  ports: number[];
  outcome: ProbeOutcome;
  verdict: Failure['verdict'];
  /** Distinct sources in arrival order. */
  sources: string[];
  rules: string[];
  /** The first failure's hint (it names one source and port; the fix is the same rule). */
  hint?: string;
}

/** Group failures in the order given (rank them first). */
export function groupFailures(failures: readonly Failure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of failures) {
    const key = `${f.kind}|${f.destination}|${f.outcome}|${f.verdict}|${f.rules.join(',')}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { key, kind: f.kind, destination: f.destination, ports: [f.port], outcome: f.outcome, verdict: f.verdict, sources: [f.source], rules: f.rules, hint: f.hint });
      continue;
    }
    if (!g.ports.includes(f.port)) g.ports = [...g.ports, f.port].sort((x, y) => x - y);
    if (!g.sources.includes(f.source)) g.sources.push(f.source);
  }
  return [...groups.values()];
}
