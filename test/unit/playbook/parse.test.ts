import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../../src/playbook/expr.js';
import { parsePlaybook, serialBatchSize } from '../../../src/playbook/parse.js';
import type { Block, Condition, Item, Task } from '../../../src/playbook/types.js';
import { MODULES } from './catalogue.js';

const text = readFileSync('test/fixtures/playbook/valid.yml', 'utf8');
const pb = parsePlaybook(text, 'valid.yml', MODULES);
const [first, second] = pb.plays;

const srcs = (c: Condition[] | undefined): string[] | undefined => c?.map((x) => x.src);
const task = (i: Item): Task => {
  expect(i.kind).toBe('task');
  return i as Task;
};
const block = (i: Item): Block => {
  expect(i.kind).toBe('block');
  return i as Block;
};

describe('parsePlaybook: a playbook with every keyword', () => {
  it('reads the play keywords', () => {
    expect(pb.file).toBe('valid.yml');
    expect(pb.plays).toHaveLength(2);
    expect(first).toMatchObject({
      line: 2,
      name: 'Check the ECE fleet',
      hosts: 'ece_primary,allocators',
      become: true,
      becomeUser: 'root',
      becomeMethod: 'sudo',
      gatherFacts: false,
      tags: ['net'],
      serial: { kind: 'percent', percent: 30 },
      anyErrorsFatal: true,
      ignoreErrors: false,
      strategy: 'free',
      vars: { port: 2112, target: '{{ inventory_hostname }}:{{ port }}' },
    });
    expect(first!.preTasks).toHaveLength(1);
    expect(first!.tasks).toHaveLength(6);
    expect(first!.postTasks).toHaveLength(1);
  });

  it('fills in Ansible defaults for a bare play, named after its hosts', () => {
    expect(second).toEqual({
      line: 72,
      name: 'localhost',
      hosts: 'localhost',
      vars: {},
      become: false,
      becomeUser: undefined,
      becomeMethod: 'sudo',
      gatherFacts: true,
      tags: [],
      serial: undefined,
      anyErrorsFatal: false,
      ignoreErrors: false,
      strategy: 'linear',
      preTasks: [],
      tasks: [],
      postTasks: [],
    });
  });

  it('normalises a prefixed module name and keeps the key as written', () => {
    const t = task(first!.preTasks[0]!);
    expect(t).toMatchObject({ line: 17, name: 'say hello', action: 'ansible.builtin.debug', module: 'debug', args: { msg: 'hello {{ inventory_hostname }}' } });
    expect(t.tags).toEqual(['net']);
    expect(t.become).toBe(true);
  });

  it('reads a command line into argv with shell quoting, a template staying one word', () => {
    const t = task(first!.tasks[0]!);
    expect(t.args).toEqual({ argv: ['ls', '-l', '/var/lib/my dir', '{{ extra_dir }}'] });
    expect(t.register).toBe('ls_out');
    expect(srcs(t.changedWhen)).toEqual(['False']);
    expect(srcs(t.failedWhen)).toEqual(['ls_out.rc != 0', "'No such' not in ls_out.stderr"]);
    expect(t.failedWhen!.map((c) => c.line)).toEqual([26, 27]);
    expect(t.checkMode).toBe(false);
    expect(t.noLog).toBe(true);
    expect(t.tags).toEqual(['files', 'list', 'net']);
  });

  it('merges args: under the module arguments, the module winning', () => {
    const t = task(first!.tasks[1]!);
    expect(t).toMatchObject({ action: 'ece.wait_for', module: 'wait_for', delegateTo: 'localhost', loop: [1, 2] });
    expect(t.args).toEqual({ host: '127.0.0.1', timeout: 5, port: '{{ port }}' });
    // The {{ }} Ansible tolerates around a condition is dropped.
    expect(srcs(t.when)).toEqual(['port is defined']);
    expect(evalCondition(t.when[0]!.ast, { port: 1 })).toBe(true);
  });

  it('reads shell as cmd, command cmd: as argv, and key=value words', () => {
    expect(task(first!.tasks[2]!)).toMatchObject({ action: 'shell', args: { cmd: 'echo $HOME | wc -c' }, become: false });
    expect(task(first!.tasks[3]!).args).toEqual({ argv: ['echo', 'a b', 'c'] });
    const kv = task(first!.tasks[4]!);
    expect(kv.args).toEqual({ msg: 'two words', var: 'x' });
    expect(kv.loop).toBe("{{ groups['ece'] }}");
  });

  it('keeps a block with its own keywords and hands them down to its tasks', () => {
    const b = block(first!.tasks[5]!);
    expect(b).toMatchObject({ line: 47, name: 'cleanup', tags: ['cleanup'] });
    expect(srcs(b.when)).toEqual(['ls_out is succeeded']);
    const inner = task(b.block[0]!);
    expect(inner).toMatchObject({ name: 'inner task', module: 'ping', args: {}, becomeUser: 'elastic', ignoreErrors: true, become: true });
    expect(srcs(inner.when)).toEqual(['ls_out is succeeded', 'inner == 1']);
    expect(inner.tags).toEqual(['cleanup', 'inner', 'net']);
    expect(inner.vars).toEqual({ inner: 2 });

    const nested = block(b.block[1]!);
    expect(srcs(nested.when)).toEqual(['True', 'x is defined']);
    const deep = task(nested.block[0]!);
    expect(deep.args).toEqual({ argv: ['echo', 'nested'] });
    expect(srcs(deep.when)).toEqual(['ls_out is succeeded', 'True', 'x is defined']);
    expect(deep.vars).toEqual({ inner: 1 });
    expect(deep.tags).toEqual(['cleanup', 'net']);

    expect(task(b.rescue[0]!)).toMatchObject({ args: { msg: 'rescued' }, ignoreErrors: true, tags: ['cleanup', 'net'] });
    expect(task(b.always[0]!)).toMatchObject({ args: {}, ignoreErrors: false });
    expect(srcs(task(b.always[0]!).when)).toEqual(['ls_out is succeeded']);
  });

  it('gives tasks outside blocks no inherited conditions', () => {
    const post = task(first!.postTasks[0]!);
    expect(post).toMatchObject({ module: 'ping', when: [], tags: ['net'], vars: {}, register: undefined, loop: undefined, changedWhen: undefined });
  });
});

describe('parsePlaybook: small valid forms', () => {
  const one = (yaml: string): Task => task(parsePlaybook(yaml, 'p.yml', MODULES).plays[0]!.tasks[0]!);
  it.each<[string, string, Partial<Task>]>([
    ['when: a bool', '- ping:\n  when: false', { when: [{ src: 'False', ast: { type: 'literal', value: false }, line: 4 }] }],
    ['tags as one string', '- ping:\n  tags: solo', { tags: ['solo'] }],
    ['tags with numbers', '- ping:\n  tags: [1, b]', { tags: ['1', 'b'] }],
    ['quoted yes for become', "- ping:\n  become: 'yes'", { become: true }],
    ['module with no value', '- ping:', { args: {} }],
    ['command with a comment', '- command: echo hi # not an argument', { args: { argv: ['echo', 'hi'] } }],
    ['a template with spaces and quotes in a word', `- command: echo "{{ a | default('x y') }}"z`, { args: { argv: ['echo', "{{ a | default('x y') }}z"] } }],
    ['argv given as a list', '- command:\n    argv: [ls, -l]', { args: { argv: ['ls', '-l'] } }],
    ['a templated port', "- wait_for:\n    port: '{{ p }}'", { args: { port: '{{ p }}' } }],
  ])('%s', (_, tasks, want) => {
    const yaml = `- hosts: all\n  tasks:\n${tasks.replace(/^/gm, '    ')}\n`;
    expect(one(yaml)).toMatchObject(want);
  });

  it('reads serial as a count, and hosts as a plain pattern', () => {
    const p = parsePlaybook('- hosts: " web:&dc1 "\n  serial: 2\n', 'p.yml', MODULES).plays[0]!;
    expect(p.serial).toEqual({ kind: 'count', count: 2 });
    expect(p.hosts).toBe('web:&dc1');
  });

  it('accepts an empty list of plays', () => {
    expect(parsePlaybook('[]\n', 'p.yml', MODULES).plays).toEqual([]);
  });
});

describe('serialBatchSize', () => {
  it.each<[Parameters<typeof serialBatchSize>[0], number, number]>([
    [undefined, 10, 10],
    [{ kind: 'count', count: 0 }, 10, 10],
    [{ kind: 'count', count: 3 }, 10, 3],
    [{ kind: 'percent', percent: 30 }, 10, 3],
    [{ kind: 'percent', percent: 30 }, 7, 2],
    [{ kind: 'percent', percent: 10 }, 5, 1],
    [{ kind: 'percent', percent: 100 }, 5, 5],
  ])('%j of %i hosts: %i', (serial, hosts, want) => {
    expect(serialBatchSize(serial, hosts)).toBe(want);
  });
});
