import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { parseIni } from '../../../src/inventory/parse-ini.js';
import { hostVars } from '../../../src/inventory/merge-vars.js';

const F = 'inv.ini';

function parseError(text: string): ParseError {
  try {
    parseIni(text, F);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('parseIni', () => {
  it('reads ungrouped hosts, host:port, ranges with steps and letters', () => {
    const m = parseIni(
      ['; c', '# c', 'solo', 'solo2:2200', '[a]', 'n[01:05:2].x', 'l[b:d]', '[b]', 'q[8:10]'].join('\n'),
      F,
    );
    expect(m.groups.get('ungrouped')!.hosts).toEqual(['solo', 'solo2']);
    expect(m.groups.get('a')!.hosts).toEqual(['n01.x', 'n03.x', 'n05.x', 'lb', 'lc', 'ld']);
    expect(m.groups.get('b')!.hosts).toEqual(['q8', 'q9', 'q10']);
    expect(m.hosts.get('solo2')!.vars).toEqual({ ansible_port: 2200 });
  });

  it('types inline and :vars values like ast.literal_eval, quoted values keep spaces', () => {
    const m = parseIni(
      [
        '[g]',
        `h1 n=42 t=True s=true q='a b' e="'07'" l="[1, 'x']" o=0755 f=1.5 z=None c=a#b d=1`,
        '[g:vars]',
        'port = 8080 # comment',
        'word=bar # not a comment for a string',
        'flag=yes',
        'empty=',
      ].join('\n'),
      F,
    );
    expect(hostVars(m, 'h1').vars).toEqual({
      n: 42,
      t: true,
      s: 'true',
      q: 'a b',
      e: '07',
      l: [1, 'x'],
      o: '0755',
      f: 1.5,
      z: null,
      c: 'a',
      port: 8080,
      word: 'bar # not a comment for a string',
      flag: 'yes',
      empty: '',
    });
  });

  it('resolves [g:vars] and [g:children] declared before the group', () => {
    const m = parseIni(['[p:children]', 'c', '[c:vars]', 'v=1', '[c]', 'h'].join('\n'), F);
    expect(m.groups.get('p')!.children).toEqual(['c']);
    expect(hostVars(m, 'h').vars).toEqual({ v: 1 });
  });

  it('keeps the first port when a host:port is repeated (as Ansible does)', () => {
    const m = parseIni(['[a]', 'h:2201', '[b]', 'h:2999'].join('\n'), F);
    expect(m.hosts.get('h')!.vars['ansible_port']).toBe(2201);
  });

  it.each([
    ['[bad section]', 1, 'Invalid section entry'],
    ['[g:weird]', 1, 'unknown type: weird'],
    ['[g]\nh1\nh2 novalue', 3, 'Expected key=value host variable assignment, got: novalue'],
    ['[g]\nh ;comment', 2, 'Expected key=value'],
    ['[g]\n\nh x="open', 3, 'No closing quotation'],
    ['[g]\nalloc[5:1]', 2, 'expands to no hosts'],
    ['[g]\nalloc[01:9]', 2, 'equal-length'],
    ['[g]\nalloc[1:4:0]', 2, 'invalid step'],
    ['[g]\nalloc[d:a]', 2, 'begin <= end'],
    ['[g]\nh:', 2, "ending in ':' is not allowed"],
    ['[g]\nh\n[x:vars]\nv=1', 3, 'Section [x:vars] not valid for undefined group: x'],
    ['[p:children]\nnope\n[q]', 2, 'Section [p:children] includes undefined group: nope'],
    ['[g:vars]\nnoequals\n[g]', 2, 'Expected key=value, got: noequals'],
    ['[a:children]\nb\n[b:children]\na\n[a]\n[b]', 4, 'recursive dependency loop'],
    ['[g]\nh x=1\n\n[k]\nh x=2', 5, 'host h: x defined twice with different values (first at line 2'],
  ])('%j fails at line %i', (text, line, message) => {
    const e = parseError(text);
    expect(e.file).toBe(F);
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
    expect(e.message.startsWith(`${F}:${line}: `)).toBe(true);
    expect(e.exitCode).toBe(4);
  });

  it('allows the same host twice with the same vars', () => {
    const m = parseIni(['[a]', 'h x=1', '[b]', 'h x=1'].join('\n'), F);
    expect(m.groups.get('b')!.hosts).toEqual(['h']);
  });
});
