import type { CallArgs, CompareOp, Expr } from './expr-ast.js';
import { ExprSyntaxError } from './expr-errors.js';
import { tokenize, type Token } from './expr-lexer.js';
import { FILTERS } from './expr-filters.js';
import { TESTS } from './expr-tests.js';
import { closest } from './suggest.js';

/**
 * A recursive-descent parser with Jinja's precedence (jinja2/parser.py:
 * parse_or > parse_and > parse_not > parse_compare > math > unary, where
 * filters `|` and tests `is` bind to the unary operand). Staying with
 * Jinja's grammar matters: `not x is defined` must mean `not (x is defined)`
 * and `a == b | int` must filter `b`, as they do in Ansible.
 */
export function parseExpr(src: string): Expr {
  const tokens = tokenize(src);
  // Both the parser and the evaluator recurse: bounded input keeps a hostile
  // `when` an error line, not a stack overflow (a chain `1+1+...` is as deep as it is long).
  if (tokens.length > MAX_TOKENS) throw new ExprSyntaxError(`expression too long (${tokens.length - 1} tokens; at most ${MAX_TOKENS})`, 0);
  const p = new Parser(tokens);
  const e = p.expression();
  p.expectEnd();
  return e;
}

const LITERAL_NAMES: Readonly<Record<string, boolean | null>> = {
  true: true,
  True: true,
  false: false,
  False: false,
  none: null,
  None: null,
};

/** Far beyond any real `when`, far below what the parser's and evaluator's recursion can take. */
const MAX_TOKENS = 2000;
const MAX_NESTING = 64;

class Parser {
  private pos = 0;
  /** Open brackets, parentheses and prefix operators above the current token. */
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Parse something nested (inside brackets, under `not` or a sign), refusing absurd depth in one line. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private get cur(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isOp(value: string): boolean {
    return this.cur.type === 'op' && this.cur.value === value;
  }
  private isName(value: string): boolean {
    return this.cur.type === 'name' && this.cur.value === value;
  }
  private expectOp(value: string): void {
    if (!this.isOp(value)) this.fail(`expected '${value}'`);
    this.pos++;
  }
  private fail(what: string, tok: Token = this.cur): never {
    const found = tok.type === 'end' ? 'end of expression' : `'${tok.value}'`;
    throw new ExprSyntaxError(`${what}, found ${found}`, tok.col);
  }

  expectEnd(): void {
    if (this.cur.type !== 'end') this.fail('expected end of expression');
  }

  /** Every nested expression (in brackets, lists, subscripts, arguments) comes through here: its depth is bounded. */
  expression(): Expr {
    return this.nested(() => this.conditional());
  }

  private conditional(): Expr {
    const e = this.or();
    if (!this.isName('if')) return e;
    this.pos++;
    const test = this.or();
    let otherwise: Expr | undefined;
    if (this.isName('else')) {
      this.pos++;
      otherwise = this.expression();
    }
    return { type: 'cond', test, then: e, otherwise };
  }

  private or(): Expr {
    let left = this.and();
    while (this.isName('or')) {
      this.pos++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isName('and')) {
      this.pos++;
      left = { type: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Expr {
    if (this.isName('not')) {
      this.pos++;
      return { type: 'not', operand: this.nested(() => this.not()) };
    }
    return this.compare();
  }

  private compare(): Expr {
    const first = this.math1();
    const rest: { op: CompareOp; operand: Expr }[] = [];
    for (;;) {
      let op: CompareOp | undefined;
      if (this.cur.type === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(this.cur.value)) {
        op = this.cur.value as CompareOp;
        this.pos++;
      } else if (this.isName('in')) {
        op = 'in';
        this.pos++;
      } else if (this.isName('not') && this.tokens[this.pos + 1]?.type === 'name' && this.tokens[this.pos + 1]!.value === 'in') {
        op = 'not in';
        this.pos += 2;
      }
      if (!op) break;
      rest.push({ op, operand: this.math1() });
    }
    return rest.length ? { type: 'compare', first, rest } : first;
  }

  private math1(): Expr {
    let left = this.concat();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value as '+' | '-';
      left = { type: 'arith', op, left, right: this.concat() };
    }
    return left;
  }

  private concat(): Expr {
    let left = this.math2();
    while (this.isOp('~')) {
      this.pos++;
      left = { type: 'arith', op: '~', left, right: this.math2() };
    }
    return left;
  }

  private math2(): Expr {
    let left = this.unary(true);
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next().value as '*' | '/' | '//' | '%';
      left = { type: 'arith', op, left, right: this.unary(true) };
    }
    return left;
  }

  private unary(withFilter: boolean): Expr {
    let node: Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const sign = this.next().value as '-' | '+';
      node = { type: 'negate', sign, operand: this.nested(() => this.unary(false)) };
    } else {
      node = this.primary();
    }
    node = this.postfix(node);
    return withFilter ? this.filterExpr(node) : node;
  }

  private primary(): Expr {
    const tok = this.cur;
    if (tok.type === 'name') {
      this.pos++;
      if (Object.hasOwn(LITERAL_NAMES, tok.value)) return { type: 'literal', value: LITERAL_NAMES[tok.value]! };
      if (['and', 'or', 'not', 'in', 'is', 'if', 'else'].includes(tok.value)) this.fail('expected a value', tok);
      return { type: 'name', name: tok.value };
    }
    if (tok.type === 'string') {
      // Adjacent strings concatenate, as in Python and Jinja.
      let value = '';
      while (this.cur.type === 'string') value += this.next().value as string;
      return { type: 'literal', value };
    }
    if (tok.type === 'int' || tok.type === 'float') {
      this.pos++;
      return { type: 'literal', value: tok.value };
    }
    if (this.isOp('(')) {
      this.pos++;
      const e = this.expression();
      // A tuple `(a, b)` reads as a list: `x in ('a', 'b')` is common.
      if (this.isOp(',')) {
        const items = [e];
        while (this.isOp(',')) {
          this.pos++;
          if (this.isOp(')')) break;
          items.push(this.expression());
        }
        this.expectOp(')');
        return { type: 'list', items };
      }
      this.expectOp(')');
      return e;
    }
    if (this.isOp('[')) {
      this.pos++;
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        items.push(this.expression());
        if (!this.isOp(',')) break;
        this.pos++;
      }
      this.expectOp(']');
      return { type: 'list', items };
    }
    if (this.isOp('{')) {
      this.pos++;
      const entries: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        const k = this.expression();
        this.expectOp(':');
        entries.push([k, this.expression()]);
        if (!this.isOp(',')) break;
        this.pos++;
      }
      this.expectOp('}');
      return { type: 'dict', entries };
    }
    return this.fail('expected a value');
  }

  private postfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.')) {
        this.pos++;
        const tok = this.next();
        if (tok.type === 'name') node = { type: 'item', object: node, key: { type: 'literal', value: tok.value } };
        else if (tok.type === 'int') node = { type: 'item', object: node, key: { type: 'literal', value: tok.value } };
        else this.fail('expected an attribute name after "."', tok);
      } else if (this.isOp('[')) {
        this.pos++;
        const key = this.expression();
        if (this.isOp(':')) this.fail('slices are not supported');
        this.expectOp(']');
        node = { type: 'item', object: node, key };
      } else if (this.isOp('(')) {
        this.fail('calling a function or method is not supported');
      } else {
        return node;
      }
    }
  }

  private filterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) {
        this.pos++;
        const { name, tok } = this.dottedName('a filter name after "|"');
        if (!Object.hasOwn(FILTERS, name)) {
          const hint = closest(name, Object.keys(FILTERS));
          this.fail(`unknown filter '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, tok);
        }
        node = { type: 'filter', name, input: node, ...this.callArgs() };
      } else if (this.isName('is')) {
        this.pos++;
        let negated = false;
        if (this.isName('not')) {
          this.pos++;
          negated = true;
        }
        const { name, tok } = this.dottedName('a test name after "is"');
        if (!Object.hasOwn(TESTS, name)) {
          const hint = closest(name, Object.keys(TESTS));
          this.fail(`unknown test '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, tok);
        }
        node = { type: 'test', name, negated, input: node, ...this.callArgs() };
      } else {
        return node;
      }
    }
  }

  /** `bool`, or `ansible.builtin.bool`, which we read as `bool`. */
  private dottedName(what: string): { name: string; tok: Token } {
    const tok = this.cur;
    if (tok.type !== 'name') this.fail(`expected ${what}`);
    const parts = [this.next().value as string];
    while (this.isOp('.') && this.tokens[this.pos + 1]?.type === 'name') {
      this.pos++;
      parts.push(this.next().value as string);
    }
    const full = parts.join('.');
    const name = full.startsWith('ansible.builtin.') ? full.slice('ansible.builtin.'.length) : full;
    return { name, tok };
  }

  private callArgs(): CallArgs {
    const out: CallArgs = { args: [], kwargs: [] };
    if (!this.isOp('(')) return out;
    this.pos++;
    while (!this.isOp(')')) {
      const next = this.tokens[this.pos + 1];
      if (this.cur.type === 'name' && next?.type === 'op' && next.value === '=') {
        const key = this.next().value as string;
        this.pos++;
        out.kwargs.push([key, this.expression()]);
      } else {
        if (out.kwargs.length) this.fail('positional argument after a keyword argument');
        out.args.push(this.expression());
      }
      if (!this.isOp(',')) break;
      this.pos++;
    }
    this.expectOp(')');
    return out;
  }
}
