import { ExprSyntaxError } from './expr-errors.js';
import { VarScope, type EvalOptions, type Vars } from './var-scope.js';
import { containsTemplate, renderValue } from './template-render.js';
import { parseTemplate, type TemplatePart } from './template-parse.js';

/**
 * `{{ }}` templates in task arguments, names, `vars:` and `loop:`. A string
 * that is exactly one `{{ expr }}` yields the native value; text around it
 * makes a string (Python's str() of the value: True, None, ['a']).
 */
export { containsTemplate, parseTemplate, type TemplatePart };

export function renderTemplate(value: unknown, vars: Vars, opts?: EvalOptions): unknown {
  return renderValue(value, new VarScope(vars, opts));
}

/**
 * Parses every template inside `value` without rendering, so the playbook
 * parser can refuse a bad one before any host runs. Calls `onError` with
 * the path to the bad string.
 */
export function checkTemplates(value: unknown, onError: (path: (string | number)[], err: ExprSyntaxError) => void, path: (string | number)[] = []): void {
  if (typeof value === 'string') {
    try {
      parseTemplate(value);
    } catch (e) {
      if (e instanceof ExprSyntaxError) onError(path, e);
      else throw e;
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkTemplates(v, onError, [...path, i]));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) checkTemplates(v, onError, [...path, k]);
  }
}
