import type { CheckRecord } from '../engine/check-record.js';
import { ROLES, type Role } from '../model/roles.js';
import { CONTROLLER } from '../plan/types.js';
import type { ProbeOutcome, Verdict } from '../tasks/probe-outcome.js';
import { addVerdict, emptyCounts, totalOf, worse, type VerdictCounts } from './tally.js';

/**
 * The role x role and host x host matrices. The role matrix takes probes in
 * batches (`addProbesToRoleMatrix`): the UI store applies each batch event as
 * it arrives and the reports fold RunResult.checks (probes only) as one batch,
 * so both compute the matrix the same way. The host matrix is built whole
 * (`addToHostMatrix`, per probe), for reports.
 */

/** A matrix row: a role, or `external` for probes from the controller (clients, admins). */
export type SourceRole = Role | 'external';
export const SOURCE_ROWS: readonly SourceRole[] = [...ROLES, 'external'];

export interface MatrixCell {
  counts: VerdictCounts;
  /** null while no probe landed in the cell. */
  worst: Verdict | null;
}

export type RoleMatrix = Record<SourceRole, Record<Role, MatrixCell>>;

export function emptyCell(): MatrixCell {
  return { counts: emptyCounts(), worst: null };
}

export function addToCell(cell: MatrixCell, v: Verdict): MatrixCell {
  return { counts: addVerdict(cell.counts, v), worst: worse(cell.worst, v) };
}

export function emptyRoleMatrix(): RoleMatrix {
  const m = {} as RoleMatrix;
  for (const src of SOURCE_ROWS) {
    const row = {} as Record<Role, MatrixCell>;
    for (const dst of ROLES) row[dst] = emptyCell();
    m[src] = row;
  }
  return m;
}

export type RolesOf = (host: string) => readonly Role[];

/** Source rows of a probe's `from`: the controller stands for external clients. */
export function sourceRolesOf(from: string, rolesOf: RolesOf): readonly SourceRole[] {
  return from === CONTROLLER ? ['external'] : rolesOf(from);
}

/**
 * Count one probe in every (source role, destination role) cell it belongs to:
 * a host holding several roles counts in each of them. Copy-on-write: only the
 * touched rows and cells are new objects.
 */
export function addToRoleMatrix(
  m: RoleMatrix,
  record: Pick<CheckRecord, 'from' | 'to' | 'verdict'>,
  rolesOf: RolesOf,
): RoleMatrix {
  return addProbesToRoleMatrix(m, [record], rolesOf);
}

/**
 * A batch of probes, copy-on-write with one copy of the matrix and of each
 * row and cell the batch touches, however many probes land there.
 */
export function addProbesToRoleMatrix(
  m: RoleMatrix,
  records: readonly Pick<CheckRecord, 'from' | 'to' | 'verdict'>[],
  rolesOf: RolesOf,
): RoleMatrix {
  let next: RoleMatrix | null = null;
  /** Rows and cells this call created: only these are counted into in place. */
  const fresh = new Set<object>();
  for (const record of records) {
    const srcs = sourceRolesOf(record.from, rolesOf);
    const dsts = rolesOf(record.to);
    if (srcs.length === 0 || dsts.length === 0) continue;
    next ??= { ...m };
    for (const src of srcs) {
      let row = next[src];
      if (!fresh.has(row)) {
        row = { ...row };
        next[src] = row;
        fresh.add(row);
      }
      for (const dst of dsts) {
        let cell = row[dst];
        if (!fresh.has(cell)) {
          cell = { counts: { ...cell.counts }, worst: cell.worst };
          row[dst] = cell;
          fresh.add(cell);
        }
        cell.counts[record.verdict] += 1;
        cell.worst = worse(cell.worst, record.verdict);
      }
    }
  }
  return next ?? m;
}

export function rolesLookup(hosts: readonly { name: string; roles: readonly Role[] }[]): RolesOf {
  const byName = new Map(hosts.map((h) => [h.name, h.roles]));
  return (host) => byName.get(host) ?? [];
}

export function buildRoleMatrix(
  hosts: readonly { name: string; roles: readonly Role[] }[],
  checks: readonly Pick<CheckRecord, 'kind' | 'from' | 'to' | 'verdict'>[],
): RoleMatrix {
  return addProbesToRoleMatrix(emptyRoleMatrix(), checks.filter((c) => c.kind === 'probe'), rolesLookup(hosts));
}

/** Rows that hold at least one probe, in display order (hides e.g. an unused `external`). */
export function usedRows(m: RoleMatrix): SourceRole[] {
  return SOURCE_ROWS.filter((src) => ROLES.some((dst) => m[src][dst].worst !== null));
}

/**
 * The text of a cell, the same in terminal, Markdown and HTML:
 * "12/12" when all ok, else the non-ok counts ("3 blocked", "1 exposed"),
 * worst first, and "·" for a pair with nothing to probe.
 */
export function formatCell(cell: MatrixCell): string {
  if (cell.worst === null) return '·';
  const c = cell.counts;
  if (cell.worst === 'ok') return `${c.ok}/${totalOf(c)}`;
  const parts: string[] = [];
  if (c.blocked) parts.push(`${c.blocked} blocked`);
  if (c.exposed) parts.push(`${c.exposed} exposed`);
  if (c.error) parts.push(`${c.error} error`);
  return parts.join(', ');
}

// ---- host x host: which ports and outcomes sit behind each cell (for tooltips).

export interface HostCellEntry {
  port: number;
  outcome: ProbeOutcome;
  verdict: Verdict;
  expect: 'open' | 'closed';
}

export interface HostCell extends MatrixCell {
  entries: HostCellEntry[];
}

export interface HostMatrix {
  /** Host names, with CONTROLLER first when it probed anything. */
  sources: string[];
  destinations: string[];
  cells: Map<string, HostCell>;
}

const cellKey = (from: string, to: string): string => `${from}\u0000${to}`;

export function hostCell(m: HostMatrix, from: string, to: string): HostCell | undefined {
  return m.cells.get(cellKey(from, to));
}

/** Mutates: the host matrix is only built whole, for reports. */
function addToHostMatrix(m: HostMatrix, record: Pick<CheckRecord, 'from' | 'to' | 'port' | 'expect' | 'verdict' | 'result'>): void {
  const key = cellKey(record.from, record.to);
  const before = m.cells.get(key) ?? { ...emptyCell(), entries: [] };
  const cell = addToCell(before, record.verdict);
  m.cells.set(key, {
    ...cell,
    entries: [
      ...before.entries,
      { port: record.port, outcome: record.result.outcome, verdict: record.verdict, expect: record.expect },
    ],
  });
}

export function buildHostMatrix(
  hosts: readonly { name: string }[],
  checks: readonly Pick<CheckRecord, 'kind' | 'from' | 'to' | 'port' | 'expect' | 'verdict' | 'result'>[],
): HostMatrix {
  const names = hosts.map((h) => h.name);
  const probes = checks.filter((c) => c.kind === 'probe');
  const fromController = probes.some((p) => p.from === CONTROLLER);
  const m: HostMatrix = {
    sources: fromController ? [CONTROLLER, ...names] : names,
    destinations: names,
    cells: new Map(),
  };
  for (const p of probes) addToHostMatrix(m, p);
  for (const cell of m.cells.values()) cell.entries.sort((a, b) => a.port - b.port);
  return m;
}
