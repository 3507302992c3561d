import type { Callable } from './expr-call.js';
import { ExprEvalError } from './expr-errors.js';
import { defined, isDict, ownValue, pyStr, truthy, typeName, Undefined, type Dict } from './python-values.js';
import { versionCompare } from './version-compare.js';

/**
 * Tests after `is` (jinja2/tests.py, ansible/plugins/test/core.py). The
 * result tests (`failed`, `changed`, ...) read a registered result and, like
 * Ansible, refuse anything that is not a dict.
 */

function result(name: string, v: unknown): Dict {
  v = defined(v);
  if (!isDict(v)) throw new ExprEvalError(`The '${name}' test expects a dictionary, got '${typeName(v)}'`);
  return v;
}

/** A test of the value alone (no arguments). */
function noArgs(f: (v: unknown) => boolean): Callable {
  return (v, c) => {
    c.accept([]);
    return f(v);
  };
}

const failed = noArgs((v) => truthy(ownValue(result('failed', v), 'failed') ?? false));
const succeeded = noArgs((v) => !truthy(ownValue(result('succeeded', v), 'failed') ?? false));
const skipped = noArgs((v) => truthy(ownValue(result('skipped', v), 'skipped') ?? false));

// A registered loop has no `changed` of its own: it changed if any item did.
const changed = noArgs((v) => {
  const r = result('changed', v);
  if (Object.hasOwn(r, 'changed')) return truthy(r['changed']);
  const items = ownValue(r, 'results');
  return Array.isArray(items) && items.some((i) => isDict(i) && truthy(ownValue(i, 'changed') ?? false));
});

/**
 * Python regex to JS: named groups `(?P<n>` and `(?P=n)`, and `\A`/`\Z`. The
 * rest of what conditions use (classes, quantifiers, anchors) is the same.
 */
function pyRegex(pattern: string, flags: string): RegExp {
  const js = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  try {
    return new RegExp(js, flags);
  } catch (e) {
    throw new ExprEvalError(`invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
}

function regexTest(kind: 'match' | 'search'): Callable {
  return (v, c) => {
    c.accept(['pattern', 'ignorecase', 'multiline']);
    const value = defined(v);
    const pattern = defined(c.get(0, 'pattern', ''));
    if (typeof value !== 'string') throw new ExprEvalError(`the '${kind}' test expects a string, got '${typeName(value)}'`);
    if (typeof pattern !== 'string') throw new ExprEvalError(`the '${kind}' test expects a string pattern`);
    // Python's re.match anchors at the start only: a sticky regex from index 0.
    const flags = (truthy(c.get(1, 'ignorecase', false)) ? 'i' : '') + (truthy(c.get(2, 'multiline', false)) ? 'm' : '') + (kind === 'match' ? 'y' : '');
    return pyRegex(pattern, flags).test(value);
  };
}

const version: Callable = (v, c) => {
  c.accept(['version', 'operator']);
  const want = defined(c.get(0, 'version', undefined));
  if (want === undefined) throw new ExprEvalError("version() missing required argument 'version'");
  return versionCompare(pyStr(defined(v)), pyStr(want), pyStr(defined(c.get(1, 'operator', 'eq'))));
};

export const TESTS: Readonly<Record<string, Callable>> = {
  defined: noArgs((v) => !(v instanceof Undefined)),
  undefined: noArgs((v) => v instanceof Undefined),
  // Identity, so an undefined value is simply not none (Jinja does the same).
  none: noArgs((v) => v === null),
  failed,
  failure: failed,
  succeeded,
  success: succeeded,
  successful: succeeded,
  changed,
  change: changed,
  skipped,
  skip: skipped,
  version,
  version_compare: version,
  match: regexTest('match'),
  search: regexTest('search'),
  string: noArgs((v) => typeof defined(v) === 'string'),
  number: noArgs((v) => typeof defined(v) === 'number'),
  boolean: noArgs((v) => typeof defined(v) === 'boolean'),
  mapping: noArgs((v) => isDict(defined(v))),
};
