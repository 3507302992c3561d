import type { Catalog } from '../catalog/types.js';
import { desiredRules } from '../firewall/desired.js';
import { diffRules } from '../firewall/diff.js';
import type { Rule } from '../firewall/types.js';
import { bareHost, type FleetHost } from '../model/fleet.js';
import { effectiveRules } from '../plan/effective-rules.js';
import type { PlanOptions } from '../plan/types.js';
import type { HostSide } from './run-diff.js';

/** The firewall rules one host gains and loses between two sides (as `firewall apply` would render them). */
export interface HostFirewallChange {
  host: string;
  add: Rule[];
  remove: Rule[];
  /**
   * ZooKeeper rules a host that lost the director role keeps: `firewall
   * apply` leaves them open (ZooKeeper runs there until ECE is reinstalled),
   * so they are listed apart, not as removed.
   */
  keptOpen: Rule[];
}

export interface FirewallChanges {
  hosts: HostFirewallChange[];
  /** Why rules could not be compared (a side with a name for an address, ...). */
  notes: string[];
}

/**
 * A side's hosts as the firewall sees them: name, address, roles and the
 * settings the rules read (SSH port, client and admin CIDRs, ECE version),
 * as the run saved them. A run saved before those were kept leaves them at
 * their defaults. The controller's address is never known here: the SSH
 * rule's controller source is added at apply time, on both sides alike.
 */
function hostOf(h: HostSide): FleetHost {
  const f = h.firewallInputs;
  return bareHost(h.name, h.address, {
    roles: [...h.roles],
    registry: { host: 'docker.elastic.co', port: 443 },
    ...(f ? { port: f.sshPort, connection: f.connection, clientCidrs: [...f.clientCidrs], adminCidrs: [...f.adminCidrs], ...(f.eceVersion ? { eceVersion: f.eceVersion } : {}) } : {}),
  });
}

function rulesOf(side: readonly HostSide[], catalog: Catalog, options: PlanOptions): Map<string, Rule[]> {
  const rules = effectiveRules(catalog, options).inbound;
  const sets = desiredRules({ hosts: side.map((h) => ({ host: hostOf(h), roles: [...h.roles], firstHost: false, listeners: [] })), rules }, catalog);
  return new Map(sets.map((s) => [s.host, s.rules]));
}

/**
 * Per host present on either side, the rules to add and to remove between
 * the two sides, from the pure desired-rules function (src/firewall/desired.ts).
 * A host only on the old side loses all its rules; only on the new side,
 * gains all. Pure.
 */
export function firewallChanges(a: readonly HostSide[], b: readonly HostSide[], catalog: Catalog, options: PlanOptions): FirewallChanges {
  // A run saved before the inputs were kept: that host's settings are taken as unchanged (the other side's).
  const inputsA = new Map(a.map((h) => [h.name, h.firewallInputs]));
  const inputsB = new Map(b.map((h) => [h.name, h.firewallInputs]));
  a = a.map((h) => (h.firewallInputs || !inputsB.get(h.name) ? h : { ...h, firewallInputs: inputsB.get(h.name) }));
  b = b.map((h) => (h.firewallInputs || !inputsA.get(h.name) ? h : { ...h, firewallInputs: inputsA.get(h.name) }));
  let before: Map<string, Rule[]>;
  let after: Map<string, Rule[]>;
  try {
    before = rulesOf(a, catalog, options);
    after = rulesOf(b, catalog, options);
  } catch (e) {
    return { hosts: [], notes: [`firewall rules not compared: ${(e as Error).message}`] };
  }
  const wasDirector = new Map(a.map((h) => [h.name, h.roles.includes('director')]));
  const isDirector = new Map(b.map((h) => [h.name, h.roles.includes('director')]));
  const names = [...new Set([...b.map((h) => h.name), ...a.map((h) => h.name)])];
  const hosts: HostFirewallChange[] = [];
  for (const name of names) {
    const d = diffRules(after.get(name) ?? [], before.get(name) ?? []);
    // As apply: a host still in the fleet that lost the director role keeps its ZooKeeper rules.
    const keepsZk = after.has(name) && wasDirector.get(name) === true && isDirector.get(name) === false;
    const keptOpen = keepsZk ? d.remove.filter((r) => /\bdirector-zk-/.test(r.comment)) : [];
    const remove = keptOpen.length ? d.remove.filter((r) => !keptOpen.includes(r)) : d.remove;
    if (d.add.length || remove.length || keptOpen.length) hosts.push({ host: name, add: d.add, remove, keptOpen });
  }
  return { hosts, notes: [] };
}
