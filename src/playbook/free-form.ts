import { shlexSplit } from '../inventory/shlex.js';

/**
 * Ansible's free-form module values: `command: echo {{ msg }}` and
 * `debug: msg="hi there"`. We split with POSIX shell quoting (Python's
 * shlex, as the command module does), keeping every `{{ ... }}` inside
 * the word it was written in, even with spaces in it. That differs from
 * Ansible on purpose: Ansible renders first and splits after, so a variable
 * holding spaces becomes several arguments; here it is always one, and
 * nothing a variable holds is ever re-split.
 */

// Private-use characters: never in a playbook, never special to shlex.
const OPEN = '\uE000';
const CLOSE = '\uE001';

export function splitFreeForm(text: string): string[] {
  const saved: string[] = [];
  const masked = text.replace(/\{\{[\s\S]*?\}\}/g, (m) => {
    saved.push(m);
    return `${OPEN}${saved.length - 1}${CLOSE}`;
  });
  const restore = (w: string): string => w.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_, i: string) => saved[Number(i)]!);
  // shlex with comments: a `#` starts a comment in Ansible's free form too.
  return shlexSplit(masked).map(restore);
}

/**
 * Options Ansible's command and shell modules pick out of the free form
 * (`command: ls chdir=/tmp`). We do not: such a word would silently change
 * meaning between Ansible and us, so the parser refuses it.
 */
export const FREE_FORM_OPTIONS = ['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends'];

export function freeFormOption(words: readonly string[]): string | undefined {
  return words.find((w) => FREE_FORM_OPTIONS.some((o) => w.startsWith(`${o}=`)));
}

/** `key=value` words of a non-free-form module (Ansible's parse_kv), or the first word that is not one. */
export function parseKeyValues(text: string): { args: Record<string, string> } | { bad: string } {
  const args: Record<string, string> = {};
  for (const w of splitFreeForm(text)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(w);
    if (!m) return { bad: w };
    Object.defineProperty(args, m[1]!, { value: m[2]!, enumerable: true, writable: true, configurable: true });
  }
  return { args };
}
