import type { HostCheckCounts } from './host-check.js';
import type { HostState, Phase } from './phases.js';

/**
 * The honest headline of a run. A preflight tool that calls 3% of the matrix
 * "every required path is open" is dangerous, because an operator reads the
 * headline and nothing else. So the headline is computed once, here, from
 * what was planned against what was checked, and every renderer (live header,
 * final screen, plain recap, JSON, JUnit, Markdown, HTML) prints this, first.
 *
 * `incomplete` wins over `failed` and `passed`: a run that did not check part
 * of the plan cannot claim anything about that part.
 */
export type RunStatus = 'passed' | 'failed' | 'incomplete';

/** A host whose part of the plan was not (fully) checked, with why, one line. */
export interface HostGap {
  name: string;
  state: HostState;
  /** Phase it failed in, when it failed after connecting. */
  phase?: Phase;
  reason: string;
}

export interface PlannedChecks {
  probes: number;
  outbound: number;
}

export interface RunSummary {
  status: RunStatus;
  /** Every planned probe and outbound check ran, and the run was not interrupted. */
  complete: boolean;
  interrupted: boolean;
  planned: PlannedChecks;
  checked: PlannedChecks;
  /** Hosts that failed, were unreachable or were never reached: inventory order. */
  hostsNotChecked: HostGap[];
  hosts: number;
  /** blocked + error: required paths not open, or checks that could not tell. */
  failures: number;
  /** Of `failures`, checks whose destination name the source could not resolve (absent when none). */
  unresolved?: number;
  /** Local-only ports (2375) that answered from another host. */
  exposures: number;
  /** `--fail-on-exposed`: exposures fail the run (and count in `failures`' exit code). */
  exposuresFail: boolean;
  /** Plan and fact warnings (first host, firewalld active, ...). */
  warnings: number;
  /** `--changed`: checks taken over from the last run, not probed again (counted as checked). */
  carried?: number;
  /**
   * Requirements and installer preconditions (IPv6 on proxies, Docker, ...):
   * a failed one fails the run; one not checked is named, never a pass.
   */
  hostChecks?: HostCheckCounts;
  /** One line per host check that did not pass (`h4 proxy-ipv6: fail: ...`), what the headline lists. */
  hostCheckLines?: string[];
}

export interface SummaryInput {
  hosts: readonly { name: string; state: HostState; error?: string; phase?: Phase }[];
  planned: PlannedChecks;
  checked: PlannedChecks;
  totals: { blocked: number; exposed: number; error: number; unresolved?: number };
  interrupted: boolean;
  exposuresFail: boolean;
  warnings: number;
  carried?: number;
  hostChecks?: HostCheckCounts;
  hostCheckLines?: string[];
}

const NOT_CHECKED: ReadonlySet<HostState> = new Set(['unreachable', 'failed']);

/** Why a host's part of the plan went unchecked, in one line. */
export function gapOf(h: SummaryInput['hosts'][number], interrupted: boolean): HostGap | null {
  if (NOT_CHECKED.has(h.state)) {
    const where = h.state === 'failed' && h.phase ? ` (${h.phase})` : '';
    return { name: h.name, state: h.state, phase: h.phase, reason: `${h.state}${where}: ${h.error ?? 'no detail'}` };
  }
  if (h.state === 'done') return null;
  // Any other final state means the run stopped before the host finished.
  return {
    name: h.name,
    state: h.state,
    reason:
      h.state === 'pending'
        ? `not reached${interrupted ? ' (interrupted)' : h.error ? `: ${h.error}` : ''}`
        : `stopped during ${h.state}${interrupted ? ' (interrupted)' : ''}`,
  };
}

export function summarizeRun(input: SummaryInput): RunSummary {
  const hostsNotChecked = input.hosts
    .map((h) => gapOf(h, input.interrupted))
    .filter((g): g is HostGap => g !== null);
  const complete =
    !input.interrupted &&
    hostsNotChecked.length === 0 &&
    input.checked.probes >= input.planned.probes &&
    input.checked.outbound >= input.planned.outbound;
  const failures = input.totals.blocked + input.totals.error;
  const failing = failures > 0 || (input.exposuresFail && input.totals.exposed > 0) || (input.hostChecks?.failed ?? 0) > 0;
  return {
    status: !complete ? 'incomplete' : failing ? 'failed' : 'passed',
    complete,
    interrupted: input.interrupted,
    planned: input.planned,
    checked: input.checked,
    hostsNotChecked,
    hosts: input.hosts.length,
    failures,
    ...(input.totals.unresolved ? { unresolved: input.totals.unresolved } : {}),
    exposures: input.totals.exposed,
    exposuresFail: input.exposuresFail,
    warnings: input.warnings,
    ...(input.carried ? { carried: input.carried } : {}),
    ...(input.hostChecks ? { hostChecks: input.hostChecks, hostCheckLines: input.hostCheckLines ?? [] } : {}),
  };
}

export type HeadlineTone = 'ok' | 'bad' | 'warn';

export interface Headline {
  tone: HeadlineTone;
  /** One line, status first: what an operator reads. */
  text: string;
  /** One line per host not checked: `h3: failed (facts): no facts within 30000 ms`. */
  hostLines: string[];
  /** One line per host check that did not pass (failed, warned, not checked): `h1 director-rtt: fail: ...`. */
  checkLines: string[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  // Never round a gap down to 0% or a remainder up to 100%.
  return `${p > 0 && p < 1 ? '<1' : p > 99 && p < 100 ? '>99' : Math.round(p)}%`;
}

/** What was found among the paths that were probed; empty when nothing. */
function findings(s: RunSummary): string[] {
  const out: string[] = [];
  if (s.failures > 0) out.push(`${plural(s.failures, 'path')} failing${s.unresolved ? ` (${s.unresolved} with a name the source could not resolve)` : ''}`);
  const hc = s.hostChecks;
  if (hc && hc.failed > 0) out.push(`${plural(hc.failed, 'host check')} failing`);
  if (hc && hc.notChecked > 0) out.push(`${plural(hc.notChecked, 'host check')} not checked`);
  if (hc && hc.warned > 0) out.push(`${plural(hc.warned, 'host check')} to look at`);
  if (s.exposures > 0) out.push(`${plural(s.exposures, 'exposure')}${s.exposuresFail ? '' : ' (warning)'}`);
  if (s.warnings > 0) out.push(plural(s.warnings, 'warning'));
  if (s.carried) out.push(`${s.carried} carried over from the last run (nothing changed on either end)`);
  return out;
}

/**
 * The first line of every output. Only a complete run without failures may
 * say that every required path is open.
 */
export function headlineOf(s: RunSummary): Headline {
  const hostLines = s.hostsNotChecked.map((g) => `${g.name}: ${g.reason}`);
  const checkLines = s.hostCheckLines ?? [];
  const planned = s.planned.probes + s.planned.outbound;
  const checked = Math.min(planned, s.checked.probes + s.checked.outbound);
  const found = findings(s);
  if (s.status === 'incomplete') {
    const parts = [
      s.interrupted ? 'interrupted' : '',
      s.hostsNotChecked.length > 0 ? `${s.hostsNotChecked.length} of ${plural(s.hosts, 'host')} not checked` : '',
      // A play of tasks only (no probes) has no checks to count.
      planned > 0 ? `${planned - checked} of ${plural(planned, 'planned check')} not run (${percent(planned - checked, planned)})` : '',
    ].filter(Boolean);
    if (planned === 0) return { tone: 'bad', text: `INCOMPLETE: ${parts.join('; ')}`, hostLines, checkLines };
    const among = found.length ? `; among those run: ${found.join(', ')}` : `; no failure among the ${checked} run`;
    return { tone: 'bad', text: `INCOMPLETE: ${parts.join('; ')}${among}`, hostLines, checkLines };
  }
  if (s.status === 'failed') {
    return { tone: 'bad', text: `FAILED: ${found.join(', ')} (of ${plural(planned, 'check')})`, hostLines, checkLines };
  }
  const tail = found.length ? `; ${found.join(', ')}` : '';
  // A play of tasks only: every host ran every task (a failed host made the run incomplete above).
  if (planned === 0) return { tone: s.warnings > 0 ? 'warn' : 'ok', text: `PASSED: every task ran on every host (${plural(s.hosts, 'host')}), no network path was checked${tail}`, hostLines, checkLines };
  const text =
    s.exposures > 0
      ? `PASSED: every required path is open (${plural(planned, 'check')}), but a local-only port answered from another host${tail}`
      : `PASSED: every required path is open and nothing that must be closed answered (${plural(planned, 'check')})${tail}`;
  const hcAttention = (s.hostChecks?.notChecked ?? 0) + (s.hostChecks?.warned ?? 0) > 0;
  return { tone: s.exposures > 0 || s.warnings > 0 || hcAttention ? 'warn' : 'ok', text, hostLines, checkLines };
}
