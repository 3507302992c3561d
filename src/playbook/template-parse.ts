import type { Expr } from './expr-ast.js';
import { ExprSyntaxError } from './expr-errors.js';
import { parseExpr } from './expr-parser.js';

/**
 * A string split into literal text and `{{ expression }}` parts. Only
 * expressions: `{% %}` statements and `{# #}` comments are refused, so a
 * template is always a value and never a program.
 */
export type TemplatePart = { text: string } | { expr: Expr; src: string };

export function hasTemplate(s: string): boolean {
  return /\{[{%#]/.test(s);
}

/** Throws ExprSyntaxError with the column in `s` (1-based). */
export function parseTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.slice(i).search(/\{[{%#]/);
    if (open < 0) {
      parts.push({ text: s.slice(i) });
      break;
    }
    const at = i + open;
    if (at > i) parts.push({ text: s.slice(i, at) });
    if (s[at + 1] !== '{') {
      throw new ExprSyntaxError(`only {{ expression }} templates are supported, not ${s[at + 1] === '%' ? '{% statements %}' : '{# comments #}'}`, at + 1);
    }
    const end = closingBraces(s, at + 2);
    if (end < 0) throw new ExprSyntaxError("'{{' is never closed by '}}'", at + 1);
    const src = s.slice(at + 2, end);
    try {
      parts.push({ expr: parseExpr(src), src: src.trim() });
    } catch (e) {
      if (e instanceof ExprSyntaxError) throw new ExprSyntaxError(e.reason, e.col + at + 2);
      throw e;
    }
    i = end + 2;
  }
  return parts;
}

/**
 * Index of the `}}` that closes an expression starting at `from`: outside
 * quotes and outside a dict literal's own braces (`{{ {'a': {'b': 1}} }}`).
 */
function closingBraces(s: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let j = from; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth > 0) depth--;
      else if (s[j + 1] === '}') return j;
    }
  }
  return -1;
}
