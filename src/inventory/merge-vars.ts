import type { InventoryModel, Origin, VarLayer } from './model.js';
import { groupDepths, groupsOfHost } from './model.js';
import { isPlainObject, mergeHash, type Vars } from './vars.js';

export { isPlainObject, mergeHash };

export interface MergedVars {
  vars: Vars;
  /** Where each winning value was defined. */
  origins: Record<string, Origin>;
}

/**
 * Groups a host belongs to (without `all`), in the order Ansible merges their
 * vars: shallow before deep, then ansible_group_priority, then name
 * (ansible.inventory.helpers.sort_groups).
 */
export function sortedHostGroups(model: InventoryModel, host: string): string[] {
  const depth = groupDepths(model);
  const groups = [...groupsOfHost(model, host)].filter((g) => g !== 'all');
  return groups.sort((a, b) => {
    const d = depth.get(a)! - depth.get(b)!;
    if (d) return d;
    const p = model.groups.get(a)!.priority - model.groups.get(b)!.priority;
    if (p) return p;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * A host's vars as `ansible-inventory --list` shows them. Ansible's default
 * precedence (VARIABLE_PRECEDENCE, then host vars, then extra vars):
 *   all (file) < groups (file, sorted) < group_vars/all < group_vars/<groups>
 *   < host (file) < host_vars/<host> < -e
 * so a group_vars/all folder file beats a child group's vars from the
 * inventory file. With several sources, each folder step walks the sources
 * in order (a later source's group_vars/all beats an earlier one's, and any
 * source's group_vars/<group> beats every group_vars/all), as
 * get_vars_from_inventory_sources does. Top-level keys replace
 * (hash_behaviour=replace).
 */
export function hostVars(model: InventoryModel, host: string): MergedVars {
  const out: MergedVars = { vars: {}, origins: {} };
  const layer = (l: VarLayer | undefined): void => {
    if (!l) return;
    for (const [k, v] of Object.entries(l.vars)) {
      out.vars[k] = v;
      const o = l.varOrigins[k];
      if (o) out.origins[k] = o;
    }
  };
  const groups = sortedHostGroups(model, host);
  layer(model.groups.get('all'));
  for (const g of groups) layer(model.groups.get(g));
  for (const d of model.varsDirs) layer(d.groups.get('all'));
  for (const d of model.varsDirs) for (const g of groups) layer(d.groups.get(g));
  layer(model.hosts.get(host));
  for (const d of model.varsDirs) layer(d.hosts.get(host));
  layer(model.extraVars);
  return out;
}
