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
  // Depth first with a stack of its own, not recursion: a chain of thousands
  // of nested groups must draw, not overflow the stack. A group's hosts come
  // after all its children's lines, so each group pushes a marker for them.
  type Step = { group: string; depth: number } | { hostsOf: string; depth: number };
  const todo: Step[] = [{ group, depth: 0 }];
  while (todo.length) {
    const step = todo.pop()!;
    if ('hostsOf' in step) {
      for (const h of model.groups.get(step.hostsOf)!.hosts) lines.push(name(h, step.depth));
      continue;
    }
    lines.push(name(`@${step.group}:`, step.depth));
    const grp = model.groups.get(step.group)!;
    if (step.group !== 'all') todo.push({ hostsOf: step.group, depth: step.depth + 1 });
    for (let i = grp.children.length - 1; i >= 0; i--) todo.push({ group: grp.children[i]!, depth: step.depth + 1 });
  }
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
