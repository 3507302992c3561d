import { ParseError } from '../errors.js';
import { isDeepStrictEqual } from 'node:util';
import { mergeHash, isPlainObject, type Vars } from './vars.js';

/** Where a definition came from, so every later error can name file and line. */
export interface Origin {
  file: string;
  line?: number;
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly in this group, in the order they were added. */
  hosts: string[];
  /** Child groups, in the order they were added. */
  children: string[];
  parents: string[];
  /** Vars from the inventory file itself (group_vars/ folders live on the model). */
  vars: Vars;
  varOrigins: Record<string, Origin>;
  /** ansible_group_priority: breaks ties between groups of the same depth. */
  priority: number;
  origin?: Origin;
}

export interface InventoryHost {
  name: string;
  vars: Vars;
  varOrigins: Record<string, Origin>;
  /** The first place this host was defined. */
  origin: Origin;
}

/** Vars read from one group_vars/NAME or host_vars/NAME entry. */
export interface VarLayer {
  vars: Vars;
  varOrigins: Record<string, Origin>;
}

/** group_vars/ and host_vars/ beside one inventory source (its folder, or the folder it names). */
export interface VarsDir {
  dir: string;
  groups: Map<string, VarLayer>;
  hosts: Map<string, VarLayer>;
}

/**
 * The raw inventory as Ansible's InventoryData holds it. Both parsers fill
 * this through InventoryBuilder; patterns, the --list renderer and the fleet
 * read it. Maps keep insertion order, which Ansible's output depends on.
 */
export interface InventoryModel {
  /** The sources as given, for messages and reports. */
  source: string;
  groups: Map<string, InventoryGroup>;
  hosts: Map<string, InventoryHost>;
  /** One entry per inventory source that has a folder, in source order (later wins). */
  varsDirs: VarsDir[];
  /** -e: above everything else. */
  extraVars?: VarLayer;
  /** What was read but left aside (a vault-encrypted vars file), one line each, for a warning. */
  notes: string[];
}

function newGroup(name: string, origin?: Origin): InventoryGroup {
  return { name, hosts: [], children: [], parents: [], vars: {}, varOrigins: {}, priority: 1, origin };
}

/**
 * Mirrors ansible.inventory.data.InventoryData: the same add/set operations,
 * the same implicit `all` and `ungrouped`, the same reconcile step. Adds one
 * rule Ansible lacks: a var set twice for the same host or group within one
 * file with different values is an error, because the operator almost
 * certainly did not mean "last one wins".
 */
export class InventoryBuilder {
  readonly model: InventoryModel;

  constructor(source: string) {
    this.model = {
      source,
      groups: new Map(),
      hosts: new Map(),
      varsDirs: [],
      notes: [],
    };
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped', { file: source });
  }

  hasGroup(name: string): boolean {
    return this.model.groups.has(name);
  }

  addGroup(name: string, origin?: Origin): InventoryGroup {
    if (!name) throw new ParseError('empty group name', origin?.file, origin?.line);
    let group = this.model.groups.get(name);
    if (!group) {
      group = newGroup(name, origin);
      this.model.groups.set(name, group);
    }
    return group;
  }

  /**
   * Ansible sets ansible_port from `host:port` only when the host is first
   * created; a later `host:other` keeps the first port. We keep that.
   */
  addHost(name: string, group: string | undefined, port: number | undefined, origin: Origin): InventoryHost {
    if (!name) throw new ParseError('empty host name', origin.file, origin.line);
    let host = this.model.hosts.get(name);
    if (!host) {
      host = { name, vars: {}, varOrigins: {}, origin };
      this.model.hosts.set(name, host);
      if (port !== undefined) this.setHostVar(name, 'ansible_port', port, origin);
    }
    if (group !== undefined) {
      const g = this.model.groups.get(group);
      if (!g) throw new ParseError(`could not find group ${group}`, origin.file, origin.line);
      if (!g.hosts.includes(name)) g.hosts.push(name);
    }
    return host;
  }

  setGroupVar(group: string, key: string, value: unknown, origin: Origin): void {
    const g = this.model.groups.get(group);
    if (!g) throw new ParseError(`could not identify group ${group}`, origin.file, origin.line);
    if (key === 'ansible_group_priority') {
      const n = Number(value);
      if (!Number.isInteger(n)) {
        throw new ParseError(`group ${group}: ansible_group_priority must be an integer, got ${JSON.stringify(value)}`, origin.file, origin.line);
      }
      g.priority = n;
      return;
    }
    setVar(g.vars, g.varOrigins, `group ${group}`, key, value, origin);
  }

  setHostVar(host: string, key: string, value: unknown, origin: Origin): void {
    const h = this.model.hosts.get(host);
    if (!h) throw new ParseError(`could not identify host ${host}`, origin.file, origin.line);
    setVar(h.vars, h.varOrigins, `host ${host}`, key, value, origin);
  }

  /** Add a child group; refuses self-parenting and cycles as Ansible does. */
  addChild(parent: string, child: string, origin: Origin): void {
    const p = this.model.groups.get(parent);
    const c = this.model.groups.get(child);
    if (!p) throw new ParseError(`${parent} is not a known group`, origin.file, origin.line);
    if (!c) throw new ParseError(`${child} is not a known group`, origin.file, origin.line);
    if (parent === child) throw new ParseError(`can't add group ${parent} to itself`, origin.file, origin.line);
    if (p.children.includes(child)) return;
    if (ancestorsOf(this.model, parent).has(child)) {
      throw new ParseError(
        `adding group '${child}' as child to '${parent}' creates a recursive dependency loop`,
        origin.file,
        origin.line,
      );
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  /** Ansible's reconcile_inventory: orphan groups join `all`, lone hosts join `ungrouped`. */
  finish(): InventoryModel {
    const m = this.model;
    for (const g of m.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name, { file: m.source });
    }
    const ungrouped = m.groups.get('ungrouped')!;
    const direct = directGroupsByHost(m);
    for (const host of m.hosts.values()) {
      const groups = direct.get(host.name) ?? [];
      const others = groups.filter((g) => g !== 'all' && g !== 'ungrouped');
      if (groups.includes('ungrouped')) {
        if (others.length > 0) ungrouped.hosts = ungrouped.hosts.filter((h) => h !== host.name);
      } else if (others.length === 0) {
        ungrouped.hosts.push(host.name);
      }
    }
    return m;
  }
}

function setVar(
  vars: Vars,
  origins: Record<string, Origin>,
  owner: string,
  key: string,
  value: unknown,
  origin: Origin,
): void {
  const prev = origins[key];
  if (key in vars && isPlainObject(vars[key]) && isPlainObject(value)) {
    // Ansible merges dict values set twice on the same entity.
    vars[key] = mergeHash(vars[key] as Vars, value as Vars);
  } else {
    if (prev && prev.file === origin.file && !isDeepStrictEqual(vars[key], value)) {
      throw new ParseError(
        `${owner}: ${key} defined twice with different values (first at line ${prev.line ?? '?'}: ${JSON.stringify(vars[key])}, here: ${JSON.stringify(value)})`,
        origin.file,
        origin.line,
      );
    }
    vars[key] = value;
  }
  origins[key] = origin;
}

/** Direct group membership per host, in group insertion order. */
export function directGroupsByHost(model: InventoryModel): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of model.groups.values()) {
    for (const h of g.hosts) {
      const list = out.get(h) ?? [];
      list.push(g.name);
      out.set(h, list);
    }
  }
  return out;
}

export function ancestorsOf(model: InventoryModel, group: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(model.groups.get(group)?.parents ?? [])];
  while (todo.length) {
    const g = todo.shift()!;
    if (seen.has(g)) continue;
    seen.add(g);
    todo.push(...(model.groups.get(g)?.parents ?? []));
  }
  return seen;
}

/** All groups a host belongs to, direct and inherited, including `all`. */
export function groupsOfHost(model: InventoryModel, host: string): Set<string> {
  const out = new Set<string>();
  for (const g of directGroupsByHost(model).get(host) ?? []) {
    out.add(g);
    for (const a of ancestorsOf(model, g)) out.add(a);
  }
  out.add('all');
  return out;
}

/**
 * Ansible's group depth: the longest path from `all`. Vars of deeper groups
 * win over shallower ones.
 */
export function groupDepths(model: InventoryModel): Map<string, number> {
  const depth = new Map<string, number>();
  // Iterative, not recursive: a chain of thousands of nested groups (a
  // generated inventory, a hostile one) must not overflow the stack. The
  // builder refuses cycles, so every walk ends.
  for (const start of model.groups.keys()) {
    const stack = [start];
    while (stack.length) {
      const name = stack[stack.length - 1]!;
      if (depth.has(name)) {
        stack.pop();
        continue;
      }
      const parents = model.groups.get(name)!.parents;
      const pending = parents.filter((p) => !depth.has(p));
      if (pending.length) {
        stack.push(...pending);
        continue;
      }
      depth.set(name, parents.reduce((d, p) => Math.max(d, depth.get(p)! + 1), 0));
      stack.pop();
    }
  }
  return depth;
}

/**
 * Hosts of a group and its descendants: the group's own first, then its
 * children breadth first, each host once (Group.get_hosts). Ansible walks
 * levels below the first through a set, so its order there is not stable;
 * ours is the insertion order.
 */
export function hostsOfGroup(model: InventoryModel, group: string): string[] {
  const order: string[] = [group];
  const seenGroups = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const c of model.groups.get(order[i]!)?.children ?? []) {
      if (!seenGroups.has(c)) {
        seenGroups.add(c);
        order.push(c);
      }
    }
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const g of order) {
    for (const h of model.groups.get(g)?.hosts ?? []) {
      if (!seen.has(h)) {
        seen.add(h);
        out.push(h);
      }
    }
  }
  return out;
}

/** Every host in inventory order, as Ansible enumerates the pattern `all`. */
export function allHosts(model: InventoryModel): string[] {
  return hostsOfGroup(model, 'all');
}
