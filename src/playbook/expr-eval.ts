import type { ArithOp, CallArgs, CompareOp, Expr } from './expr-ast.js';
import { BoundArgs } from './expr-call.js';
import { ExprEvalError } from './expr-errors.js';
import { FILTERS } from './expr-filters.js';
import { TESTS } from './expr-tests.js';
import { defined, isDict, pyCompare, pyEquals, pyRepr, pyStr, truthy, typeName, Undefined } from './python-values.js';

/** Where names come from. The playbook's VarScope renders templated variables lazily. */
export interface Scope {
  /** The variable's value, or an Undefined naming it. */
  lookup(name: string): unknown;
}

/**
 * Evaluates a parsed expression. The result may be an Undefined (for
 * `a.b` with no `b`); callers that need a value use `defined()`.
 */
export function evaluate(e: Expr, scope: Scope): unknown {
  switch (e.type) {
    case 'literal':
      return e.value;
    case 'list':
      return e.items.map((i) => defined(evaluate(i, scope)));
    case 'dict':
      // fromEntries defines own properties, so a `__proto__` key stays a key.
      return Object.fromEntries(e.entries.map(([k, v]) => [dictKey(defined(evaluate(k, scope))), defined(evaluate(v, scope))]));
    case 'name':
      return scope.lookup(e.name);
    case 'item':
      return getItem(evaluate(e.object, scope), defined(evaluate(e.key, scope)), e.object);
    case 'not':
      return !truthy(evaluate(e.operand, scope));
    case 'negate': {
      const v = defined(evaluate(e.operand, scope));
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new ExprEvalError(`bad operand type for unary ${e.sign}: '${typeName(v)}'`);
      return e.sign === '-' ? -Number(v) : Number(v);
    }
    case 'and': {
      const l = evaluate(e.left, scope);
      return truthy(l) ? evaluate(e.right, scope) : l;
    }
    case 'or': {
      const l = evaluate(e.left, scope);
      return truthy(l) ? l : evaluate(e.right, scope);
    }
    case 'compare': {
      let left = evaluate(e.first, scope);
      for (const { op, operand } of e.rest) {
        const right = evaluate(operand, scope);
        if (!compare(op, left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'arith':
      return arith(e.op, evaluate(e.left, scope), evaluate(e.right, scope));
    case 'filter':
      return FILTERS[e.name]!(evaluate(e.input, scope), bind(e.name, e, scope));
    case 'test': {
      const r = truthy(TESTS[e.name]!(evaluate(e.input, scope), bind(e.name, e, scope)));
      return e.negated ? !r : r;
    }
    case 'cond':
      if (truthy(evaluate(e.test, scope))) return evaluate(e.then, scope);
      return e.otherwise ? evaluate(e.otherwise, scope) : new Undefined('the else branch of an inline if');
  }
}

function bind(name: string, call: CallArgs, scope: Scope): BoundArgs {
  return new BoundArgs(
    name,
    call.args.map((a) => evaluate(a, scope)),
    new Map(call.kwargs.map(([k, v]) => [k, evaluate(v, scope)])),
  );
}

function dictKey(k: unknown): string {
  if (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean' || k === null) return pyStr(k);
  throw new ExprEvalError(`unhashable type: '${typeName(k)}'`);
}

/** How the user wrote a variable path (`r.stdout_lines[0]`), to name it when it is undefined. */
function pathText(e: Expr): string {
  if (e.type === 'name') return e.name;
  if (e.type === 'item') {
    const key = e.key.type === 'literal' ? e.key.value : undefined;
    return typeof key === 'string' && /^[A-Za-z_]\w*$/.test(key) ? `${pathText(e.object)}.${key}` : `${pathText(e.object)}[${key === undefined ? '...' : pyRepr(key)}]`;
  }
  return '(expression)';
}

/** `obj.key` / `obj[key]`: own keys of dicts, list and string indexes (negative from the end); anything else is undefined. */
function getItem(obj: unknown, key: unknown, objExpr: Expr): unknown {
  const path = (): string => {
    const base = obj instanceof Undefined ? obj.what : pathText(objExpr);
    return typeof key === 'string' && /^[A-Za-z_]\w*$/.test(key) ? `${base}.${key}` : `${base}[${pyRepr(key)}]`;
  };
  if (obj instanceof Undefined) return new Undefined(path());
  if (isDict(obj)) {
    const k = typeof key === 'number' || typeof key === 'string' ? String(key) : undefined;
    return k !== undefined && Object.hasOwn(obj, k) ? obj[k] : new Undefined(path());
  }
  if ((Array.isArray(obj) || typeof obj === 'string') && typeof key === 'number' && Number.isInteger(key)) {
    const i = key < 0 ? obj.length + key : key;
    return i >= 0 && i < obj.length ? obj[i] : new Undefined(path());
  }
  return new Undefined(path());
}

function contains(container: unknown, item: unknown): boolean {
  container = defined(container);
  item = defined(item);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new ExprEvalError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  // YAML keys reach us as strings, so `1 in d` looks for the key '1'.
  if (isDict(container)) return (typeof item === 'string' || typeof item === 'number') && Object.hasOwn(container, String(item));
  throw new ExprEvalError(`argument of type '${typeName(container)}' is not iterable`);
}

function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=':
      return !pyEquals(a, b);
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
  }
}

function arith(op: ArithOp, a: unknown, b: unknown): unknown {
  a = defined(a);
  b = defined(b);
  if (op === '~') return pyStr(a) + pyStr(b);
  const isNum = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  }
  if (!isNum(a) || !isNum(b)) {
    throw new ExprEvalError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  }
  const x = Number(a);
  const y = Number(b);
  if ((op === '/' || op === '//' || op === '%') && y === 0) throw new ExprEvalError('division by zero');
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '//':
      return Math.floor(x / y);
    case '%':
      // Python's modulo takes the sign of the divisor.
      return ((x % y) + y) % y;
  }
}
