import { sampleSpec } from '../catalog/ports.js';
import { inVersionRange } from '../catalog/versions.js';
import type { Catalog, InboundRule } from '../catalog/types.js';
import { UsageError } from '../errors.js';
import type { Fleet } from '../model/fleet.js';
import { ROLES, sortRoles, type Role } from '../model/roles.js';
import { effectiveRules } from './effective-rules.js';
import { ALL_FACTS } from './facts.js';
import { hostWarnings } from './host-warnings.js';
import { ipv6Twins } from './ipv6-probes.js';
import { outboundChecks } from './outbound-checks.js';
import { plannedRequirements } from './requirements.js';
import { CONTROLLER_INDEX, otherHosts, pickSources, sourceGroups, sortedUnique, type SourceGroups } from './source-selection.js';
import { CONTROLLER, type Plan, type PlannedHost, type PlannedListener, type PlanOptions, type Probe } from './types.js';

/** sshd answers on 22 itself: never open a listener there. */
const SSH_PORT = 22;

/** A rule prepared once per plan: sampled ports and who its sources are. */
interface CompiledRule {
  rule: InboundRule;
  ports: number[];
  destAll: boolean;
  destMask: number;
  controller: boolean;
  allHosts: boolean;
  sourceRoles: Role[];
  local: boolean;
  /** false: probed without a listener of ours (container-only ports: something else answering is the finding). */
  listen: boolean;
  /** All-pairs sources (no pair sampling); undefined for local rules, which depend on the destination. */
  allSources?: Int32Array;
}

/** What every destination with the same roles and version shares: ports, the rules behind each, listeners. */
interface DestTemplate {
  ports: number[];
  comboOfPort: number[];
  combos: { key: string; rules: number[]; local: boolean }[];
  listeners: PlannedListener[];
}

/** Sources of one (destination, port) with the rule ids each source serves. */
interface MergedSources {
  sources: Int32Array;
  rules: string[][];
}

const roleBit = (r: Role): number => 1 << ROLES.indexOf(r);
const maskOf = (roles: Role[]): number => roles.reduce((m, r) => m | roleBit(r), 0);

/**
 * Inventory + catalog -> listeners, probes, outbound checks. Pure and
 * deterministic: no I/O, no clock, no randomness; the same input gives a
 * deep-equal plan, so runs can be diffed.
 *
 * Probes are ordered by destination (fleet order), port, then source
 * (the controller first, then fleet order); one probe per (from, to, port)
 * carries every rule id that needs that path.
 */
export function planSweep(fleet: Fleet, catalog: Catalog, options: PlanOptions): Plan {
  checkOptions(options);
  const hosts = fleet.hosts;
  const n = hosts.length;
  const firstIndex = firstHostIndex(fleet, options);
  const planned: Role[][] = hosts.map((h, i) => (i === firstIndex ? [...ROLES] : sortRoles(h.roles)));
  const masks = planned.map(maskOf);
  const groups = sourceGroups(planned);
  const k = options.pairsPerRole;
  const { inbound, outbound, containerOnly, warnings: ruleWarnings } = effectiveRules(catalog, options);

  const compiled = inbound.map((rule) => compileRule(rule, options, groups));
  if (containerOnly) compiled.push({ ...compileRule(containerOnly, options, groups), listen: false });
  const ruleIds = compiled.map((c) => c.rule.id);
  const internRules = interner(ruleIds);

  const templates = new Map<string, DestTemplate>();
  const sharedMerged = new Map<string, MergedSources>();
  const mark = new Uint32Array(n + 1);
  const plannedHosts: PlannedHost[] = [];
  const probes: Probe[] = [];
  const names = hosts.map((h) => h.name);

  for (let d = 0; d < n; d++) {
    const host = hosts[d]!;
    const tkey = `${masks[d]}|${host.eceVersion ?? ''}`;
    let template = templates.get(tkey);
    if (!template) {
      template = buildTemplate(compiled, masks[d]!, host.eceVersion, internRules);
      templates.set(tkey, template);
    }
    plannedHosts.push({ host, roles: planned[d]!, firstHost: d === firstIndex, listeners: template.listeners });

    // Per destination: each rule's sources (pair sampling rotates with d) and each combo's merge.
    const ruleSources = new Map<number, Int32Array>();
    const sourcesOf = (r: number): Int32Array => {
      const c = compiled[r]!;
      if (c.allSources && k === undefined) return c.allSources;
      let s = ruleSources.get(r);
      if (!s) {
        s = destSources(c, d, n, k, options.ports, groups);
        ruleSources.set(r, s);
      }
      return s;
    };
    const merged = template.combos.map((combo) => {
      // Without pair sampling a non-local combo's sources do not depend on d: share them.
      const shareable = k === undefined && !combo.local;
      const cached = shareable ? sharedMerged.get(combo.key) : undefined;
      if (cached) return cached;
      const m = mergeSources(combo.rules, combo.rules.map(sourcesOf), mark, internRules);
      if (shareable) sharedMerged.set(combo.key, m);
      return m;
    });

    const to = host.name;
    const address = host.address;
    // The controller's SSH probe checks where SSH goes (ansible_host / HostName), not ECE's ece_host_ip.
    const sshAddress = host.ssh?.hostname ?? host.sshAddress ?? host.address;
    // The SSH rule (22 from the controller) checks the path this tool connects
    // over; a host reached with ansible_connection local is not reached by SSH.
    const skipSsh = host.connection === 'local';
    for (let pi = 0; pi < template.ports.length; pi++) {
      const port = template.ports[pi]!;
      const combo = template.combos[template.comboOfPort[pi]!]!;
      const { sources, rules } = merged[template.comboOfPort[pi]!]!;
      const expect = combo.local ? 'closed' : 'open';
      const suffix = `>${to}:${port}`;
      for (let j = 0; j < sources.length; j++) {
        const s = sources[j]!;
        if (skipSsh && port === 22 && s === CONTROLLER_INDEX) continue;
        const from = s === CONTROLLER_INDEX ? CONTROLLER : names[s]!;
        const sshProbe = port === SSH_PORT && s === CONTROLLER_INDEX;
        probes.push({ id: from + suffix, from, to, address: sshProbe ? sshAddress : address, port, expect, rules: rules[j]! });
      }
    }
  }

  // IPv6 twins of the proxy paths, apart: resolved (or dropped) once facts say who has IPv6.
  const ipv6Probes = options.skip.includes('ipv6') ? [] : ipv6Twins(probes, new Map(plannedHosts.map((h) => [h.host.name, h.roles])), inbound);

  return {
    catalogVersion: catalog.version,
    options,
    hosts: plannedHosts,
    probes,
    ...(ipv6Probes.length ? { ipv6Probes } : {}),
    outbound: outboundChecks(hosts, outbound),
    facts: [...ALL_FACTS],
    warnings: [...hostWarnings(hosts, planned, firstIndex, catalog), ...ruleWarnings],
    rules: inbound,
    ...(containerOnly ? { containerOnly } : {}),
    requirements: plannedRequirements(hosts, planned, firstIndex, catalog, options),
  };
}

/**
 * The ECE first host (planned with all four roles): the one the inventory
 * marks (ece_primary, the `primary` group), even when --limit left it out
 * (then none of these hosts is it); else the first in inventory order.
 * --no-first-host (a running installation): none.
 */
export function firstHostIndex(fleet: Fleet, options: Pick<PlanOptions, 'firstHost'>): number {
  if (!options.firstHost || fleet.hosts.length === 0) return -1;
  const marked = fleet.hosts.findIndex((h) => h.primary === true);
  if (marked >= 0) return marked;
  if (fleet.firstHost !== undefined) return -1;
  return 0;
}

function checkOptions(options: PlanOptions): void {
  const k = options.pairsPerRole;
  if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new UsageError(`--pairs-per-role must be a whole number >= 1 (got ${k})`);
  if (!(Number.isInteger(options.sampleInterior) && options.sampleInterior >= 0)) {
    throw new UsageError(`--sample-interior must be a whole number >= 0 (got ${options.sampleInterior})`);
  }
}

function compileRule(rule: InboundRule, options: PlanOptions, groups: SourceGroups): CompiledRule {
  const ports = [...new Set(rule.ports.flatMap((s) => sampleSpec(s, options.ports, options.sampleInterior)))].sort((a, b) => a - b);
  const sourceRoles = sortRoles(rule.sources.flatMap((s) => (s.kind === 'roles' ? s.roles : [])));
  const c: CompiledRule = {
    rule,
    ports,
    destAll: rule.dest === 'all',
    destMask: rule.dest === 'all' ? 0 : maskOf(rule.dest),
    controller: rule.sources.some((s) => s.kind === 'external'),
    allHosts: rule.sources.some((s) => s.kind === 'all-hosts'),
    sourceRoles,
    local: rule.sources.some((s) => s.kind === 'local'),
    listen: true,
  };
  if (!c.local) {
    const all: number[] = c.controller ? [CONTROLLER_INDEX] : [];
    if (c.allHosts) all.push(...groups.all);
    else for (const r of sourceRoles) all.push(...groups.byRole[r]);
    c.allSources = sortedUnique(all);
  }
  return c;
}

/**
 * Sources of one rule for destination d. With pair sampling (k), each source
 * role is a group and gives k hosts (all-hosts: every role, and hosts with no
 * role, is a group), so every destination port is probed from at least k
 * hosts of each source role however large the fleet.
 */
function destSources(c: CompiledRule, d: number, n: number, k: number | undefined, mode: PlanOptions['ports'], groups: SourceGroups): Int32Array {
  if (c.local) {
    // Must-be-closed ports: from every other host only with --ports full and no
    // pair sampling (n*(n-1) probes for one port); otherwise from the next
    // host(s) in fleet order, which still finds a firewall that lets it through.
    const count = mode === 'full' ? n - 1 : 1;
    return otherHosts(n, d, k === undefined ? count : Math.min(count, k));
  }
  if (k === undefined) return c.allSources!;
  const out: number[] = c.controller ? [CONTROLLER_INDEX] : [];
  if (c.allHosts) {
    for (const r of ROLES) pickSources(groups.byRole[r], k, d, out);
    pickSources(groups.noRole, k, d, out);
  } else {
    for (const r of c.sourceRoles) pickSources(groups.byRole[r], k, d, out);
  }
  return sortedUnique(out);
}

function buildTemplate(compiled: CompiledRule[], mask: number, version: string | undefined, intern: (rules: number[]) => string[]): DestTemplate {
  const byPort = new Map<number, number[]>();
  compiled.forEach((c, r) => {
    if (!c.destAll && (c.destMask & mask) === 0) return;
    // Version-bound rules apply when the host's version is in range; an unknown version is
    // in range (inVersionRange): probing a port too many beats missing one the host needs.
    if (!inVersionRange(version, c.rule.versions)) return;
    for (const p of c.ports) {
      const list = byPort.get(p);
      if (list) list.push(r);
      else byPort.set(p, [r]);
    }
  });
  const ports = [...byPort.keys()].sort((a, b) => a - b);
  const combos: DestTemplate['combos'] = [];
  const comboIndex = new Map<string, number>();
  const comboOfPort = ports.map((p) => {
    const rules = byPort.get(p)!;
    const key = rules.join(',');
    let i = comboIndex.get(key);
    if (i === undefined) {
      i = combos.length;
      // The catalog validator guarantees a closed port is never also required open.
      combos.push({ key, rules, local: rules.every((r) => compiled[r]!.local) });
      comboIndex.set(key, i);
    }
    return i;
  });
  const listeners = ports
    .filter((p) => p !== SSH_PORT && byPort.get(p)!.some((r) => compiled[r]!.listen))
    .map((port) => ({ port, rules: intern(byPort.get(port)!) }));
  return { ports, comboOfPort, combos, listeners };
}

/** Union of the rules' source lists, sorted, each source with the ids of the rules it serves. */
function mergeSources(rules: number[], lists: Int32Array[], mark: Uint32Array, intern: (rules: number[]) => string[]): MergedSources {
  if (rules.length === 1) {
    const ids = intern(rules);
    return { sources: lists[0]!, rules: Array.from(lists[0]!, () => ids) };
  }
  const touched: number[] = [];
  lists.forEach((list, bit) => {
    for (const s of list) {
      const slot = s + 1; // the controller (-1) takes slot 0
      if (mark[slot] === 0) touched.push(s);
      mark[slot]! |= 1 << bit;
    }
  });
  const sources = Int32Array.from(touched).sort();
  const byMask = new Map<number, string[]>();
  const out: string[][] = [];
  for (const s of sources) {
    const m = mark[s + 1]!;
    mark[s + 1] = 0;
    let ids = byMask.get(m);
    if (!ids) {
      ids = intern(rules.filter((_, bit) => (m & (1 << bit)) !== 0));
      byMask.set(m, ids);
    }
    out.push(ids);
  }
  return { sources, rules: out };
}

/** One shared array per distinct set of rule ids: millions of probes, a handful of arrays. */
function interner(ruleIds: string[]): (rules: number[]) => string[] {
  const cache = new Map<string, string[]>();
  return (rules) => {
    const key = rules.join(',');
    let ids = cache.get(key);
    if (!ids) {
      ids = rules.map((r) => ruleIds[r]!);
      cache.set(key, ids);
    }
    return ids;
  };
}
