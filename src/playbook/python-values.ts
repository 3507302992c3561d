import { ExprEvalError } from './expr-errors.js';

/**
 * Ansible evaluates expressions in Python, so its users expect Python's
 * truthiness, equality (`1 == 1.0`, `True == 1`), ordering (no `'a' < 1`) and
 * string forms (`True`, `None`, `['a', 'b']`). Our values are JSON-ish JS
 * values: null is None, arrays are lists, plain objects are dicts.
 * One limit: JS has one number type, so `1.0` prints as `1`.
 */

/**
 * An undefined variable, or a missing key of a defined one. Like Ansible's
 * AnsibleUndefined it survives `.attr` and `[key]` (so `a.b.c is defined` is
 * false when `a` is missing) and fails only when used.
 */
export class Undefined {
  constructor(readonly what: string) {}
  fail(): never {
    throw new ExprEvalError(`'${this.what}' is undefined`);
  }
}

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Undefined);
}

/** Fails on an undefined value, as Ansible's StrictUndefined does in any use. */
export function defined<T>(v: T | Undefined): T {
  if (v instanceof Undefined) return v.fail();
  return v;
}

export function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Undefined) return 'AnsibleUndefined';
  return 'dict';
}

export function truthy(v: unknown): boolean {
  if (v instanceof Undefined) v.fail();
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0; // NaN is true in Python too
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

function numberStr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

/** Python's str(). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** Python's repr(), which str() of a list or dict uses for its items. */
export function pyRepr(v: unknown): string {
  if (v instanceof Undefined) v.fail();
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return numberStr(v);
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v as Dict)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/** Python ==. A bool is an int in Python, so `True == 1`. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  const numA = typeof a === 'number' || typeof a === 'boolean';
  const numB = typeof b === 'number' || typeof b === 'boolean';
  if (numA && numB) return Number(a) === Number(b);
  if (numA || numB) return false;
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  const ka = Object.keys(a as Dict);
  const kb = Object.keys(b as Dict);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as Dict, k) && pyEquals((a as Dict)[k], (b as Dict)[k]));
}

/** Python ordering: numbers with numbers, strings with strings, lists item by item; anything else is a TypeError. */
export function pyCompare(a: unknown, b: unknown, op: string): number {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  const numA = typeof a === 'number' || typeof a === 'boolean';
  const numB = typeof b === 'number' || typeof b === 'boolean';
  if (numA && numB) return Math.sign(Number(a) - Number(b));
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return Math.sign(a.length - b.length);
  }
  throw new ExprEvalError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** A dict's own value, never one from its prototype (`__proto__`, `constructor`). */
export function ownValue(obj: Dict, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
