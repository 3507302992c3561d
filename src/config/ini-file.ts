/**
 * The part of Python's configparser that ansible.cfg relies on, as Ansible
 * sets it up (ConfigParser(inline_comment_prefixes=(';',)), values read raw):
 * `[section]`, `key = value` or `key: value` (the first `=` or `:`), keys
 * lower-cased, whole-line comments with `#` or `;`, inline comments after
 * whitespace and `;`, indented continuation lines, and duplicate sections or
 * keys refused as configparser's strict mode does. Throws IniError with the
 * line.
 */
export class IniError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'IniError';
  }
}

export interface IniValue {
  value: string;
  line: number;
}

export type IniFile = Map<string, Map<string, IniValue>>;

const SECTION = /^\[(?<name>.+)\]/;
const OPTION = /^(?<key>.*?)\s*(?<sep>[=:])\s*(?<value>.*)$/;

export function parseIni(text: string): IniFile {
  const out: IniFile = new Map();
  let section: Map<string, IniValue> | undefined;
  let last: { entry: IniValue; indent: number; lines: string[] } | undefined;
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, idx) => {
    const lineno = idx + 1;
    const stripped = raw.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) return;
    const value = stripInlineComment(raw).trim();
    const indent = raw.length - raw.trimStart().length;
    if (!value) {
      // An empty line inside a value is kept by configparser; trailing ones are dropped below.
      if (last) last.lines.push('');
      return;
    }
    if (last && section && indent > last.indent) {
      last.lines.push(value);
      return;
    }
    finish(last);
    last = undefined;
    const sm = SECTION.exec(value);
    if (sm) {
      const name = sm.groups!['name']!;
      if (out.has(name)) throw new IniError(`section '${name}' already exists`, lineno);
      section = new Map();
      out.set(name, section);
      return;
    }
    if (!section) throw new IniError(`File contains no section headers: ${JSON.stringify(raw)}`, lineno);
    const om = OPTION.exec(value);
    if (!om || !om.groups!['key']) throw new IniError(`Source contains parsing errors: ${JSON.stringify(raw)}`, lineno);
    const key = om.groups!['key']!.trimEnd().toLowerCase();
    if (section.has(key)) throw new IniError(`option '${key}' already exists in this section`, lineno);
    const entry: IniValue = { value: om.groups!['value']!.trim(), line: lineno };
    section.set(key, entry);
    last = { entry, indent, lines: [entry.value] };
  });
  finish(last);
  return out;
}

function finish(last: { entry: IniValue; lines: string[] } | undefined): void {
  if (!last) return;
  while (last.lines.length > 1 && last.lines[last.lines.length - 1] === '') last.lines.pop();
  last.entry.value = last.lines.join('\n').trim();
}

/** `value ; comment` -> `value` (a `;` only starts a comment after whitespace). */
function stripInlineComment(line: string): string {
  const m = /\s;/.exec(line);
  return m ? line.slice(0, m.index) : line;
}
