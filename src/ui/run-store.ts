import type { EngineEvent, HostState, Phase } from '../engine/events.js';
import type { CheckRecord } from '../engine/check-record.js';
import type { HostRecap, RunResult } from '../engine/result.js';
import { ROLES, type Role } from '../model/roles.js';
import { gapOf, headlineOf, summarizeRun, type Headline, type HostGap, type RunSummary } from '../engine/run-summary.js';
import type { PlanWarning } from '../plan/types.js';
import type { HostFacts } from '../tasks/facts-types.js';
import { failureOf, failuresOf, type Failure } from '../report/failures.js';
import { addProbesToRoleMatrix, emptyRoleMatrix, type RoleMatrix } from '../report/matrix.js';
import {
  addChecksToRecap,
  addVerdicts,
  emptyCounts,
  emptyRecap,
  tallyOf,
  type Tally,
  type VerdictCounts,
} from '../report/tally.js';

/**
 * The one store every live renderer reads. `reduceRun` is pure (no I/O, no
 * clock): the same events always give the same state, so tests feed synthetic
 * events and renderers only format what is here. Updates are copy-on-write on
 * the touched parts; checks come in batches (`checks` events) and a batch costs
 * one copy of what it touches, so tens of thousands of probes stay cheap.
 */

export interface Counter {
  done: number;
  failed: number;
}

export interface HostView {
  name: string;
  address: string;
  roles: Role[];
  state: HostState;
  /** Event time the host entered `state`. */
  since: number | null;
  connected: boolean;
  /** Time from entering `connect` to leaving it. */
  connectMs?: number;
  error?: string;
  errorKind?: string;
  failedPhase?: Phase;
  listeners: { up: number; inUse: number; failed: number };
  asDestination: Counter;
  asSource: Counter;
  /** Outbound checks (registry, snapshots) run from this host. */
  outbound: Counter;
  facts?: HostFacts;
  cleanup?: { ok: boolean; detail?: string };
}

export interface RunState {
  inventory: string;
  startedAt: number | null;
  endedAt: number | null;
  phase: Phase | null;
  /** The play and task running (Ansible's banners). */
  play: string | null;
  task: string | null;
  /** Hosts the running task runs on, and how many have reported a result for it (plain progress lines). */
  taskHosts: { total: number; done: number };
  hostOrder: string[];
  hosts: Record<string, HostView>;
  planned: { probes: number; listeners: number; outbound: number };
  /** --fail-on-exposed: an exposure counts as failing. */
  exposuresFail: boolean;
  probesDone: number;
  outboundDone: number;
  /** Verdicts of probes and outbound checks so far. */
  verdicts: VerdictCounts;
  /** Of those, checks whose destination name the source could not resolve (the headline says so). */
  unresolved: number;
  roleMatrix: RoleMatrix;
  /** In arrival order; `rankFailures` orders them for display. */
  failures: Failure[];
  recap: Record<string, HostRecap>;
  warnings: PlanWarning[];
  /** Set by run-end: the authoritative record the reports are written from. */
  result: RunResult | null;
}

export const initialRunState: RunState = {
  inventory: '',
  startedAt: null,
  endedAt: null,
  phase: null,
  play: null,
  task: null,
  taskHosts: { total: 0, done: 0 },
  hostOrder: [],
  hosts: {},
  planned: { probes: 0, listeners: 0, outbound: 0 },
  exposuresFail: false,
  probesDone: 0,
  outboundDone: 0,
  verdicts: emptyCounts(),
  unresolved: 0,
  roleMatrix: emptyRoleMatrix(),
  failures: [],
  recap: {},
  warnings: [],
  result: null,
};

const FINAL: ReadonlySet<HostState> = new Set(['done', 'unreachable', 'failed']);

export function isFinal(state: HostState): boolean {
  return FINAL.has(state);
}

function newHost(h: { name: string; address: string; roles: Role[] }): HostView {
  return {
    name: h.name,
    address: h.address,
    roles: h.roles,
    state: 'pending',
    since: null,
    connected: false,
    listeners: { up: 0, inUse: 0, failed: 0 },
    asDestination: { done: 0, failed: 0 },
    asSource: { done: 0, failed: 0 },
    outbound: { done: 0, failed: 0 },
  };
}

function updateHost(s: RunState, name: string, f: (h: HostView) => HostView): RunState {
  const h = s.hosts[name];
  if (!h) return s;
  return { ...s, hosts: { ...s.hosts, [name]: f(h) } };
}

function setRecapFlag(s: RunState, host: string, flag: 'unreachable' | 'failed'): RunState {
  const before = s.recap[host] ?? emptyRecap();
  return { ...s, recap: { ...s.recap, [host]: { ...before, [flag]: true } } };
}

/**
 * A batch of checks into the store: counts, matrix (probes), recap, failures,
 * and the host rows' in/out/outbound counters. Copy-on-write with one copy of
 * each structure and of each host row the batch touches, whatever its size
 * (a copy of the hosts map and the recap per check, O(hosts) each, cost
 * ~0.6 s of CPU per 50-host sweep, run-end's replay included). Only objects created in this
 * call are counted into in place, so earlier states stay untouched.
 * `keepFailures` false: settle() takes the failures from the result instead.
 */
function applyChecks(s: RunState, checks: readonly CheckRecord[], keepFailures = true): RunState {
  if (checks.length === 0) return s;
  const hosts: Record<string, HostView> = { ...s.hosts };
  const fresh = new Set<string>();
  /** The host's row, copied with its counters the first time the batch touches it. */
  const rowOf = (name: string): HostView | undefined => {
    const h = hosts[name];
    if (!h || fresh.has(name)) return h;
    const copy = { ...h, asDestination: { ...h.asDestination }, asSource: { ...h.asSource }, outbound: { ...h.outbound } };
    hosts[name] = copy;
    fresh.add(name);
    return copy;
  };
  const count = (c: Counter, failed: boolean): void => {
    c.done += 1;
    if (failed) c.failed += 1;
  };
  const failures: Failure[] = [];
  const probes: CheckRecord[] = [];
  let outboundDone = s.outboundDone;
  for (const r of checks) {
    const failure = failureOf(r);
    if (failure && keepFailures) failures.push(failure);
    if (r.kind === 'outbound') {
      outboundDone += 1;
      const from = rowOf(r.from);
      if (from) count(from.outbound, failure !== null);
      continue;
    }
    probes.push(r);
    const to = rowOf(r.to);
    if (to) count(to.asDestination, failure !== null);
    const from = rowOf(r.from);
    if (from) count(from.asSource, failure !== null);
  }
  const rolesOf = (h: string): readonly Role[] => s.hosts[h]?.roles ?? [];
  return {
    ...s,
    hosts: fresh.size > 0 ? hosts : s.hosts,
    verdicts: addVerdicts(s.verdicts, checks),
    unresolved: s.unresolved + checks.reduce((n, c) => n + (c.result.outcome === 'unresolved' ? 1 : 0), 0),
    recap: addChecksToRecap(s.recap, checks),
    failures: failures.length > 0 ? [...s.failures, ...failures] : s.failures,
    probesDone: s.probesDone + probes.length,
    outboundDone,
    roleMatrix: addProbesToRoleMatrix(s.roleMatrix, probes, rolesOf),
  };
}

function enterState(h: HostView, state: HostState, at: number): HostView {
  const leavingConnect = h.state === 'connect' && state !== 'unreachable' && state !== 'failed';
  return {
    ...h,
    state,
    since: at,
    connected: h.connected || leavingConnect,
    connectMs: leavingConnect && h.since !== null ? at - h.since : h.connectMs,
  };
}

/**
 * Rebuild the probe-derived parts from the final record with the same steps
 * the events took: the last frame then matches the reports even when the
 * engine was interrupted and some events never came.
 */
function settle(s: RunState, result: RunResult): RunState {
  let next = withoutChecks(s);
  for (const h of result.hosts) {
    next = updateHost(next, h.name, (v) => ({ ...v, state: h.state, error: h.error ?? v.error, errorKind: h.errorKind ?? v.errorKind, failedPhase: h.phase ?? v.failedPhase }));
  }
  next = applyChecks(next, result.checks, false);
  // failuresOf ranks them as the reports do; appending one copy per probe
  // made this replay quadratic (1.5 s at 17,500 failures).
  return { ...next, failures: failuresOf(result), recap: result.recap, result };
}

/** The store with every check-derived count at zero (host states and task flags in the recap kept). */
function withoutChecks(s: RunState): RunState {
  const zero: Counter = { done: 0, failed: 0 };
  return {
    ...s,
    probesDone: 0,
    outboundDone: 0,
    verdicts: emptyCounts(),
    unresolved: 0,
    roleMatrix: emptyRoleMatrix(),
    failures: [],
    recap: Object.fromEntries(Object.entries(s.recap).map(([k, r]) => [k, { ...emptyRecap(), unreachable: r.unreachable, failed: r.failed }])),
    hosts: Object.fromEntries(
      Object.entries(s.hosts).map(([k, h]) => [k, { ...h, asDestination: zero, asSource: zero, outbound: zero }]),
    ),
  };
}

export function reduceRun(s: RunState, e: EngineEvent): RunState {
  switch (e.kind) {
    case 'run-start': {
      const hosts: Record<string, HostView> = {};
      for (const h of e.hosts) hosts[h.name] = newHost(h);
      return {
        ...initialRunState,
        inventory: e.inventory,
        startedAt: e.at,
        hostOrder: e.hosts.map((h) => h.name),
        hosts,
        planned: e.counts,
        exposuresFail: e.exposuresFail,
        recap: Object.fromEntries(e.hosts.map((h) => [h.name, emptyRecap()])),
      };
    }
    case 'play-start':
      return { ...s, play: e.name };
    case 'task-start':
      return { ...s, phase: e.phase, task: e.name, taskHosts: { total: e.hosts.length, done: 0 } };
    case 'task-result':
      return e.task === s.task ? { ...s, taskHosts: { ...s.taskHosts, done: s.taskHosts.done + 1 } } : s;
    case 'host-state': {
      let next = updateHost(s, e.host, (h) => enterState(h, e.state, e.at));
      if (e.state === 'unreachable' || e.state === 'failed') next = setRecapFlag(next, e.host, e.state);
      return next;
    }
    case 'host-unreachable':
      return setRecapFlag(
        updateHost(s, e.host, (h) => ({ ...h, state: 'unreachable', error: e.error, errorKind: e.errorKind })),
        e.host,
        'unreachable',
      );
    case 'host-failed':
      return setRecapFlag(
        updateHost(s, e.host, (h) => ({ ...h, state: 'failed', error: e.error, failedPhase: e.phase })),
        e.host,
        'failed',
      );
    case 'facts':
      return updateHost(s, e.host, (h) => ({ ...h, facts: e.facts, connected: true }));
    case 'listeners':
      return updateHost(s, e.host, (h) => ({
        ...h,
        connected: true,
        listeners: { up: e.bound.length, inUse: e.inUse.length, failed: e.failed.length },
      }));
    case 'check':
      return applyChecks(s, [e.check]);
    case 'checks':
      return applyChecks(s, e.checks);
    case 'checks-replaced':
      // An earlier round's results were replaced: recount from the records as they now are.
      return { ...applyChecks(withoutChecks(s), e.checks), planned: { ...s.planned, probes: e.planned.probes, outbound: e.planned.outbound } };
    case 'cleanup':
      return updateHost(s, e.host, (h) => ({ ...h, cleanup: { ok: e.ok, detail: e.detail } }));
    case 'warning':
      return { ...s, warnings: [...s.warnings, { host: e.host, code: e.code, message: e.message }] };
    case 'run-end':
      return { ...settle(s, e.result), endedAt: e.at };
  }
}

// ---- derived views (cheap, computed at render time)

export function elapsedMs(s: RunState, now: number): number {
  if (s.startedAt === null) return 0;
  return (s.endedAt ?? now) - s.startedAt;
}

/** After run-end the engine's totals (with skipped) are authoritative. */
export function tallyOfRun(s: RunState): Tally {
  return tallyOf(s.result ? s.result.totals : s.verdicts);
}

/**
 * The summary so far: before run-end it is computed from the events with the
 * same function the engine uses, after run-end it is the engine's own.
 */
export function summaryOfRun(s: RunState): RunSummary {
  if (s.result?.summary) return s.result.summary;
  return summarizeRun({
    hosts: s.hostOrder.map((n) => {
      const h = s.hosts[n]!;
      return { name: n, state: h.state, error: h.error, phase: h.failedPhase };
    }),
    planned: { probes: s.planned.probes, outbound: s.planned.outbound },
    checked: { probes: s.probesDone, outbound: s.outboundDone },
    totals: { ...s.verdicts, ...(s.unresolved ? { unresolved: s.unresolved } : {}) },
    interrupted: false,
    exposuresFail: s.exposuresFail,
    warnings: s.warnings.length,
  });
}

/** Hosts that failed or were unreachable so far, with why (live: only final failures). */
export function hostGapsOfRun(s: RunState): HostGap[] {
  if (s.result?.summary) return s.result.summary.hostsNotChecked;
  return s.hostOrder
    .map((n) => s.hosts[n]!)
    .filter((h) => h.state === 'failed' || h.state === 'unreachable')
    .map((h) => gapOf({ name: h.name, state: h.state, error: h.error, phase: h.failedPhase }, false)!);
}

/** The final headline; null while the run goes on (a partial run has no verdict yet). */
export function headlineOfRun(s: RunState): Headline | null {
  return s.result ? headlineOf(summaryOfRun(s)) : null;
}

export function roleCounts(s: RunState): Record<Role, number> {
  const out = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const name of s.hostOrder) for (const r of s.hosts[name]!.roles) out[r] += 1;
  return out;
}

export function hostsInOrder(s: RunState): HostView[] {
  return s.hostOrder.map((n) => s.hosts[n]!);
}

export interface RunStore {
  dispatch(e: EngineEvent): void;
  getState(): RunState;
  /** Called after each dispatch; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export function createRunStore(initial: RunState = initialRunState): RunStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    dispatch(e) {
      state = reduceRun(state, e);
      for (const l of listeners) l();
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
