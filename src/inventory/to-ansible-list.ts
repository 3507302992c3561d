import type { InventoryModel } from './model.js';
import { allHosts } from './model.js';
import { hostVars } from './merge-vars.js';
import { isVaultValue } from './vault.js';

export type AnsibleList = Record<string, unknown> & {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
};

/**
 * The object `ansible-inventory --list` prints (cli/inventory.py
 * json_inventory): every group reachable from `all`, each with its direct
 * `hosts` and `children` in insertion order, empty keys dropped and empty
 * groups left out; `all` never lists hosts; `_meta.hostvars` holds merged
 * vars of hosts that have any. Ansible prints keys sorted; serialise with
 * `formatAnsibleList` to get the same text.
 */
export function toAnsibleList(model: InventoryModel, limited?: readonly string[]): AnsibleList {
  // With --limit (upstream ansible-inventory; Debian's 2.14 has no --limit): only the chosen hosts in group lists and
  // hostvars; a group left with neither hosts nor children drops out.
  const keep = limited ? new Set(limited) : undefined;
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (name: string): void => {
    const g = model.groups.get(name)!;
    const entry: { hosts?: string[]; children?: string[] } = {};
    const hosts = keep ? g.hosts.filter((h) => keep.has(h)) : g.hosts;
    if (name !== 'all' && hosts.length) entry.hosts = [...hosts];
    // Every child is listed even when it is empty and so printed nowhere else.
    if (g.children.length) entry.children = [...g.children];
    for (const c of g.children) {
      if (!seen.has(c)) {
        format(c);
        seen.add(c);
      }
    }
    if (Object.keys(entry).length) out[name] = entry;
  };
  format('all');
  const hostvars: Record<string, Record<string, unknown>> = {};
  for (const h of allHosts(model)) {
    if (keep && !keep.has(h)) continue;
    const { vars } = hostVars(model, h);
    if (Object.keys(vars).length) hostvars[h] = vars;
  }
  return { ...out, _meta: { hostvars } };
}

/** JSON text with keys sorted at every level, as Ansible's json.dumps(sort_keys=True). */
export function formatAnsibleList(list: AnsibleList): string {
  return formatAnsibleJson(list);
}

export function formatAnsibleJson(v: unknown): string {
  return JSON.stringify(sortKeys(v), null, 4);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isVaultValue(v)) return v.toJSON();
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
