import { describe, expect, it } from 'vitest';
import { md } from '../../../src/report/markdown.js';
import { printable } from '../../../src/report/printable.js';

describe('printable: host text cannot drive a terminal or hide in a report', () => {
  it('shows escape sequences, carriage returns and bidi overrides instead of obeying them', () => {
    expect(printable('\u001b[2J\u001b]0;owned\u0007ok')).toBe('\\x1b[2J\\x1b]0;owned\\x07ok');
    expect(printable('fine\rFORGED')).toBe('fine\\x0dFORGED');
    expect(printable('abc\u202eexe.txt')).toBe('abc\\u{202e}exe.txt');
    expect(printable('java(1234)\tx')).toBe('java(1234)\tx');
    expect(printable('Ubuntu 22.04 LTS — ü')).toBe('Ubuntu 22.04 LTS — ü');
  });

  it('Markdown cells get it too', () => {
    expect(md('h1\u001b[31m')).toBe('h1\\\\x1b\\[31m');
  });
});
