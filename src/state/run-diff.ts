import type { CheckRecord } from '../engine/check-record.js';
import type { FirewallInputs, RunResult } from '../engine/result.js';
import type { Role } from '../model/roles.js';
import type { Catalog } from '../catalog/types.js';
import { formatRule } from '../firewall/format-plan.js';
import type { PlanOptions } from '../plan/types.js';
import { pathName } from '../report/failures.js';
import { firewallChanges, type HostFirewallChange } from './firewall-changes.js';

/**
 * What changed between two runs (or between the last run and the inventory
 * as it is now): hosts, roles, addresses, and paths that started failing or
 * got fixed. Pure: both sides are data.
 */
export interface HostSide {
  name: string;
  address: string;
  roles: readonly Role[];
  /** SSH port, client and admin CIDRs...: absent in runs saved before they were kept (defaults then). */
  firewallInputs?: FirewallInputs;
}

export interface RunSide {
  label: string;
  startedAt?: string;
  hosts: readonly HostSide[];
  /** Absent: the side is an inventory, not a run (no paths to compare). */
  checks?: readonly CheckRecord[];
  limit?: string;
}

export interface PathChange {
  id: string;
  path: string;
  kind: CheckRecord['kind'];
  before: string;
  after: string;
}

export interface RunDiff {
  from: { label: string; startedAt?: string };
  to: { label: string; startedAt?: string };
  hostsAdded: string[];
  hostsRemoved: string[];
  roles: { host: string; gained: Role[]; lost: Role[] }[];
  addresses: { host: string; before: string; after: string }[];
  /** Failing now, ok (or not run) before. */
  newlyFailing: PathChange[];
  /** Failing before, ok now. */
  fixed: PathChange[];
  /** Per host, the firewall rules to add and to remove (what `firewall apply` would change); empty when not asked for. */
  firewall: HostFirewallChange[];
  /** Why the two sides do not cover the same paths (different --limit), so an absent path is not read as a removed one. */
  notes: string[];
}

const outcome = (c: CheckRecord | undefined): string => (c ? `${c.verdict} (${c.result.outcome})` : 'not run');

/** What the firewall comparison needs: the catalog and the plan options (the rules in force after enable/skip). */
export interface FirewallDiffInput {
  catalog: Catalog;
  options: PlanOptions;
}

export function diffRuns(a: RunSide, b: RunSide, fw?: FirewallDiffInput): RunDiff {
  const before = new Map(a.hosts.map((h) => [h.name, h]));
  const after = new Map(b.hosts.map((h) => [h.name, h]));
  const diff: RunDiff = {
    from: { label: a.label, startedAt: a.startedAt },
    to: { label: b.label, startedAt: b.startedAt },
    hostsAdded: b.hosts.filter((h) => !before.has(h.name)).map((h) => h.name),
    hostsRemoved: a.hosts.filter((h) => !after.has(h.name)).map((h) => h.name),
    roles: [],
    addresses: [],
    newlyFailing: [],
    fixed: [],
    firewall: [],
    notes: [],
  };
  for (const h of b.hosts) {
    const was = before.get(h.name);
    if (!was) continue;
    const gained = h.roles.filter((r) => !was.roles.includes(r));
    const lost = was.roles.filter((r) => !h.roles.includes(r));
    if (gained.length || lost.length) diff.roles.push({ host: h.name, gained, lost });
    if (was.address !== h.address) diff.addresses.push({ host: h.name, before: was.address, after: h.address });
  }
  if ((a.limit ?? '') !== (b.limit ?? '')) {
    diff.notes.push(`--limit differs (${a.limit ?? 'none'} -> ${b.limit ?? 'none'}): hosts outside either limit are not compared`);
  }
  if (a.checks && b.checks) {
    const old = new Map(a.checks.map((c) => [c.id, c]));
    const now = new Map(b.checks.map((c) => [c.id, c]));
    const change = (id: string, c: CheckRecord): PathChange => ({
      id,
      path: pathName(c.from, c.to, c.port),
      kind: c.kind,
      before: outcome(old.get(id)),
      after: outcome(now.get(id)),
    });
    for (const [id, c] of now) if (c.verdict !== 'ok' && old.get(id)?.verdict !== c.verdict) diff.newlyFailing.push(change(id, c));
    for (const [id, c] of old) if (c.verdict !== 'ok' && now.get(id)?.verdict === 'ok') diff.fixed.push(change(id, c));
  }
  if (fw) {
    const f = firewallChanges(a.hosts, b.hosts, fw.catalog, fw.options);
    diff.firewall = f.hosts;
    diff.notes.push(...f.notes);
  }
  return diff;
}

export function sideOfRun(label: string, r: RunResult): RunSide {
  return { label, startedAt: r.startedAt, hosts: r.hosts, checks: r.checks, limit: r.context?.limit };
}

export function isEmptyDiff(d: RunDiff): boolean {
  return !d.hostsAdded.length && !d.hostsRemoved.length && !d.roles.length && !d.addresses.length && !d.newlyFailing.length && !d.fixed.length && !d.firewall.length;
}

/** Plain lines, for the terminal. */
export function formatDiff(d: RunDiff): string {
  const out = [`diff ${d.from.label}${d.from.startedAt ? ` (${d.from.startedAt})` : ''} -> ${d.to.label}${d.to.startedAt ? ` (${d.to.startedAt})` : ''}`];
  for (const n of d.notes) out.push(`note: ${n}`);
  if (isEmptyDiff(d)) return [...out, 'no change: same hosts, roles, addresses, verdicts and firewall rules'].join('\n') + '\n';
  for (const h of d.hostsAdded) out.push(`+ host ${h}`);
  for (const h of d.hostsRemoved) out.push(`- host ${h}`);
  for (const r of d.roles) {
    out.push(`~ ${r.host}: roles${r.gained.length ? ` +${r.gained.join(' +')}` : ''}${r.lost.length ? ` -${r.lost.join(' -')}` : ''}`);
  }
  for (const a of d.addresses) out.push(`~ ${a.host}: address ${a.before} -> ${a.after}`);
  for (const p of d.newlyFailing) out.push(`! newly failing: ${p.path}: ${p.before} -> ${p.after}`);
  for (const p of d.fixed) out.push(`  fixed: ${p.path}: ${p.before} -> ${p.after}`);
  for (const f of d.firewall) {
    out.push(`~ ${f.host}: firewall ${f.add.length} to add, ${f.remove.length} to remove${f.keptOpen.length ? `, ${f.keptOpen.length} ZooKeeper rules kept open (lost the director role; ZooKeeper runs until ECE is reinstalled)` : ''}`);
    for (const r of f.add) out.push(`    + ${formatRule(r)}`);
    for (const r of f.remove) out.push(`    - ${formatRule(r)}`);
    for (const r of f.keptOpen) out.push(`    = ${formatRule(r)}`);
  }
  return out.join('\n') + '\n';
}

/**
 * The hosts a re-run must probe again (either end of a path): added, or with
 * other roles or another address than in the baseline run.
 */
export function changedHosts(baseline: readonly HostSide[], now: readonly HostSide[]): Set<string> {
  const d = diffRuns({ label: 'a', hosts: baseline }, { label: 'b', hosts: now });
  return new Set([...d.hostsAdded, ...d.roles.map((r) => r.host), ...d.addresses.map((a) => a.host)]);
}

/** The part of a diff about one host: its addition, roles, address and firewall rules (no paths, no notes). */
export function diffOfHost(d: RunDiff, host: string): RunDiff {
  return {
    ...d,
    hostsAdded: d.hostsAdded.filter((h) => h === host),
    hostsRemoved: d.hostsRemoved.filter((h) => h === host),
    roles: d.roles.filter((r) => r.host === host),
    addresses: d.addresses.filter((a) => a.host === host),
    newlyFailing: [],
    fixed: [],
    firewall: d.firewall.filter((f) => f.host === host),
    notes: [],
  };
}

/**
 * Per host, one phrase per change (roles, address, new host, firewall
 * rules): what the `run_diff` task prints on the host's line. Hosts without
 * a change are absent.
 */
export function changesByHost(d: RunDiff): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (host: string, text: string) => out.set(host, [...(out.get(host) ?? []), text]);
  for (const h of d.hostsAdded) add(h, 'new since the last run');
  for (const r of d.roles) add(r.host, `roles${r.gained.length ? ` +${r.gained.join(' +')}` : ''}${r.lost.length ? ` -${r.lost.join(' -')}` : ''}`);
  for (const a of d.addresses) add(a.host, `address ${a.before} -> ${a.after}`);
  for (const f of d.firewall) {
    if (d.hostsRemoved.includes(f.host)) continue;
    add(f.host, `firewall: ${f.add.length} ${f.add.length === 1 ? 'rule' : 'rules'} to add, ${f.remove.length} to remove${f.keptOpen.length ? `, ${f.keptOpen.length} ZooKeeper rules kept open` : ''}`);
  }
  return out;
}

/** One row of the reports' "Changes since the last run" table. */
export interface DiffRow {
  change: 'host added' | 'host removed' | 'roles' | 'address' | 'newly failing' | 'fixed';
  subject: string;
  before: string;
  after: string;
}

/** The report section's rows: hosts, roles, addresses, then paths newly failing and fixed. */
export function diffRows(d: RunDiff): DiffRow[] {
  return [
    ...d.hostsAdded.map((h): DiffRow => ({ change: 'host added', subject: h, before: '', after: 'in the fleet' })),
    ...d.hostsRemoved.map((h): DiffRow => ({ change: 'host removed', subject: h, before: 'in the fleet', after: '' })),
    ...d.roles.map((r): DiffRow => ({ change: 'roles', subject: r.host, before: r.lost.length ? `-${r.lost.join(' -')}` : '', after: r.gained.length ? `+${r.gained.join(' +')}` : '' })),
    ...d.addresses.map((a): DiffRow => ({ change: 'address', subject: a.host, before: a.before, after: a.after })),
    ...d.newlyFailing.map((p): DiffRow => ({ change: 'newly failing', subject: p.path, before: p.before, after: p.after })),
    ...d.fixed.map((p): DiffRow => ({ change: 'fixed', subject: p.path, before: p.before, after: p.after })),
  ];
}

/** What changed since `previous` (the run before this one in the history), for the reports. */
export function changesSince(previous: RunResult, result: RunResult): RunDiff {
  return diffRuns(sideOfRun('last run', previous), sideOfRun('this run', result));
}
