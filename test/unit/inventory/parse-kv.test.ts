import { describe, expect, it } from 'vitest';
import { parseKv, splitArgs, unquote } from '../../../src/inventory/parse-kv.js';
import { isIgnoredInventoryEntry } from '../../../src/inventory/inventory-dir.js';

// Expected values are what ansible-inventory --host shows for -e (fixtures in
// test/fixtures/inventory/ansible-cli/expected/extra-*.txt) or what
// parsing/splitter.py returns for the same input.
describe('parseKv (Ansible parse_kv)', () => {
  it.each([
    ['a=1 b=2', { a: '1', b: '2' }],
    ['a=1  b=2', { a: '1', b: '2 ' }],
    [`q='a b' r="c d"`, { q: 'a b', r: 'c d' }],
    ['ece_version=3.10', { ece_version: '3.10' }],
    ['k=a\\=b x=1=2', { k: 'a\\=b', x: '1=2' }],
    ['n=\\x41\\n', { n: 'A' }],
    ['p={{ foo bar }} q=1', { p: '{{ foo bar }}', q: '1' }],
    ["msg='it''s'", { msg: "it''s" }],
  ])('%s', (input, expected) => {
    const r = parseKv(input);
    expect(r.rawParams).toEqual([]);
    // `b=2 ` keeps its space in split_args, then parse_kv strips the value
    expect(r.options).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.trim()])));
  });

  it('words without = are raw params', () => {
    expect(parseKv('a=1 word').rawParams).toEqual(['word']);
  });

  it('refuses unbalanced quotes and a leading double space, as Ansible does', () => {
    expect(() => splitArgs("a='open")).toThrow(/unbalanced jinja2 block or quotes/);
    expect(() => splitArgs('  a=1')).toThrow(/Unable to parse argument string/);
  });

  it('unquote removes one pair of matching outer quotes', () => {
    expect(unquote('"x"')).toBe('x');
    expect(unquote(`'x"`)).toBe(`'x"`);
    expect(unquote('"x\\"')).toBe('"x\\"');
  });
});

describe('inventory folder entries Ansible skips', () => {
  it.each([
    ['hosts', false],
    ['10-web.yml', false],
    ['hosts.ini', true],
    ['notes.txt', true],
    ['README.md', true],
    ['site.retry', true],
    ['hosts~', true],
    ['.git', true],
    ['group_vars', true],
    ['host_vars', true],
    ['vars_plugins', true],
    ['my_group_vars', false],
    ['ansible.cfg', true],
  ])('%s skipped: %s', (name, skipped) => {
    expect(isIgnoredInventoryEntry(name)).toBe(skipped);
  });
});
