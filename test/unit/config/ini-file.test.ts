import { describe, expect, it } from 'vitest';
import { IniError, parseIni } from '../../../src/config/ini-file.js';

describe('parseIni (configparser as Ansible sets it up)', () => {
  it('sections, = and : separators, lower-cased keys, comments, continuation lines', () => {
    const ini = parseIni(
      ['# top', '[defaults]', 'Inventory = a, b ; inline', 'remote_user: ops', '  ; indented comment', 'forks=12;not a comment', 'long = one', '   two', '', '[privilege_escalation]', 'become = yes'].join('\n'),
    );
    const d = ini.get('defaults')!;
    expect(d.get('inventory')).toEqual({ value: 'a, b', line: 3 });
    expect(d.get('remote_user')!.value).toBe('ops');
    expect(d.get('forks')!.value).toBe('12;not a comment');
    expect(d.get('long')).toEqual({ value: 'one\ntwo', line: 7 });
    expect(ini.get('privilege_escalation')!.get('become')!.value).toBe('yes');
  });

  it('refuses duplicates, keys before a section and lines without a separator, naming the line', () => {
    const line = (text: string): number | undefined => {
      try {
        parseIni(text);
      } catch (e) {
        return e instanceof IniError ? e.line : undefined;
      }
      return undefined;
    };
    expect(line('[a]\nx=1\nX=2\n')).toBe(3);
    expect(line('[a]\n[a]\n')).toBe(2);
    expect(line('x=1\n')).toBe(1);
    expect(line('[a]\nnovalue\n')).toBe(2);
  });
});
