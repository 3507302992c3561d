import type { Step } from './types.js';

/** One POSIX shell word: single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A step as one line a person can read or paste; its stdin, if any, follows
 * as a quoted here-document whose delimiter the body cannot contain.
 */
export function stepToShell(step: Step): string {
  const line = step.argv.map(shellQuote).join(' ');
  if (step.stdin === undefined) return line;
  let tag = 'ECE_PREFLIGHT_EOF';
  while (step.stdin.split('\n').includes(tag)) tag += '_';
  const body = step.stdin.endsWith('\n') ? step.stdin : `${step.stdin}\n`;
  return `${line} <<'${tag}'\n${body}${tag}`;
}
