import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/transport/line-splitter.js';

const split = (chunks: string[], max?: number): string[] => {
  const out: string[] = [];
  const s = new LineSplitter(max);
  s.onLine((l) => out.push(l));
  for (const c of chunks) s.push(c);
  s.end();
  return out;
};

describe('LineSplitter', () => {
  it('joins lines across chunks and flushes the last one', () => {
    expect(split(['a\nb', 'c\n', 'd'])).toEqual(['a', 'bc', 'd']);
    expect(split(['\n\n'])).toEqual(['', '']);
  });

  it('cuts a line longer than the bound, drops the rest of it, and goes on with the next', () => {
    expect(split(['0123456789', 'abcdef', 'gh\nnext\n'], 8)).toEqual(['01234567 [line cut at 8 characters]', 'next']);
    expect(split(['0123456789\nok\n'], 8)).toEqual(['01234567 [line cut at 8 characters]', 'ok']);
  });

  it('stays bounded on megabytes without a newline', () => {
    const s = new LineSplitter(1024);
    const out: string[] = [];
    s.onLine((l) => out.push(l));
    const mb = 'x'.repeat(1 << 20);
    for (let i = 0; i < 50; i++) s.push(mb);
    s.push('\ndone\n');
    expect(out).toEqual([`${'x'.repeat(1024)} [line cut at 1024 characters]`, 'done']);
  });

  it('splits many short lines in one chunk', () => {
    const chunk = 'R 1 open 3 - 0\n'.repeat(200_000);
    const lines = split([chunk]);
    expect(lines).toHaveLength(200_000);
    expect(lines[199_999]).toBe('R 1 open 3 - 0');
  });
});
