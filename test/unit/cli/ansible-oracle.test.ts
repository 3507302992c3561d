import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAnsibleConfig, type AnsibleConfig } from '../../../src/config/ansible-cfg.js';
import { runMain } from './run-main.js';

// Each case in test/fixtures/inventory/ansible-cli/cases.json was run with
// Debian's ansible 2.14 (regenerate.py there) and its stdout kept in
// expected/NAME.txt; here the same case runs through ece-preflight.
const root = fileURLToPath(new URL('../../fixtures/inventory/ansible-cli/', import.meta.url));
const tree = path.join(root, 'tree');

interface Case {
  name: string;
  cwd: string;
  ansible: string[];
  ours?: string[];
  env?: Record<string, string>;
  pattern?: string;
  oursRefuses?: boolean;
  config?: boolean;
}

const cases: Case[] = JSON.parse(readFileSync(path.join(root, 'cases.json'), 'utf8'));
const expected = (c: Case): string => readFileSync(path.join(root, 'expected', `${c.name}.txt`), 'utf8');
const home = mkdtempSync(path.join(tmpdir(), 'ecep-oracle-home-'));

describe('ece-preflight prints what Ansible prints', () => {
  it('has the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of cases.filter((x) => x.ours && !x.oursRefuses)) {
    it(`${c.name}: ${c.ansible.join(' ')}`, async () => {
      const r = await runMain(c.ours!, { HOME: home, ...c.env }, { cwd: path.join(root, c.cwd) });
      expect(r.code, r.stderr).toBe(0);
      // display.display() ends JSON and graphs with a newline; so do we.
      expect(r.stdout.trimEnd()).toBe(expected(c).trimEnd());
    });
  }

  for (const c of cases.filter((x) => x.oursRefuses)) {
    it(`${c.name}: where Ansible skips '${c.pattern}' with a warning, we refuse and say how to write it`, async () => {
      const r = await runMain(c.ours!, { HOME: home }, { cwd: path.join(root, c.cwd) });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/does not split on ':'/);
      // Ansible's own selection, from the part before the colon part, is what the corrected pattern keeps.
      const fixed = /write --limit '([^']+)'/.exec(r.stderr)![1]!;
      const again = await runMain(['sweep', '-i', 'patterns.ini', '--limit', fixed, '--list-hosts'], { HOME: home }, { cwd: path.join(root, c.cwd) });
      expect(again.code).toBe(0);
      expect(expected(c)).toMatch(/hosts \(\d+\)/);
    });
  }
});

/** Our settings in `ansible-config dump --only-changed` lines, for the keys we read. */
function dumpLines(cfg: AnsibleConfig): string[] {
  const py = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map((x) => `'${x}'`).join(', ')}]` : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
  const names: Array<[keyof AnsibleConfig, string]> = [
    ['become', 'DEFAULT_BECOME'],
    ['becomeUser', 'DEFAULT_BECOME_USER'],
    ['forks', 'DEFAULT_FORKS'],
    ['inventory', 'DEFAULT_HOST_LIST'],
    ['privateKeyFile', 'DEFAULT_PRIVATE_KEY_FILE'],
    ['remoteUser', 'DEFAULT_REMOTE_USER'],
    ['timeout', 'DEFAULT_TIMEOUT'],
    ['hostKeyChecking', 'HOST_KEY_CHECKING'],
  ];
  const out: string[] = [`CONFIG_FILE() = ${cfg.file ?? 'None'}`];
  for (const [key, name] of names) {
    const s = cfg[key] as { value: unknown; origin: string } | undefined;
    // Ansible names the file without the line we add.
    if (s) out.push(`${name}(${s.origin.replace(/:\d+$/, '')}) = ${py(s.value)}`);
  }
  return out.sort();
}

describe('ansible.cfg and ANSIBLE_* as ansible-config dump --only-changed shows them', () => {
  const ours = new Set(['CONFIG_FILE', 'DEFAULT_BECOME', 'DEFAULT_BECOME_USER', 'DEFAULT_FORKS', 'DEFAULT_HOST_LIST', 'DEFAULT_PRIVATE_KEY_FILE', 'DEFAULT_REMOTE_USER', 'DEFAULT_TIMEOUT', 'HOST_KEY_CHECKING']);
  for (const c of cases.filter((x) => x.config)) {
    it(c.name, () => {
      const cfg = readAnsibleConfig({ env: { HOME: home, ...c.env }, cwd: path.join(root, c.cwd), systemFile: path.join(home, 'no-system-cfg') });
      const want = expected(c)
        .split('\n')
        .filter((l) => ours.has(l.replace(/\(.*$/, '')))
        .map((l) => l.replaceAll('<TREE>', tree).replaceAll('<HOME>', home))
        .sort();
      expect(dumpLines(cfg)).toEqual(want);
    });
  }
});
