/**
 * Python's ast.literal_eval for the values Ansible's INI plugin reads:
 * numbers, strings (with implicit concatenation), True/False/None, lists,
 * tuples, dicts and sets, and `# comments`. Like the INI plugin, anything
 * that is not a literal comes back as the original string, so `yes` stays
 * "yes", `0755` stays "0755" and `8080 # web` becomes 8080.
 */
export function parsePythonLiteral(text: string): unknown {
  try {
    const p = new LiteralParser(text.replace(/^[ \t]+/, ''));
    const value = p.parseExpression();
    p.skipSpace();
    if (!p.atEnd()) return text;
    return value;
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

class NotALiteral extends Error {}

const INT_RE = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0(?:_?0)*)/;
const DIGITS = '[0-9](?:_?[0-9])*';
const FLOAT_RE = new RegExp(
  `^(?:(?:${DIGITS})?\\.${DIGITS}(?:[eE][-+]?${DIGITS})?|${DIGITS}\\.(?:[eE][-+]?${DIGITS})?|${DIGITS}[eE][-+]?${DIGITS})`,
);

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  /** Whitespace, line continuations and comments are all insignificant here. */
  skipSpace(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.i++;
      else if (c === '#') {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  private peek(): string {
    this.skipSpace();
    return this.s[this.i] ?? '';
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) throw new NotALiteral();
    this.i++;
  }

  parseExpression(): unknown {
    const c = this.peek();
    if (c === '-' || c === '+') {
      this.i++;
      const v = this.parseAtom();
      if (typeof v !== 'number') throw new NotALiteral();
      return c === '-' ? -v : v;
    }
    return this.parseAtom();
  }

  private parseAtom(): unknown {
    const c = this.peek();
    if (c === '[') return this.parseSequence('[', ']');
    if (c === '(') {
      const items = this.parseSequence('(', ')', true);
      return items;
    }
    if (c === '{') return this.parseBrace();
    if (/[0-9.]/.test(c)) return this.parseNumber();
    const rest = this.s.slice(this.i);
    const str = /^([rRuU]?)(['"])/.exec(rest);
    if (str) return this.parseStrings();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      this.i += word[0].length;
      if (word[0] === 'True') return true;
      if (word[0] === 'False') return false;
      if (word[0] === 'None') return null;
    }
    throw new NotALiteral();
  }

  private parseNumber(): number {
    const rest = this.s.slice(this.i);
    const f = FLOAT_RE.exec(rest);
    const n = INT_RE.exec(rest);
    let value: number;
    let len: number;
    if (f && (!n || f[0].length > n[0].length)) {
      value = Number(f[0].replace(/_/g, ''));
      len = f[0].length;
    } else if (n) {
      const digits = n[0].replace(/_/g, '');
      const base = /^0[xX]/.test(digits) ? 16 : /^0[oO]/.test(digits) ? 8 : /^0[bB]/.test(digits) ? 2 : 10;
      value = base === 10 ? Number(digits) : parseInt(digits.slice(2), base);
      len = n[0].length;
    } else throw new NotALiteral();
    const after = rest[len] ?? '';
    // `0755`, `1j`, `12abc` are not (real-number) literals.
    if (/[0-9A-Za-z_.]/.test(after)) throw new NotALiteral();
    this.i += len;
    return value;
  }

  private parseStrings(): string {
    let out = '';
    let any = false;
    for (;;) {
      this.skipSpace();
      const m = /^([rRuU]?)('''|"""|'|")/.exec(this.s.slice(this.i));
      if (!m) break;
      any = true;
      const raw = m[1]!.toLowerCase() === 'r';
      const q = m[2]!;
      this.i += m[0].length;
      for (;;) {
        if (this.i >= this.s.length) throw new NotALiteral();
        if (this.s.startsWith(q, this.i)) {
          this.i += q.length;
          break;
        }
        const ch = this.s[this.i]!;
        if (ch === '\n' && q.length === 1) throw new NotALiteral();
        if (ch === '\\') {
          const next = this.s[this.i + 1];
          if (next === undefined) throw new NotALiteral();
          if (raw) {
            out += ch + next;
            this.i += 2;
            continue;
          }
          this.i += 2;
          out += this.escape(next);
          continue;
        }
        out += ch;
        this.i++;
      }
    }
    if (!any) throw new NotALiteral();
    return out;
  }

  private escape(c: string): string {
    const simple: Record<string, string> = {
      '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
    };
    if (c in simple) return simple[c]!;
    const hex = (len: number): string => {
      const h = this.s.slice(this.i, this.i + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new NotALiteral();
      this.i += len;
      return String.fromCodePoint(parseInt(h, 16));
    };
    if (c === 'x') return hex(2);
    if (c === 'u') return hex(4);
    if (c === 'U') return hex(8);
    if (/[0-7]/.test(c)) {
      let oct = c;
      while (oct.length < 3 && /[0-7]/.test(this.s[this.i] ?? '')) oct += this.s[this.i++];
      return String.fromCodePoint(parseInt(oct, 8));
    }
    // Python keeps unknown escapes verbatim.
    return '\\' + c;
  }

  private parseSequence(open: string, close: string, tuple = false): unknown[] {
    this.expect(open);
    const items: unknown[] = [];
    let sawComma = false;
    while (this.peek() !== close) {
      items.push(this.parseExpression());
      if (this.peek() === ',') {
        this.i++;
        sawComma = true;
      } else break;
    }
    this.expect(close);
    // `(1)` is just 1 in Python, `(1,)` is a tuple.
    if (tuple && items.length === 1 && !sawComma) return items[0] as unknown[];
    return items;
  }

  private parseBrace(): unknown {
    this.expect('{');
    if (this.peek() === '}') {
      this.i++;
      return {};
    }
    const first = this.parseExpression();
    if (this.peek() === ':') {
      const out: Record<string, unknown> = {};
      this.i++;
      out[key(first)] = this.parseExpression();
      while (this.peek() === ',') {
        this.i++;
        if (this.peek() === '}') break;
        const k = this.parseExpression();
        this.expect(':');
        out[key(k)] = this.parseExpression();
      }
      this.expect('}');
      return out;
    }
    // A set: JSON has none, so it becomes a list.
    const items = [first];
    while (this.peek() === ',') {
      this.i++;
      if (this.peek() === '}') break;
      items.push(this.parseExpression());
    }
    this.expect('}');
    return items;
  }
}

function key(k: unknown): string {
  if (typeof k === 'object' && k !== null) throw new NotALiteral();
  return k === null ? 'null' : String(k);
}
