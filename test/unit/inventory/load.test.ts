import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { detectFormat, loadInventory } from '../../../src/inventory/load.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'inv-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('loadInventory', () => {
  it('picks the parser by extension, and by content without one', () => {
    expect(detectFormat('x.ini', 'all:\n')).toBe('ini');
    expect(detectFormat('x.yml', '[g]\n')).toBe('yaml');
    expect(detectFormat('x.json', '{}')).toBe('yaml');
    expect(detectFormat('hosts', '# c\n[g]\nh\n')).toBe('ini');
    expect(detectFormat('hosts', 'h1 ansible_host=198.18.0.1\n')).toBe('ini');
    expect(detectFormat('hosts', '---\nall:\n')).toBe('yaml');
    expect(detectFormat('hosts', '# c\nall:\n  hosts:\n')).toBe('yaml');
  });

  it('reads an extensionless YAML inventory with group_vars and host_vars', () => {
    const dir = tree({
      hosts: 'all:\n  children:\n    proxies:\n      hosts:\n        p1:\n',
      'group_vars/proxies': 'ansible_user: ops\n',
      'group_vars/all/10.yml': 'ece_version: "3.7"\n',
      'group_vars/all/20.json': '{"ece_version": "3.8"}\n',
      'group_vars/all/.hidden.yml': 'ece_version: hidden\n',
      'host_vars/p1.yaml': 'ansible_host: 198.18.0.7\n',
    });
    const { fleet } = loadInventory(join(dir, 'hosts'));
    expect(fleet.source).toBe(join(dir, 'hosts'));
    expect(fleet.hosts[0]).toMatchObject({ name: 'p1', address: '198.18.0.7', user: 'ops', eceVersion: '3.8', roles: ['proxy'] });
  });

  it('only the first of NAME, NAME.yml, NAME.yaml, NAME.json is read', () => {
    const dir = tree({
      'inv.ini': '[g]\nh\n',
      'group_vars/g.yml': 'v: yml\n',
      'group_vars/g.json': '{"v": "json", "other": 1}\n',
    });
    expect(loadInventory(join(dir, 'inv.ini')).fleet.hosts[0]!.vars).toEqual({ v: 'yml' });
  });

  it('an error in a group_vars file names that file and line', () => {
    const dir = tree({ 'inv.ini': '[g]\nh\n', 'group_vars/g.yml': 'a: 1\nece_roles:\n  - pilot\n' });
    expect(() => loadInventory(join(dir, 'inv.ini'))).toThrow(`${join(dir, 'group_vars/g.yml')}:2: host h: ece_roles: unknown role 'pilot'`);
    const bad = tree({ 'inv.ini': '[g]\nh\n', 'host_vars/h.yml': 'a: 1\nb: [\n' });
    const e = (() => {
      try {
        loadInventory(join(bad, 'inv.ini'));
      } catch (err) {
        return err as ParseError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ParseError);
    expect(e!.file).toBe(join(bad, 'host_vars/h.yml'));
    expect(e!.line).toBe(3);
  });

  it('a group_vars file that is not a mapping is an error', () => {
    const dir = tree({ 'inv.ini': '[g]\nh\n', 'group_vars/g.yml': '- a\n- b\n' });
    expect(() => loadInventory(join(dir, 'inv.ini'))).toThrow(/g\.yml:1: vars file must hold a mapping/);
  });

  it('a missing inventory is a ParseError (exit 4) naming the path', () => {
    const path = join(tmpdir(), 'no-such-inventory.ini');
    expect(() => loadInventory(path)).toThrow(ParseError);
    expect(() => loadInventory(path)).toThrow(`${path}: inventory file not found`);
  });
});
