/**
 * The expression tree. Built once by parseExpr (at playbook parse time, so a
 * typo in `when:` fails before any host is touched), evaluated many times.
 * Plain data: it can be logged or compared in tests.
 */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
export type ArithOp = '+' | '-' | '*' | '/' | '//' | '%' | '~';

export interface CallArgs {
  args: Expr[];
  kwargs: [string, Expr][];
}

export type Expr =
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'list'; items: Expr[] }
  | { type: 'dict'; entries: [Expr, Expr][] }
  | { type: 'name'; name: string }
  /** `a.b`, `a['b']`, `a[0]`, `a.0` */
  | { type: 'item'; object: Expr; key: Expr }
  | { type: 'not'; operand: Expr }
  | { type: 'negate'; operand: Expr; sign: '-' | '+' }
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  /** Jinja chains comparisons like Python: `a < b < c` is `a < b and b < c`. */
  | { type: 'compare'; first: Expr; rest: { op: CompareOp; operand: Expr }[] }
  | { type: 'arith'; op: ArithOp; left: Expr; right: Expr }
  | ({ type: 'filter'; name: string; input: Expr } & CallArgs)
  | ({ type: 'test'; name: string; negated: boolean; input: Expr } & CallArgs)
  /** `a if cond else b` */
  | { type: 'cond'; test: Expr; then: Expr; otherwise: Expr | undefined };
