import type { InventoryModel, Origin } from './model.js';
import { groupDepths, groupsOfHost } from './model.js';
import type { Vars } from './vars.js';

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
 * precedence (VARIABLE_PRECEDENCE, then host vars):
 *   all (file) < groups (file, sorted) < group_vars/all < group_vars/<groups>
 *   < host (file) < host_vars/<host>
 * so a group_vars/all folder file beats a child group's vars from the
 * inventory file. Top-level keys replace (hash_behaviour=replace).
 */
export function hostVars(model: InventoryModel, host: string): MergedVars {
  const out: MergedVars = { vars: {}, origins: {} };
  const layer = (vars: Vars | undefined, origins: Record<string, Origin> | undefined): void => {
    if (!vars) return;
    for (const [k, v] of Object.entries(vars)) {
      out.vars[k] = v;
      const o = origins?.[k];
      if (o) out.origins[k] = o;
    }
  };
  const groups = sortedHostGroups(model, host);
  const all = model.groups.get('all')!;
  layer(all.vars, all.varOrigins);
  for (const g of groups) {
    const grp = model.groups.get(g)!;
    layer(grp.vars, grp.varOrigins);
  }
  const allFile = model.groupVarsFiles.get('all');
  layer(allFile?.vars, allFile?.varOrigins);
  for (const g of groups) {
    const f = model.groupVarsFiles.get(g);
    layer(f?.vars, f?.varOrigins);
  }
  const h = model.hosts.get(host);
  layer(h?.vars, h?.varOrigins);
  const hf = model.hostVarsFiles.get(host);
  layer(hf?.vars, hf?.varOrigins);
  return out;
}
