import type { Callable } from './expr-call.js';
import { ExprEvalError } from './expr-errors.js';
import { defined, pyStr, truthy, typeName, Undefined } from './python-values.js';

/**
 * The filters Ansible users put in conditions, with Jinja's and Ansible's
 * semantics (jinja2/filters.py, ansible/plugins/filter/core.py). A filter
 * not listed here is a parse error, so a typo never passes silently.
 */

/** Python's int() of a string: optional sign, digits, underscores between digits, surrounding whitespace. */
function parseIntText(s: string, base: number): number | undefined {
  const t = s.trim().replace(/(?<=[0-9a-fA-F])_(?=[0-9a-fA-F])/g, '');
  const prefix = base === 16 ? '(?:0[xX])?' : base === 8 ? '(?:0[oO])?' : base === 2 ? '(?:0[bB])?' : '';
  const digits = base === 16 ? '[0-9a-fA-F]+' : base === 8 ? '[0-7]+' : base === 2 ? '[01]+' : '[0-9]+';
  const m = new RegExp(`^([+-]?)${prefix}(${digits})$`).exec(t);
  if (!m) return undefined;
  const n = parseInt(m[2]!, base);
  return m[1] === '-' ? -n : n;
}

/** Python's float() of a string. */
function parseFloatText(s: string): number | undefined {
  const t = s.trim().replace(/(?<=\d)_(?=\d)/g, '').toLowerCase();
  if (/^[+-]?(?:inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function toInt(v: unknown, fallback: unknown, base: number): unknown {
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === 'string') {
    const i = parseIntText(v, base);
    if (i !== undefined) return i;
    // Jinja falls back to int(float(value)): '3.7' | int is 3.
    const f = base === 10 ? parseFloatText(v) : undefined;
    return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : fallback;
  }
  return fallback;
}

function length(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length;
  throw new ExprEvalError(`object of type '${typeName(v)}' has no len()`);
}

/** A filter of the value alone, which must be defined. */
function noArgs(f: (v: unknown) => unknown): Callable {
  return (v, c) => {
    c.accept([]);
    return f(defined(v));
  };
}

/** Jinja's default (alias d): the fallback replaces an undefined value, or with boolean=true any false one. */
const defaultFilter: Callable = (v, c) => {
  c.accept(['default_value', 'boolean']);
  const fallback = c.get(0, 'default_value', '');
  const onFalse = c.get(1, 'boolean', false);
  if (v instanceof Undefined) return fallback;
  return truthy(onFalse) && !truthy(v) ? fallback : v;
};

export const FILTERS: Readonly<Record<string, Callable>> = {
  // Ansible's to_bool: None stays None; 'yes', 'on', '1', 'true' and 1 are true; anything else false.
  bool: (v, c) => {
    c.accept([]);
    v = defined(v);
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'string') return ['yes', 'on', '1', 'true'].includes(v.toLowerCase());
    return v === 1;
  },
  int: (v, c) => {
    c.accept(['default', 'base']);
    const base = c.get(1, 'base', 10);
    if (typeof base !== 'number' || ![2, 8, 10, 16].includes(base)) throw new ExprEvalError('int(): base must be 2, 8, 10 or 16');
    return toInt(defined(v), c.get(0, 'default', 0), base);
  },
  float: (v, c) => {
    c.accept(['default']);
    v = defined(v);
    const fallback = c.get(0, 'default', 0);
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return Number(v);
    if (typeof v === 'string') return parseFloatText(v) ?? fallback;
    return fallback;
  },
  length: noArgs(length),
  count: noArgs(length),
  lower: noArgs((v) => pyStr(v).toLowerCase()),
  upper: noArgs((v) => pyStr(v).toUpperCase()),
  string: noArgs(pyStr),
  trim: noArgs((v) => pyStr(v).trim()),
  default: defaultFilter,
  d: defaultFilter,
  join: (v, c) => {
    c.accept(['d']);
    const sep = c.get(0, 'd', '');
    v = defined(v);
    if (!Array.isArray(v)) throw new ExprEvalError(`join expects a list, got '${typeName(v)}'`);
    return v.map((x) => pyStr(x)).join(pyStr(sep));
  },
  first: (v, c) => {
    c.accept([]);
    v = defined(v);
    if (typeof v !== 'string' && !Array.isArray(v)) throw new ExprEvalError(`first expects a list, got '${typeName(v)}'`);
    return v.length ? v[0] : new Undefined('first of an empty list');
  },
  last: (v, c) => {
    c.accept([]);
    v = defined(v);
    if (typeof v !== 'string' && !Array.isArray(v)) throw new ExprEvalError(`last expects a list, got '${typeName(v)}'`);
    return v.length ? v[v.length - 1] : new Undefined('last of an empty list');
  },
};
