import type { PosNode } from '../inventory/yaml-positions.js';
import { PlaybookError } from '../errors.js';
import { ExprSyntaxError, parseCondition } from './expr.js';
import { checkTemplates } from './template.js';
import type { Condition } from './types.js';
import { childNode, nodeAtPath } from './yaml-nodes.js';

/**
 * Reading one keyword's value, with the line to blame. Every reader throws a
 * one-line PlaybookError naming the keyword.
 */

/** A value and the YAML node it came from. */
export interface Field {
  key: string;
  value: unknown;
  node: PosNode | undefined;
  /** Line of the key, where an error about the whole value points. */
  line: number;
}

export class FieldReader {
  constructor(readonly file: string) {}

  fail(message: string, line: number | undefined): never {
    throw new PlaybookError(message, this.file, line);
  }

  string(f: Field): string {
    const v = f.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(`${f.key} must be a string, got ${describe(v)}`, f.line);
  }

  optString(f: Field | undefined): string | undefined {
    return f === undefined || f.value === null ? undefined : this.string(f);
  }

  /**
   * true/false. YAML 1.1 already reads yes/no/on/off; quoted, Ansible's
   * boolean() still takes them. A template is refused: these keywords
   * decide how a play runs and are fixed when it is parsed.
   */
  bool(f: Field): boolean {
    const v = f.value;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const t = v.trim().toLowerCase();
      if (['yes', 'on', 'true', '1', 'y', 't'].includes(t)) return true;
      if (['no', 'off', 'false', '0', 'n', 'f'].includes(t)) return false;
    }
    if (v === 1 || v === 0) return v === 1;
    const hint = typeof v === 'string' && v.includes('{{') ? ' (a template is not supported here)' : '';
    return this.fail(`${f.key} must be true or false, got ${describe(v)}${hint}`, f.line);
  }

  mapping(f: Field): Record<string, unknown> {
    if (f.value === null) return {};
    if (typeof f.value !== 'object' || Array.isArray(f.value)) return this.fail(`${f.key} must be a mapping, got ${describe(f.value)}`, f.line);
    return f.value as Record<string, unknown>;
  }

  list(f: Field): unknown[] {
    if (f.value === null) return [];
    if (!Array.isArray(f.value)) return this.fail(`${f.key} must be a list, got ${describe(f.value)}`, f.line);
    return f.value;
  }

  /** Ansible's tags: a list, or a string split at commas. */
  tags(f: Field): string[] {
    const v = f.value;
    if (v === null) return [];
    let raw: unknown[];
    if (typeof v === 'string') raw = v.split(',');
    else if (Array.isArray(v)) raw = v;
    else return this.fail(`tags must be a list or a comma-separated string, got ${describe(v)}`, f.line);
    const out: string[] = [];
    raw.forEach((t, i) => {
      const line = childNode(f.node, i, v)?.line ?? f.line;
      if (typeof t !== 'string' && typeof t !== 'number') this.fail(`tags must be strings, got ${describe(t)}`, line);
      const tag = String(t).trim();
      if (tag.includes('{{')) this.fail(`tags cannot be templates ('${tag}'): --tags selects before any variable is known`, line);
      if (tag) out.push(tag);
    });
    return out;
  }

  /** `when`-style: an expression string, a boolean, or a list of those (all must hold). */
  conditions(f: Field): Condition[] {
    const v = f.value;
    const items = Array.isArray(v) ? v : [v];
    return items.map((item, i) => {
      const line = Array.isArray(v) ? (childNode(f.node, i, v)?.line ?? f.line) : (f.node?.line ?? f.line);
      if (typeof item === 'boolean') return { src: item ? 'True' : 'False', ast: { type: 'literal', value: item }, line };
      if (typeof item === 'number') return { src: String(item), ast: { type: 'literal', value: item }, line };
      if (typeof item !== 'string') return this.fail(`${f.key} must be an expression, true/false, or a list of them, got ${describe(item)}`, line);
      try {
        const { ast } = parseCondition(item);
        return { src: item.trim().replace(/^\{\{([\s\S]*)\}\}$/, '$1').trim(), ast, line };
      } catch (e) {
        if (e instanceof ExprSyntaxError) this.fail(`bad ${f.key} expression "${item}": ${e.reason} (column ${e.col})`, line);
        throw e;
      }
    });
  }

  /** Refuses a bad `{{ }}` anywhere in the value, at the line of the string that holds it. */
  templates(f: Field, what: string = f.key): void {
    checkTemplates(f.value, (path, err) => {
      const line = nodeAtPath(f.node, f.value, path)?.line ?? f.line;
      const where = path.length ? `${what} ${formatPath(path)}` : what;
      this.fail(`bad template in ${where}: ${err.reason} (column ${err.col})`, line);
    });
  }
}

/** `ports[1].from` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 37)}...` : v}'`;
  return `${typeof v === 'number' ? 'the number' : 'the value'} ${String(v)}`;
}
