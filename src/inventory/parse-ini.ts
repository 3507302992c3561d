import { ParseError } from '../errors.js';
import { expandHostKey } from './host-range.js';
import { InventoryBuilder, type InventoryModel, type Origin } from './model.js';
import { parsePythonLiteral } from './python-literal.js';
import { shlexSplit } from './shlex.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

/**
 * Ansible's INI inventory plugin (plugins/inventory/ini.py), line for line:
 * hosts before the first section are `ungrouped`; `[g:vars]` may come before
 * `[g]`; `[g:children]` may name groups declared later. Pure: takes the text,
 * returns the model; `file` is only for messages.
 */
export function parseIni(text: string, file: string, builder = new InventoryBuilder(file)): InventoryModel {
  parseIniInto(builder, text, file);
  return builder.finish();
}

/** Add one INI source to a builder shared with other sources; the caller finishes it once, as Ansible reconciles once. */
export function parseIniInto(builder: InventoryBuilder, text: string, file: string): void {
  const lines = text.split(/\r\n|\n|\r/);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';

  const addPendingChildren = (g: string): void => {
    const p = pending.get(g)!;
    for (const parent of p.parents) {
      builder.addChild(parent, g, { file, line: p.line });
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent);
    }
    pending.delete(g);
  };

  lines.forEach((raw, idx) => {
    const lineno = idx + 1;
    const origin: Origin = { file, line: lineno };
    const fail = (msg: string): never => {
      throw new ParseError(msg, file, lineno);
    };
    const line = raw.trim();
    if (!line || line[0] === ';' || line[0] === '#') return;

    const m = SECTION.exec(line);
    if (m) {
      group = m[1]!;
      const kind = m[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'children' && kind !== 'vars') {
        fail(`Section [${group}:${kind}] has unknown type: ${kind}`);
      }
      state = kind as typeof state;
      if (!builder.hasGroup(group)) {
        // [g:vars] alone does not declare g; check at the end.
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineno, state, parents: [] });
        builder.addGroup(group, origin);
      }
      const p = pending.get(group);
      if (p && state !== 'vars') {
        if (p.state === 'children') addPendingChildren(group);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(
        `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`,
      );
    }

    if (state === 'hosts') {
      let tokens: string[];
      try {
        tokens = shlexSplit(line);
      } catch (e) {
        return fail(`Error parsing host definition '${line}': ${(e as Error).message}`);
      }
      if (tokens.length === 0) return;
      const key = tokens[0]!;
      let expanded: { hosts: string[]; port: number | undefined };
      try {
        expanded = expandHostKey(key);
      } catch (e) {
        return fail((e as Error).message);
      }
      if (key.trim().endsWith(':') && expanded.port === undefined) {
        fail(`Invalid host pattern '${key}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`);
      }
      if (expanded.hosts.some((h) => h.trim() === '---')) {
        fail(`Invalid host pattern '${key}' supplied, '---' is normally a sign this is a YAML file.`);
      }
      const vars: Array<[string, unknown]> = [];
      for (const t of tokens.slice(1)) {
        const eq = t.indexOf('=');
        if (eq < 0) fail(`Expected key=value host variable assignment, got: ${t}`);
        vars.push([t.slice(0, eq), parsePythonLiteral(t.slice(eq + 1))]);
      }
      for (const h of expanded.hosts) {
        builder.addHost(h, group, expanded.port, origin);
        for (const [k, v] of vars) builder.setHostVar(h, k, v, origin);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`Expected key=value, got: ${line}`);
      const k = line.slice(0, eq).trim();
      const v = line.slice(eq + 1).trim();
      builder.setGroupVar(group, k, parsePythonLiteral(v), origin);
    } else {
      const gm = GROUP_NAME.exec(line);
      if (!gm) return fail(`Expected group name, got: ${line}`);
      const child = gm[1]!;
      if (!builder.hasGroup(child)) {
        const p = pending.get(child);
        if (!p) pending.set(child, { line: lineno, state: 'children', parents: [group] });
        else p.parents.push(group);
      } else {
        builder.addChild(group, child, origin);
      }
    }
  });

  // Report the first unresolved reference, as Ansible does.
  for (const [name, p] of pending) {
    if (p.state === 'vars') {
      throw new ParseError(`Section [${name}:vars] not valid for undefined group: ${name}`, file, p.line);
    }
    throw new ParseError(
      `Section [${p.parents[p.parents.length - 1]}:children] includes undefined group: ${name}`,
      file,
      p.line,
    );
  }
}
