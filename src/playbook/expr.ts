import type { Expr } from './expr-ast.js';
import { ExprSyntaxError } from './expr-errors.js';
import { evaluate } from './expr-eval.js';
import { parseExpr } from './expr-parser.js';
import { defined, truthy } from './python-values.js';
import { VarScope, type EvalOptions, type Vars } from './var-scope.js';

/**
 * The expression language of `when`, `changed_when`, `failed_when`,
 * `assert: that` and `{{ }}`: Jinja's expression grammar, evaluated here
 * without Jinja (no attribute access to host objects, no calls, no
 * statements). Parse once, evaluate per host.
 */
export type { Expr } from './expr-ast.js';
export { ExprSyntaxError, ExprEvalError } from './expr-errors.js';
export type { EvalOptions, Vars } from './var-scope.js';
export { parseExpr };

/**
 * A `when`-style condition: a bare expression. Ansible accepts (with a
 * warning) one wrapped in `{{ }}`; so do we, by dropping the braces.
 */
export function parseCondition(src: string): { ast: Expr; wrapped: boolean } {
  const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(src);
  if (m && !m[1]!.includes('}}') && !m[1]!.includes('{{')) {
    try {
      return { ast: parseExpr(m[1]!), wrapped: true };
    } catch (e) {
      // Columns point into the text as written, braces included.
      if (e instanceof ExprSyntaxError) throw new ExprSyntaxError(e.reason, e.col + src.indexOf('{{') + 2);
      throw e;
    }
  }
  if (/\{[{%#]/.test(src)) {
    throw new ExprSyntaxError('a condition is a bare expression: write it without {{ }} (or wrap all of it in one {{ }})', src.search(/\{[{%#]/) + 1);
  }
  return { ast: parseExpr(src), wrapped: false };
}

/** The expression's value; an undefined variable is an ExprEvalError naming it. */
export function evalExpr(ast: Expr, vars: Vars, opts?: EvalOptions): unknown {
  return defined(evaluate(ast, new VarScope(vars, opts)));
}

/** A condition's truth, with Jinja's truthiness ('' [] {} 0 None are false). */
export function evalCondition(ast: Expr, vars: Vars, opts?: EvalOptions): boolean {
  return truthy(evaluate(ast, new VarScope(vars, opts)));
}
