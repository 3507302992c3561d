/**
 * Ansible's `key=value` argument parsing (parsing/splitter.py parse_kv and
 * split_args, parsing/quoting.py unquote), which `-e 'a=1 b="x y"'` goes
 * through. Ported function by function: whitespace splits unless inside
 * quotes or a Jinja2 `{{ }}`/`{% %}`/`{# #}` block, the first unescaped `=`
 * splits key from value, one pair of matching outer quotes is removed, and
 * values stay strings (`ece_version=3.10` is "3.10", as in Ansible).
 * Throws Error with Ansible's wording on unbalanced quotes or blocks.
 */
export interface KeyValues {
  options: Record<string, string>;
  /** Words without `=` (Ansible files them under _raw_params). */
  rawParams: string[];
}

export function parseKv(args: string): KeyValues {
  const options: Record<string, string> = {};
  const rawParams: string[] = [];
  for (const orig of splitArgs(args)) {
    const x = decodeEscapes(orig);
    if (!x.includes('=')) {
      rawParams.push(orig);
      continue;
    }
    // The first '=' not preceded by a backslash, from position 1 on.
    let pos = -1;
    for (let i = x.indexOf('=', 1); i >= 0; i = x.indexOf('=', i + 1)) {
      if (x[i - 1] !== '\\') {
        pos = i;
        break;
      }
    }
    if (pos < 0) {
      rawParams.push(x.replace(/\\=/g, '='));
      continue;
    }
    options[x.slice(0, pos).trim()] = unquote(x.slice(pos + 1).trim());
  }
  return { options, rawParams };
}

export function isQuoted(data: string): boolean {
  return data.length > 1 && data[0] === data[data.length - 1] && (data[0] === '"' || data[0] === "'") && data[data.length - 2] !== '\\';
}

export function unquote(data: string): string {
  return isQuoted(data) ? data.slice(1, -1) : data;
}

const ESCAPE = /\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[\\'"abfnrtv]/g;
const SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** _decode_escapes (`\N{NAME}` is left as written: no Unicode name table here). */
export function decodeEscapes(s: string): string {
  return s.replace(ESCAPE, (m) => {
    const c = m[1]!;
    if (c === 'U' || c === 'u' || c === 'x') return String.fromCodePoint(parseInt(m.slice(2), 16));
    return SIMPLE[c]!;
  });
}

function quoteState(token: string, quoteChar: string | undefined): string | undefined {
  let q = quoteChar;
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    const prev = i > 0 ? token[i - 1] : undefined;
    if ((c === '"' || c === "'") && prev !== '\\') {
      if (q) {
        if (c === q) q = undefined;
      } else q = c;
    }
  }
  return q;
}

function countBlocks(token: string, depth: number, open: string, close: string): number {
  const opens = token.split(open).length - 1;
  const closes = token.split(close).length - 1;
  if (opens === closes) return depth;
  return Math.max(0, depth + opens - closes);
}

/** split_args: whitespace-split, re-joining words split inside quotes or Jinja2 blocks. */
export function splitArgs(args: string): string[] {
  const params: string[] = [];
  const items = args.split('\n');
  let quoteChar: string | undefined;
  let insideQuotes = false;
  let printDepth = 0;
  let blockDepth = 0;
  let commentDepth = 0;
  const appendToLast = (s: string): void => {
    // Python's params[-1] on an empty list: Ansible reports an IndexError.
    if (params.length === 0) throw new Error(`Unable to parse argument string: ${args}`);
    params[params.length - 1] += s;
  };
  items.forEach((item, itemIdx) => {
    const tokens = item.split(' ');
    let lineContinuation = false;
    tokens.forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        appendToLast(' ');
        return;
      }
      if (token === '\\' && !insideQuotes) {
        lineContinuation = true;
        return;
      }
      const wasInsideQuotes = insideQuotes;
      quoteChar = quoteState(token, quoteChar);
      insideQuotes = quoteChar !== undefined;
      let appended = false;
      const inBlock = printDepth || blockDepth || commentDepth;
      if (insideQuotes && !wasInsideQuotes && !inBlock) {
        params.push(token);
        appended = true;
      } else if (inBlock || insideQuotes || wasInsideQuotes) {
        if (idx === 0 && wasInsideQuotes) appendToLast(token);
        else if (tokens.length > 1) appendToLast((idx > 0 ? ' ' : '') + token);
        else appendToLast('\n' + token);
        appended = true;
      }
      const prevPrint = printDepth;
      printDepth = countBlocks(token, printDepth, '{{', '}}');
      if (printDepth !== prevPrint && !appended) {
        params.push(token);
        appended = true;
      }
      const prevBlock = blockDepth;
      blockDepth = countBlocks(token, blockDepth, '{%', '%}');
      if (blockDepth !== prevBlock && !appended) {
        params.push(token);
        appended = true;
      }
      const prevComment = commentDepth;
      commentDepth = countBlocks(token, commentDepth, '{#', '#}');
      if (commentDepth !== prevComment && !appended) {
        params.push(token);
        appended = true;
      }
      if (!(printDepth || blockDepth || commentDepth) && !insideQuotes && !appended && token !== '') params.push(token);
    });
    if (items.length > 1 && itemIdx !== items.length - 1 && !lineContinuation) appendToLast('\n');
  });
  if (printDepth || blockDepth || commentDepth || insideQuotes) {
    throw new Error(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  }
  return params;
}
