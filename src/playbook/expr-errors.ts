/**
 * Errors of the expression language. They carry no file or line: the
 * playbook parser (or the engine) knows where the expression was written and
 * wraps them in a PlaybookError or a task failure.
 */

/** The text is not an expression we understand; `col` is 1-based in the expression. */
export class ExprSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly col: number,
  ) {
    super(`${reason} at column ${col}`);
    this.name = 'ExprSyntaxError';
  }
}

/** Evaluation failed: an undefined variable, a type mismatch, a bad regex. */
export class ExprEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprEvalError';
  }
}
