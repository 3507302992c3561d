import { UsageError } from '../errors.js';
import type { Fleet } from '../model/fleet.js';
import { isAddressPattern } from './host-range.js';
import type { InventoryModel } from './model.js';
import { allHosts, hostsOfGroup } from './model.js';

/**
 * Host patterns as `ansible --limit` reads them (inventory/manager.py):
 * `all`, `*`, group or host names, globs, `~regex`, `a:b` / `a,b` union,
 * `&x` intersection, `!x` exclusion, `group[0]` / `group[1:3]` subscripts.
 * Works on the model, never on inventory text. Where Ansible only warns that
 * a pattern matched nothing, we throw a UsageError: a typo in --limit must
 * not silently run against fewer hosts, or none.
 */

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

/** split_host_pattern: commas always separate; colons only when the whole is not one address. */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (isAddressPattern(pattern)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Python fnmatch.translate: a whole-string, case-sensitive glob. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) re += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        i = j;
        if (body[0] === '!') body = '^' + body.slice(1);
        else if (body[0] === '^') body = '\\' + body;
        re += `[${body}]`;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

function compile(pattern: string): RegExp {
  try {
    // Python's re.match anchors at the start only.
    return pattern.startsWith('~') ? new RegExp(`^(?:${pattern.slice(1)})`) : globToRegExp(pattern);
  } catch {
    throw new UsageError(`invalid host pattern: ${pattern}`);
  }
}

function enumerate(model: InventoryModel, pattern: string): string[] {
  const re = compile(pattern);
  const groups = [...model.groups.keys()].filter((g) => re.test(g));
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (h: string): void => {
    if (!seen.has(h)) {
      seen.add(h);
      out.push(h);
    }
  };
  for (const g of groups) hostsOfGroup(model, g).forEach(add);
  // Host names are tried when no group matched, or when the pattern could match both.
  if (groups.length === 0 || pattern.startsWith('~') || /[.?*[]/.test(pattern)) {
    for (const h of model.hosts.keys()) if (re.test(h)) add(h);
  }
  if (out.length === 0 && groups.length === 0 && pattern !== 'all') {
    throw new UsageError(`host pattern '${pattern}' matches no group or host in the inventory`);
  }
  return out;
}

function matchOne(model: InventoryModel, pattern: string): string[] {
  let expr = pattern;
  let subscript: [number, number | undefined] | undefined;
  const m = pattern.startsWith('~') ? null : SUBSCRIPT.exec(pattern);
  if (m) {
    expr = m[1]!;
    subscript = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
  }
  const hosts = enumerate(model, expr);
  if (!subscript || hosts.length === 0) return hosts;
  const [start, end] = subscript;
  if (end === undefined) {
    const h = hosts.at(start);
    if (h === undefined) throw new UsageError(`no hosts matched the subscripted pattern '${pattern}'`);
    return [h];
  }
  return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
}

/**
 * Hosts selected by a pattern, in inventory order (as a play over `all`
 * limited with --limit runs them).
 */
export function selectHosts(model: InventoryModel, pattern: string | readonly string[]): string[] {
  const parts = typeof pattern === 'string' ? splitHostPattern(pattern) : [...pattern];
  const regular = parts.filter((p) => p[0] !== '&' && p[0] !== '!');
  const ordered = [...(regular.length ? regular : ['all']), ...parts.filter((p) => p[0] === '&'), ...parts.filter((p) => p[0] === '!')];
  let hosts: string[] = [];
  for (const p of ordered) {
    if (p[0] === '!' || p[0] === '&') {
      const body = p.slice(1);
      if (!body) throw new UsageError(`empty host pattern after '${p[0]}' in '${parts.join(',')}'`);
      const that = new Set(model.hosts.has(body) ? [body] : matchOne(model, body));
      hosts = hosts.filter((h) => (p[0] === '!' ? !that.has(h) : that.has(h)));
    } else {
      const that = model.hosts.has(p) ? [p] : matchOne(model, p);
      const have = new Set(hosts);
      hosts.push(...that.filter((h) => !have.has(h)));
    }
  }
  const chosen = new Set(hosts);
  return allHosts(model).filter((h) => chosen.has(h));
}

/** Does one pattern (no separators) match any group or host? */
export function patternMatches(model: InventoryModel, pattern: string): boolean {
  try {
    return matchOne(model, pattern.replace(/^[&!]/, '')).length > 0 || model.groups.has(pattern.replace(/^[&!]/, ''));
  } catch (e) {
    if (e instanceof UsageError) return false;
    throw e;
  }
}

/** The fleet restricted to a --limit pattern, keeping fleet order. */
export function limitFleet(fleet: Fleet, model: InventoryModel, pattern: string): Fleet {
  const chosen = new Set(selectHosts(model, pattern));
  return { ...fleet, hosts: fleet.hosts.filter((h) => chosen.has(h.name)) };
}
