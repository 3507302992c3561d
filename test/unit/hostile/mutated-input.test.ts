import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError, UsageError } from '../../../src/errors.js';
import { toFleet } from '../../../src/inventory/fleet.js';
import { parseIni } from '../../../src/inventory/parse-ini.js';
import { parseYaml } from '../../../src/inventory/parse-yaml.js';
import { formatAnsibleGraph } from '../../../src/inventory/to-ansible-graph.js';
import { MODULE_CATALOGUE } from '../../../src/modules/index.js';
import { parsePlaybook } from '../../../src/playbook/parse.js';

/**
 * Generated malformed input: each real file is mutated many times (bytes
 * flipped, lines dropped, duplicated or swapped, brackets and quotes and
 * control characters inserted, text truncated). Every mutant must either read
 * or be refused with a typed error of one line (what the CLI turns into exit
 * 4 or 5): never an internal error, never a message that spans lines.
 * Deterministic (seeded), so a failure names its seed.
 */
const ROOT = path.resolve(__dirname, '../../..');
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK = ['[', ']', '{', '}', ':', '=', '"', "'", '\\', '\n', '\t', '\u0000', '\u001b[2J', '- ', '!vault |', '&a', '*a', '<<: *a', '{{', '}}', '%', '#', ',', '[1:999999]', '\u202e'];

function mutate(text: string, r: () => number): string {
  let out = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const lines = out.split('\n');
    const at = Math.floor(r() * Math.max(1, out.length));
    const li = Math.floor(r() * lines.length);
    switch (Math.floor(r() * 7)) {
      case 0:
        out = out.slice(0, at) + JUNK[Math.floor(r() * JUNK.length)] + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(r() * 8));
        break;
      case 2:
        lines.splice(li, 1);
        out = lines.join('\n');
        break;
      case 3:
        lines.splice(li, 0, lines[Math.floor(r() * lines.length)] ?? '');
        out = lines.join('\n');
        break;
      case 4:
        out = out.slice(0, at);
        break;
      case 5:
        out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + out.slice(at + 1);
        break;
      default:
        lines[li] = ' '.repeat(Math.floor(r() * 6)) + (lines[li] ?? '');
        out = lines.join('\n');
    }
  }
  return out;
}

function expectReadOrOneLineRefusal(seed: number, run: () => unknown): 'read' | 'refused' {
  try {
    run();
    return 'read';
  } catch (e) {
    const typed = e instanceof ParseError || e instanceof UsageError;
    expect(typed, `seed ${seed}: ${(e as Error)?.stack ?? String(e)}`).toBe(true);
    expect((e as Error).message.includes('\n'), `seed ${seed}: message spans lines: ${(e as Error).message}`).toBe(false);
    return 'refused';
  }
}

const MUTANTS = 300;

describe('generated malformed input is read or refused in one typed line', () => {
  it.each([
    ['INI inventory', 'inventories/example.ini', (t: string) => toFleet(parseIni(t, 'm.ini'), 'm.ini')],
    ['YAML inventory', 'inventories/example.yml', (t: string) => toFleet(parseYaml(t, 'm.yml'), 'm.yml')],
    ["Elastic's role inventory", 'inventories/elastic-role-example.yml', (t: string) => toFleet(parseYaml(t, 'm.yml'), 'm.yml')],
    ['playbook', 'playbooks/preflight.yml', (t: string) => parsePlaybook(t, 'm.yml', MODULE_CATALOGUE)],
    ['playbook', 'playbooks/firewall.yml', (t: string) => parsePlaybook(t, 'm.yml', MODULE_CATALOGUE)],
    ['playbook', 'test/fixtures/playbook/valid.yml', (t: string) => parsePlaybook(t, 'm.yml', MODULE_CATALOGUE)],
  ] as const)('%s %s', (_kind, file, parse) => {
    const text = read(file);
    const seen = { read: 0, refused: 0 };
    for (let seed = 1; seed <= MUTANTS; seed++) {
      const mutant = mutate(text, rng(seed * 7919));
      seen[expectReadOrOneLineRefusal(seed, () => parse(mutant))]++;
    }
    // Both ways are exercised: the mutations are neither all harmless nor all fatal.
    expect(seen.read).toBeGreaterThan(5);
    expect(seen.refused).toBeGreaterThan(5);
  });
});

describe('deeply nested input is read or refused in one typed line, never a stack overflow', () => {
  const DEEP = 20_000;
  const flow = (open: string, close: string, inner: string) => open.repeat(DEEP) + inner + close.repeat(DEEP);
  it.each([
    ['a flow mapping as a host var', () => toFleet(parseYaml(`all:\n  hosts:\n    h1:\n      deep: ${flow('{a: ', '}', '1')}\n`, 'm.yml'), 'm.yml')],
    ['a flow list as a group var', () => toFleet(parseYaml(`all:\n  vars:\n    deep: ${flow('[', ']', '1')}\n  hosts:\n    h1:\n`, 'm.yml'), 'm.yml')],
    ['groups nested as children, block style', () => {
      let text = 'all:\n  children:\n';
      for (let i = 0; i < 2_000; i++) text += `${'  '.repeat(2 * i + 2)}g${i}:\n${'  '.repeat(2 * i + 3)}children:\n`;
      return toFleet(parseYaml(text, 'm.yml'), 'm.yml');
    }],
    ['an INI group chain, each the child of the last', () => {
      let text = '[g0]\nh1\n';
      for (let i = 1; i < 5_000; i++) text += `[g${i}:children]\ng${i - 1}\n`;
      return toFleet(parseIni(text, 'm.ini'), 'm.ini');
    }],
    ['that INI chain drawn by inventory --graph', () => {
      let text = '[g0]\nh1\n';
      for (let i = 1; i < 5_000; i++) text += `[g${i}:children]\ng${i - 1}\n`;
      const graph = formatAnsibleGraph(parseIni(text, 'm.ini'));
      expect(graph.split('\n').find((l) => l.endsWith('--h1'))).toMatch(/^( {2}\|){5001}--h1$/);
    }],
    ['a playbook of blocks inside blocks', () => {
      let tasks = '- debug: {msg: hi}\n';
      for (let i = 0; i < 500; i++) tasks = `- block:\n${tasks.replace(/^/gm, '    ')}`;
      return parsePlaybook(`- hosts: all\n  tasks:\n${tasks.replace(/^/gm, '    ')}`, 'm.yml', MODULE_CATALOGUE);
    }],
    ['a when expression of nested parentheses', () => parsePlaybook(`- hosts: all\n  tasks:\n    - debug: {msg: hi}\n      when: "${'('.repeat(DEEP)}true${')'.repeat(DEEP)}"\n`, 'm.yml', MODULE_CATALOGUE)],
    ['a when chain as long as it may be (1+1+...), then one token longer', () => {
      const when = (n: number) => `- hosts: all\n  tasks:\n    - debug: {msg: hi}\n      when: "${Array(n).fill('1').join('+')} > 0"\n`;
      parsePlaybook(when(998), 'm.yml', MODULE_CATALOGUE);
      expect(() => parsePlaybook(when(1_001), 'm.yml', MODULE_CATALOGUE)).toThrow(/expression too long \(2003 tokens; at most 2000\)/);
    }],
    ['not, not, not ... 70 times', () => {
      expect(() => parsePlaybook(`- hosts: all\n  tasks:\n    - debug: {msg: hi}\n      when: "${'not '.repeat(70)}true"\n`, 'm.yml', MODULE_CATALOGUE)).toThrow(/nested deeper than 64 levels/);
    }],
  ] as const)('%s', (_what, run) => {
    const t0 = performance.now();
    expectReadOrOneLineRefusal(0, run);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
