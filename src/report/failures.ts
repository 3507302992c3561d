import { outboundOf, probesOf, type CheckKind, type CheckRecord } from '../engine/check-record.js';
import type { RunResult } from '../engine/result.js';
import type { ProbeOutcome, Verdict } from '../tasks/probe-outcome.js';
import { VERDICT_RANK } from './tally.js';

/**
 * One failing path, named the way operators grep for it (`source -> host:port`,
 * rke#1346): every failing path is listed, not just the first. Shared by the
 * live UI, the plain lines and the reports.
 */
export interface Failure {
  id: string;
  kind: CheckKind;
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

/** A check that did not go as expected, as operators read it; null when it did. */
export function failureOf(r: CheckRecord): Failure | null {
  if (r.verdict === 'ok') return null;
  return {
    id: r.id,
    kind: r.kind,
    source: r.from,
    destination: r.to,
    port: r.port,
    outcome: r.result.outcome,
    verdict: r.verdict,
    ms: r.result.ms,
    retried: r.result.retried,
    hint: r.hint,
    detail: r.result.detail,
    rules: r.rules,
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

/** Every failure of a run, worst first; probes before outbound checks within a verdict. */
export function failuresOf(result: Pick<RunResult, 'checks'>): Failure[] {
  const out: Failure[] = [];
  for (const c of [...probesOf(result.checks), ...outboundOf(result.checks)]) {
    const f = failureOf(c);
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
