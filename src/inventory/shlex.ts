/**
 * Python's shlex.split(line, comments=True) in POSIX mode, which Ansible's INI
 * plugin uses to split host lines. Ported state machine by state machine so
 * quoting, backslashes and `#` mid-word behave the same (`a#b` is `a`).
 * Throws Error with Python's messages on unbalanced quotes.
 */
export function shlexSplit(line: string): string[] {
  const whitespace = ' \t\r\n';
  const quotes = `'"`;
  const tokens: string[] = [];
  let state: string | null = ' ';
  let token = '';
  let quoted = false;
  let escapedState = ' ';
  const emit = (): void => {
    if (token || quoted) tokens.push(token);
    token = '';
    quoted = false;
  };
  let i = 0;
  for (;;) {
    const ch = i < line.length ? line[i]! : '';
    i++;
    if (state === ' ') {
      if (!ch) break;
      if (whitespace.includes(ch)) {
        if (token || quoted) emit();
      } else if (ch === '#') {
        if (token || quoted) emit();
        break;
      } else if (ch === '\\') {
        escapedState = 'a';
        state = ch;
      } else if (quotes.includes(ch)) {
        state = ch;
      } else {
        token = ch;
        state = 'a';
      }
    } else if (state === "'" || state === '"') {
      quoted = true;
      if (!ch) throw new Error('No closing quotation');
      if (ch === state) state = 'a';
      else if (ch === '\\' && state === '"') {
        escapedState = state;
        state = ch;
      } else token += ch;
    } else if (state === '\\') {
      if (!ch) throw new Error('No escaped character');
      // Within double quotes only the quote and the backslash can be escaped.
      if (quotes.includes(escapedState) && ch !== state && ch !== escapedState) token += state;
      token += ch;
      state = escapedState;
    } else {
      // word state 'a'
      if (!ch) break;
      if (whitespace.includes(ch)) {
        state = ' ';
        emit();
      } else if (ch === '#') {
        // A comment ends the word and the rest of the line.
        emit();
        state = null;
        break;
      } else if (quotes.includes(ch)) state = ch;
      else if (ch === '\\') {
        escapedState = 'a';
        state = ch;
      } else token += ch;
    }
  }
  if (state !== null && (token || quoted)) emit();
  return tokens;
}
