import { UsageError } from '../errors.js';
import { hostVars } from './merge-vars.js';
import type { InventoryModel } from './model.js';
import { selectHosts } from './patterns.js';
import { formatAnsibleJson } from './to-ansible-list.js';

/**
 * `ansible-inventory --graph [GROUP]` (cli/inventory.py _graph_group): the
 * group, its children depth first in insertion order (a group under two
 * parents is drawn under both), then its own hosts; `all` lists no hosts.
 */
export function formatAnsibleGraph(model: InventoryModel, group = 'all'): string {
  if (!model.groups.has(group)) throw new UsageError(`--graph ${group}: Pattern must be valid group name when using --graph`);
  const lines: string[] = [];
  const name = (text: string, depth: number): string => (depth ? '  |'.repeat(depth) + '--' + text : text);
  const walk = (g: string, depth: number): void => {
    lines.push(name(`@${g}:`, depth));
    const grp = model.groups.get(g)!;
    for (const kid of grp.children) walk(kid, depth + 1);
    if (g !== 'all') for (const h of grp.hosts) lines.push(name(h, depth + 1));
  };
  walk(group, 0);
  return lines.join('\n') + '\n';
}

/**
 * `ansible-inventory --host NAME`: NAME is a pattern that must match exactly
 * one host; its merged vars (with -e) as sorted JSON.
 */
export function formatAnsibleHost(model: InventoryModel, pattern: string): string {
  let hosts: string[];
  try {
    hosts = model.hosts.has(pattern) ? [pattern] : selectHosts(model, pattern);
  } catch (e) {
    if (e instanceof UsageError) hosts = [];
    else throw e;
  }
  if (hosts.length !== 1) throw new UsageError(`--host ${pattern}: You must pass a single valid host to --host parameter (it matches ${hosts.length})`);
  return formatAnsibleJson(hostVars(model, hosts[0]!).vars) + '\n';
}
