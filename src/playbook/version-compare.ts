import { ExprEvalError } from './expr-errors.js';

/**
 * Ansible's `version` test (plugins/test/core.py version_compare) with its
 * default LooseVersion: the string splits into runs of digits (compared as
 * numbers) and runs of lowercase letters (compared as text), dots dropped,
 * so `2.10` > `2.9` and `1.0` < `1.0.1`. Comparing a number run with a text
 * run fails, as it does in Python 3.
 */

const OPERATORS: Readonly<Record<string, 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'ne'>> = {
  '==': 'eq',
  '=': 'eq',
  eq: 'eq',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  '!=': 'ne',
  '<>': 'ne',
  ne: 'ne',
};

export function looseVersionParts(v: string): (number | string)[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x !== '' && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function compareParts(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x !== typeof y) {
      throw new ExprEvalError(`Version comparison failed: '<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    }
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

export function versionCompare(value: string, version: string, operator: string): boolean {
  const op = Object.hasOwn(OPERATORS, operator) ? OPERATORS[operator] : undefined;
  if (!op) {
    throw new ExprEvalError(`Invalid operator type (${operator}). Must be one of ${Object.keys(OPERATORS).map((o) => `'${o}'`).join(', ')}`);
  }
  if (value === '' || version === '') throw new ExprEvalError('Version comparison failed: an empty version');
  const c = compareParts(looseVersionParts(value), looseVersionParts(version));
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
  }
}
