import { ExprSyntaxError } from './expr-errors.js';

/**
 * Tokens of the Jinja expression subset (jinja2/lexer.py's expression
 * tokens, without statements). Columns are 1-based so an error can point at
 * the character a user sees in their `when:`.
 */
export type Token =
  | { type: 'name'; value: string; col: number }
  | { type: 'string'; value: string; col: number }
  | { type: 'int' | 'float'; value: number; col: number }
  | { type: 'op'; value: string; col: number }
  | { type: 'end'; value: ''; col: number };

// Longest first, so `//` wins over `/` and `==` over `=`.
const OPERATORS = ['//', '==', '!=', '<=', '>=', '**', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|', '<', '>', '+', '-', '*', '/', '%', '~', '='];

const NAME_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER_RE = /(?:\d[\d_]*)(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?/y;

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const col = i + 1;
    if (ch === "'" || ch === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new ExprSyntaxError('unterminated string', col);
        const c = src[j]!;
        if (c === ch) break;
        if (c === '\\' && j + 1 < src.length) {
          const next = src[j + 1]!;
          // Python keeps an unknown escape as written (`\d` stays `\d`), which
          // is what a regex in `is match('\d+')` relies on.
          value += ESCAPES[next] ?? `\\${next}`;
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      tokens.push({ type: 'string', value, col });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(src)!;
      const text = m[0].replace(/_/g, '');
      const isFloat = /[.eE]/.test(text);
      tokens.push({ type: isFloat ? 'float' : 'int', value: Number(text), col });
      i += m[0].length;
      continue;
    }
    NAME_RE.lastIndex = i;
    const name = NAME_RE.exec(src);
    if (name) {
      tokens.push({ type: 'name', value: name[0], col });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprSyntaxError(`unexpected character '${ch}'`, col);
    tokens.push({ type: 'op', value: op, col });
    i += op.length;
  }
  tokens.push({ type: 'end', value: '', col: src.length + 1 });
  return tokens;
}
