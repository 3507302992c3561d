import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { parseYaml } from '../../../src/inventory/parse-yaml.js';
import { hostVars } from '../../../src/inventory/merge-vars.js';

const F = 'inv.yml';

function parseError(text: string): ParseError {
  try {
    parseYaml(text, F);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('parseYaml', () => {
  it('reads nested children, empty groups, ranges and ports in host keys', () => {
    const m = parseYaml(
      [
        'all:',
        '  children:',
        '    ece:',
        '      children:',
        '        allocators:',
        '          hosts:',
        '            alloc[01:03].dc1:',
        '            gw.dc1:2222:',
        '        empty:',
        '    proxies:',
        '      hosts: proxy1',
      ].join('\n'),
      F,
    );
    expect(m.groups.get('allocators')!.hosts).toEqual(['alloc01.dc1', 'alloc02.dc1', 'alloc03.dc1', 'gw.dc1']);
    expect(m.groups.get('ece')!.children).toEqual(['allocators', 'empty']);
    expect(m.groups.get('empty')!.hosts).toEqual([]);
    expect(m.groups.get('proxies')!.hosts).toEqual(['proxy1']);
    expect(m.hosts.get('gw.dc1')!.vars).toEqual({ ansible_port: 2222 });
    expect(m.groups.get('all')!.children).toEqual(['ungrouped', 'ece', 'proxies']);
  });

  it('reads scalars as YAML 1.1 (PyYAML), like Ansible', () => {
    const m = parseYaml('all:\n  hosts:\n    h:\n      a: yes\n      b: off\n      c: 0755\n      d: 1_000\n      e: 1e3\n      f: 0o17\n      g: ~\n', F);
    expect(hostVars(m, 'h').vars).toEqual({ a: true, b: false, c: 493, d: 1000, e: '1e3', f: '0o17', g: null });
  });

  it.each([
    ['all:\n  hosts:\n    a: [1\n', 4, 'invalid YAML'],
    ['all:\n  children:\n    g:\n      hosts:\n        bad[9:1]:\n', 5, 'expands to no hosts'],
    ['all:\n  children:\n    g:\n      host:\n        h1:\n', 4, `unexpected key 'host'`],
    ['all:\n  children:\n    g:\n      hosts:\n        - h1\n', 4, 'requires a dictionary'],
    ['all:\n  children:\n    g:\n      hosts:\n        h1: just-a-string\n', 5, 'expected a mapping of host vars'],
    ['all:\n  children:\n    g: [x]\n', 3, 'expected a mapping with hosts/vars/children'],
    ['all:\n  children:\n    a:\n      hosts:\n        h: {x: 1}\n    b:\n      hosts:\n        h:\n          x: 2\n', 9, 'host h: x defined twice'],
    ['all:\n  hosts:\n    h:\n    h:\n', 4, 'duplicated mapping key'],
    ['', 1, 'Parsed empty YAML file'],
    ['- a\n- b\n', 1, 'should be a dictionary'],
  ])('%j fails at line %i', (text, line, message) => {
    const e = parseError(text);
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
    expect(e.message.startsWith(`${F}:${line}: `)).toBe(true);
  });

  it('refuses a child that is its own ancestor', () => {
    const e = parseError('a:\n  children:\n    b:\n      children:\n        a:\n');
    expect(e.message).toContain('recursive dependency loop');
    // The inner `a` is added first; linking `b` under the outer `a` closes the loop.
    expect(e.line).toBe(3);
  });
});
