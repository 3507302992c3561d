/**
 * Text from hosts and inventories (names, os-release, process names from
 * `ss`, remote stderr) made safe to show: C0 and C1 control characters (ESC
 * starts terminal sequences, OSC can set titles or hyperlinks, BEL, CR that
 * overwrites a line, backspace) and Unicode bidi overrides (which reorder what
 * a person reads) become a visible `\xNN` / `\u{...}`, so output can be
 * neither forged nor hidden. Tabs and newlines are the caller's to handle.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
