import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'ecep-play-cli-'));
const write = (name: string, text: string) => {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
};

describe('ece-preflight play', () => {
  // One line naming file and line, exit 4, and nothing run: every broken shape the parser knows is in test/unit/playbook.
  it.each([
    ['unknown module', '- hosts: all\n  tasks:\n    - name: x\n      comand: echo hi\n', /bad\.yml:4: unknown module 'comand' \(did you mean 'command'\?\)/],
    ['bad argument type', '- hosts: all\n  tasks:\n    - listen:\n        ports: [notaport]\n', /bad\.yml:4: .*ports/],
    ['bad when', '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      when: a ==\n', /bad\.yml:4: /],
    ['bad YAML', '- hosts: all\n  tasks: [\n', /bad\.yml:\d+: /],
    ['missing hosts', '- name: nothing\n  tasks: []\n', /bad\.yml:1: .*hosts/],
  ])('refuses a playbook with %s: one line, exit 4, nothing run', async (_name, text, line) => {
    const file = write('bad.yml', text);
    const touched = path.join(tmp, 'touched');
    const r = await runMain(['play', file, '--no-tui']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(line);
    expect(r.stdout).toBe('');
    expect(existsSync(touched)).toBe(false);
  });

  it('--syntax-check and --list-tasks answer without connecting; --tags selects', async () => {
    const file = write('ok.yml', '- name: p\n  hosts: all\n  tasks:\n    - name: one\n      debug: { msg: hi }\n      tags: [a]\n    - name: two\n      debug: { msg: hi }\n      tags: [b]\n');
    const syntax = await runMain(['play', file, '--syntax-check']);
    expect(syntax.code).toBe(0);
    expect(syntax.stdout).toContain(`playbook: ${file}`);
    const list = await runMain(['play', file, '--list-tasks', '--tags', 'b']);
    expect(list.stdout).toMatch(/two\tTAGS: \[b\]/);
    expect(list.stdout).not.toMatch(/one\tTAGS/);
  });

  it('runs tasks on the embedded localhost: when, register, assert, loop, ignore_errors, and the recap', async () => {
    const file = write(
      'local.yml',
      `- name: local
  hosts: all
  gather_facts: true
  vars: { greeting: hello }
  tasks:
    - name: echo
      command: echo {{ greeting }}
      register: out
      changed_when: false
    - name: the output is what was echoed
      assert:
        that:
          - out.stdout == 'hello'
          - ansible_facts.kernel is defined
    - name: skipped by when
      debug: { msg: never }
      when: out.rc != 0
    - name: loop
      shell: "test {{ item }} -gt 0"
      loop: [1, 2]
    - name: fails but ignored
      command: "false"
      ignore_errors: true
`,
    );
    const r = await runMain(['play', file, '--no-tui']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/TASK \[Gathering Facts\]/);
    expect(r.stdout).toMatch(/ok: \[localhost\] hello/);
    expect(r.stdout).toMatch(/ok: \[localhost\] All assertions passed/);
    expect(r.stdout).toMatch(/skipping: \[localhost\]/);
    expect(r.stdout).toMatch(/\.\.\.ignoring/);
    expect(r.stdout).toMatch(/localhost\s+: ok=5\s+changed=1\s+unreachable=0\s+failed=0\s+skipped=1\s+rescued=0\s+ignored=1/);
    expect(r.stdout).toMatch(/PASSED: every task ran on every host \(1 host\)/);
  });

  it('a failing assert fails the host, names it, and exits 2; rescue recovers it', async () => {
    const fail = write('fail.yml', "- hosts: all\n  gather_facts: false\n  tasks:\n    - assert: { that: '1 == 2', fail_msg: 'one is not two' }\n");
    const r = await runMain(['play', fail, '--no-tui']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/fatal: \[localhost\]: FAILED! => one is not two/);
    expect(r.stdout).toMatch(/INCOMPLETE: 1 of 1 host not checked/);
    const rescued = write('rescue.yml', "- hosts: all\n  gather_facts: false\n  tasks:\n    - block:\n        - assert: { that: '1 == 2' }\n      rescue:\n        - debug: { msg: recovered }\n");
    const ok = await runMain(['play', rescued, '--no-tui']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/localhost\s+: ok=1\s+changed=0\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=1/);
  });
});

describe('colour', () => {
  it('honours NO_COLOR (non-empty) and FORCE_COLOR, in a pipe and on a terminal', async () => {
    const { useColor } = await import('../../../src/cli/io.js');
    const io = (env: Record<string, string>, isTTY: boolean) => ({ stdout: { isTTY, write: () => true }, stderr: { write: () => true }, env, cwd: '.' }) as never;
    expect(useColor(io({}, true))).toBe(true);
    expect(useColor(io({ NO_COLOR: '1' }, true))).toBe(false);
    expect(useColor(io({ NO_COLOR: '' }, true))).toBe(true);
    expect(useColor(io({}, false))).toBe(false);
    expect(useColor(io({ FORCE_COLOR: '1' }, false))).toBe(true);
    expect(useColor(io({ FORCE_COLOR: '0' }, true))).toBe(false);
    expect(useColor(io({ FORCE_COLOR: '1', NO_COLOR: '1' }, false))).toBe(false);
  });
});

describe('reports that cannot be written', () => {
  it('one line each, the other reports still written, no stack trace; a clean run then exits 5', async () => {
    const md = path.join(tmp, 'ok.md');
    const r = await runMain(['play', 'playbooks/facts.yml', '--no-tui', '--no-save', '--json', '/dev/null/run.json', '--report', md]);
    expect(r.stderr).toMatch(/^ERROR: cannot write the json report \/dev\/null\/run\.json: E[A-Z]+: /m);
    expect(r.stderr).not.toMatch(/INTERNAL ERROR|at .*\.ts:\d+/);
    expect(existsSync(md)).toBe(true);
    expect(r.code).toBe(5);
  });
});

describe('hostile files', () => {
  it('binary junk as an inventory is one line, exit 4, with control characters shown, not sent to the terminal', async () => {
    const junk = path.join(tmp, 'junk.ini');
    writeFileSync(junk, Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x0d, 0x5b, 0x9b, 0x00, 0x41, 0x0a]));
    const r = await runMain(['inventory', '--list', '-i', junk]);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stderr).toMatch(/\\x1b/);
  });
});

describe('--limit and the rest of the inventory', () => {
  it('hosts outside --limit stay unread (a vaulted address there does not stop a play), unless the play is a firewall, which must allow from them', async () => {
    const inv = write('vault-outside.yml', 'all:\n  hosts:\n    h1:\n      ansible_host: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        3132\n    h2:\n      ansible_connection: local\n      ansible_host: 127.0.0.1\n');
    const pb = write('hello.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: hi }\n');
    const ok = await runMain(['play', pb, '-i', inv, '--limit', 'h2', '--no-tui', '--no-save']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const fw = await runMain(['play', 'playbooks/firewall.yml', '-i', inv, '--limit', 'h2', '--check', '--no-tui', '--no-save']);
    expect(fw.code).toBe(4);
    expect(fw.stderr).toMatch(/host h1: ansible_host: is vault-encrypted/);
  });
});
