import { evaluate, type Scope } from './expr-eval.js';
import { defined, isDict, pyStr } from './python-values.js';
import { hasTemplate, parseTemplate } from './template-parse.js';

/**
 * Renders strings deep inside lists and dicts. A string that is one
 * `{{ expr }}` and nothing else yields the expression's own value (a number,
 * a list), like Ansible's native types; text around it makes a string.
 * Keys are not templated.
 */
export function renderValue(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope));
  if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, scope)]));
  return value;
}

function renderString(s: string, scope: Scope): unknown {
  if (!hasTemplate(s)) return s;
  const parts = parseTemplate(s);
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only && 'expr' in only) return defined(evaluate(only.expr, scope));
  return parts.map((p) => ('expr' in p ? pyStr(defined(evaluate(p.expr, scope))) : p.text)).join('');
}

/** True if a string anywhere inside holds a template. */
export function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (isDict(value)) return Object.values(value).some(containsTemplate);
  return false;
}
