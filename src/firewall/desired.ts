import { specFrom, specTo } from '../catalog/ports.js';
import { inVersionRange } from '../catalog/versions.js';
import type { Catalog, PortSpec } from '../catalog/types.js';
import type { FleetHost } from '../model/fleet.js';
import type { Role } from '../model/roles.js';
import type { Plan } from '../plan/types.js';
import { cidrsOf, firewallAddressOf } from './address.js';
import { cidrContains, cidrFamily } from './cidr.js';
import { ruleComment } from './comment.js';
import { canonicalRules } from './rule-order.js';
import { ANY, SELF, type Family, type HostRuleSet, type Rule } from './types.js';

export interface DesiredOptions {
  /**
   * The controller's address as this host sees it (its SSH_CLIENT), canonical;
   * undefined when not known yet (`firewall plan` does not connect): the
   * rule is then left out and a warning says apply adds it.
   */
  controllerAddress?: (host: FleetHost) => string | undefined;
}

/** Ids for rows that are not seed inbound rules. */
const CONTAINER_ONLY_ID = 'container-only';
const SSH_RULE_ID = 'ssh';

interface Want {
  family: Family;
  source: string;
  action: Rule['action'];
  from: number;
  to: number;
  ids: string[];
  purpose: string;
}

/**
 * Per planned host, the rules its firewall should hold, from the plan's
 * hosts and roles (the first host holds all four) and its rules in force:
 * - each port range WHOLE (probes sample ranges; a firewall rule must not)
 *   from the address of every other host holding a source role; a host's
 *   traffic to itself arrives on loopback and needs no rule;
 * - `external` ports from the host's ece_client_cidrs, or from anywhere
 *   when unset (said in a warning);
 * - SSH (ansible_port) from the controller as the host sees it and from
 *   ece_admin_cidrs, always, even when the plan skips the ssh check: it is
 *   the path the change itself travels over;
 * - Docker's 2375 and the same-host-only ports accepted from the host's own
 *   addresses and dropped from everyone else.
 * Ranges of one source are merged; the order is canonical (rule-order.ts).
 * Pure; a bad address or CIDR throws one error naming host and variable.
 */
export function desiredRules(plan: Pick<Plan, 'hosts' | 'rules'>, catalog: Catalog, options: DesiredOptions = {}): HostRuleSet[] {
  const rules = plan.rules ?? catalog.inbound.filter((r) => !r.optional);
  const addresses = new Map(plan.hosts.map((p) => [p.host.name, firewallAddressOf(p.host)]));
  const localPorts = [...catalog.containerOnlyPorts.map((spec) => ({ spec, id: CONTAINER_ONLY_ID }))];
  for (const r of rules) if (r.sources.some((s) => s.kind === 'local')) localPorts.push(...r.ports.map((spec) => ({ spec, id: r.id })));

  return plan.hosts.map((dest) => {
    const host = dest.host;
    const wants: Want[] = [];
    const warnings: string[] = [];
    const otherAddresses = (roles: Role[] | 'all'): string[] =>
      plan.hosts
        .filter((p) => p.host.name !== host.name && (roles === 'all' || p.roles.some((r) => roles.includes(r))))
        .map((p) => addresses.get(p.host.name)!);
    const add = (sources: string[], specs: PortSpec[], action: Rule['action'], id: string, purpose: string) => {
      for (const source of sources) {
        const families: Family[] = source === ANY || source === SELF ? ['ipv4', 'ipv6'] : [cidrFamily(source)];
        for (const family of families) {
          for (const spec of specs) wants.push({ family, source, action, from: specFrom(spec), to: specTo(spec), ids: [id], purpose });
        }
      }
    };

    const clientCidrs = cidrsOf(host, 'ece_client_cidrs', host.clientCidrs);
    const openToAnyone: string[] = [];
    for (const rule of rules) {
      if (rule.expect !== 'open' || rule.id === SSH_RULE_ID) continue;
      if (rule.dest !== 'all' && !dest.roles.some((r) => rule.dest.includes(r))) continue;
      if (!inVersionRange(host.eceVersion, rule.versions)) continue;
      const sources = new Set<string>();
      for (const s of rule.sources) {
        if (s.kind === 'all-hosts') otherAddresses('all').forEach((a) => sources.add(a));
        else if (s.kind === 'roles') otherAddresses(s.roles).forEach((a) => sources.add(a));
        else if (s.kind === 'external') {
          if (clientCidrs.length) clientCidrs.forEach((c) => sources.add(c));
          else {
            sources.add(ANY);
            openToAnyone.push(rule.id);
          }
        }
      }
      add([...sources], rule.ports, 'accept', rule.id, rule.purpose);
    }
    if (openToAnyone.length) {
      warnings.push(`open to ANY source (ece_client_cidrs is not set): ${openToAnyone.join(', ')}; set ece_client_cidrs to the clients' and load balancers' networks`);
    }

    add(sshSources(host, options, warnings), [host.port], 'accept', SSH_RULE_ID, 'SSH for installation and troubleshooting, and for this tool');
    for (const l of localPorts) {
      add([SELF], [l.spec], 'accept', l.id, 'same-host only: from this host');
      add([ANY], [l.spec], 'drop', l.id, 'same-host only: never from other hosts');
    }
    if (localPorts.length) {
      warnings.push(
        'same-host-only ports (2375 and the container-only list) are dropped from every source that is not an address of this host; traffic from a Docker bridge network (e.g. 172.17.0.0/16) is not "this host"',
      );
    }
    return { host: host.name, rules: toRules(wants), warnings };
  });
}

function sshSources(host: FleetHost, options: DesiredOptions, warnings: string[]): string[] {
  const out = cidrsOf(host, 'ece_admin_cidrs', host.adminCidrs);
  // A local connection does not come in over SSH: no controller rule.
  if (host.connection !== 'local') {
    const controller = options.controllerAddress?.(host);
    if (controller) out.unshift(controller);
    else warnings.push(`SSH (${host.port}) from the controller: added at apply time from the address the host sees (SSH_CLIENT)`);
  }
  return out;
}

/**
 * Merges overlapping and adjacent ranges of one (family, source, action),
 * then leaves out an accept that a wider accept already covers (a host
 * inside ece_client_cidrs, anything under an accept from anywhere): the
 * rule set stays as small as the meaning allows.
 */
function toRules(wants: Want[]): Rule[] {
  const groups = new Map<string, Want[]>();
  for (const w of wants) {
    const key = `${w.family}|${w.source}|${w.action}`;
    const g = groups.get(key);
    if (g) g.push(w);
    else groups.set(key, [w]);
  }
  const merged: Want[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.from - b.from || a.to - b.to);
    let cur: Want | undefined;
    for (const w of list) {
      if (cur && w.from <= cur.to + 1) {
        cur.to = Math.max(cur.to, w.to);
        for (const id of w.ids) if (!cur.ids.includes(id)) cur.ids.push(id);
      } else {
        cur = { ...w, ids: [...w.ids] };
        merged.push(cur);
      }
    }
  }
  const accepts = merged.filter((w) => w.action === 'accept' && w.source !== SELF);
  const holds = (outer: string, inner: string) => outer !== inner && (outer === ANY || (inner !== ANY && cidrContains(outer, inner)));
  const kept = merged.filter(
    (w) => w.source === SELF || w.action !== 'accept' || !accepts.some((a) => a.family === w.family && holds(a.source, w.source) && a.from <= w.from && w.to <= a.to),
  );
  return canonicalRules(
    kept.map((w) => ({
      family: w.family,
      protocol: 'tcp',
      ports: [w.from, w.to],
      source: w.source,
      action: w.action,
      comment: ruleComment(w.ids, w.ids.length === 1 ? w.purpose : undefined),
    })),
  );
}
