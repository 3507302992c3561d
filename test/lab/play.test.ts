import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labExec, labHost } from '../../src/lab/lab.js';
import type { RunResult } from '../../src/engine/result.js';
import { probesOf } from '../../src/engine/check-record.js';
import { runCli } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// Plays against a 4-host lab of real OpenSSH servers: h1 director+coordinator,
// h2 proxy, h3 and h4 allocators. h2's sudo asks the lab user for a password.
const used = useLab({ hosts: 4, prefix: 'ecepl', roles: ['director,coordinator', 'proxy', 'allocator', 'allocator'], sudoPassword: ['h2'] });
const dir = used.dir;
const out = (name: string) => path.join(dir, name);
const marker = (name: string) => path.join(dir, `marker-${name}`);

function playbook(name: string, yaml: string): string {
  const file = out(`${name}.yml`);
  writeFileSync(file, yaml);
  return file;
}

async function run(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}) {
  const json = out(`run-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCli([...args, '--no-tui', '--json', json], { timeoutMs: opts.timeoutMs ?? 90_000, env: opts.env });
  const result = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as RunResult) : undefined;
  return { ...r, result };
}

const verdicts = (r: RunResult) => new Map(probesOf(r.checks).map((p) => [p.id, p.verdict]));

describe('plays against a lab of real hosts', () => {
  it('preflight.yml through `play` gives the verdicts of `sweep`; matrix.yml those of its paths', async () => {
    const { lab } = used;
    const sweep = await run(['sweep', '-i', lab.inventoryFile, '--probe-timeout', '700']);
    const play = await run(['play', 'playbooks/preflight.yml', '-i', lab.inventoryFile, '--probe-timeout', '700']);
    expect(sweep.code, sweep.stdout).toBe(0);
    expect(play.code, play.stdout).toBe(0);
    expect(probesOf(play.result!.checks).length).toBe(probesOf(sweep.result!.checks).length);
    expect(verdicts(play.result!)).toEqual(verdicts(sweep.result!));
    expect(play.stdout).toMatch(/TASK \[Probe the ECE port matrix\]/);

    const matrix = await run(['play', 'playbooks/matrix.yml', '-i', lab.inventoryFile, '--probe-timeout', '700']);
    expect(matrix.code, matrix.stdout).toBe(0);
    // every host probes every other host on the four ports: 4 * 3 * 4
    expect(probesOf(matrix.result!.checks)).toHaveLength(48);
    const full = verdicts(sweep.result!);
    for (const p of probesOf(matrix.result!.checks)) {
      expect(p.verdict, p.id).toBe(p.port === 2375 ? 'exposed' : 'ok');
      if (full.has(p.id)) expect(p.verdict, p.id).toBe(full.get(p.id));
    }
    expect(matrix.result!.summary.status).toBe('passed');
    expect(matrix.stdout).toMatch(/h1\s+: ok=4\s+changed=0\s+unreachable=0\s+failed=0/);
  });

  it('--check changes nothing; --tags picks tasks; a failure on one host leaves the others going', async () => {
    const { lab } = used;
    const file = playbook(
      'tasks',
      `- name: tasks
  hosts: all
  gather_facts: false
  tasks:
    - name: fails on h2 only
      command: test {{ inventory_hostname }} != h2
      tags: [a]
    - name: touch a marker
      command: touch ${marker('a')}-{{ inventory_hostname }}
      tags: [a]
    - name: touch b marker
      command: touch ${marker('b')}-{{ inventory_hostname }}
      tags: [b]
`,
    );
    const check = await run(['play', file, '-i', lab.inventoryFile, '--check']);
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/skipping: \[h1\] not supported in check mode/);
    for (const h of ['h1', 'h2', 'h3', 'h4']) expect(existsSync(`${marker('a')}-${h}`)).toBe(false);

    const tagged = await run(['play', file, '-i', lab.inventoryFile, '--tags', 'a']);
    expect(tagged.code, tagged.stdout).toBe(2);
    expect(tagged.stdout).toMatch(/fatal: \[h2\]: FAILED! => non-zero return code 1/);
    expect(tagged.stdout).toMatch(/h2\s+: ok=0\s+changed=0\s+unreachable=0\s+failed=1/);
    expect(tagged.stdout).toMatch(/h1\s+: ok=2\s+changed=2\s+unreachable=0\s+failed=0/);
    expect(['h1', 'h3', 'h4'].every((h) => existsSync(`${marker('a')}-${h}`))).toBe(true);
    expect(existsSync(`${marker('a')}-h2`)).toBe(false);
    expect(['h1', 'h2', 'h3', 'h4'].some((h) => existsSync(`${marker('b')}-${h}`))).toBe(false);
    expect(tagged.result!.summary.hostsNotChecked).toEqual([{ name: 'h2', state: 'failed', phase: 'task', reason: 'failed (task): non-zero return code 1' }]);
  });

  it('runs the always tasks after Ctrl-C, and leaves no listener behind (exit 99)', async () => {
    const { lab } = used;
    const file = playbook(
      'interrupt',
      `- name: interrupted
  hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: listen
          listen: { ports: [20000, 21000] }
        - name: wait
          command: sleep 2
        - name: never reached
          command: touch ${marker('never')}-{{ inventory_hostname }}
      always:
        - name: cleanup
          command: touch ${marker('always')}-{{ inventory_hostname }}
`,
    );
    let sent = false;
    const r = await runCli(['play', file, '-i', lab.inventoryFile, '--no-tui'], {
      timeoutMs: 60_000,
      onStdout: (chunk, child) => {
        if (!sent && /TASK \[wait\]/.test(chunk)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    expect(sent, r.stdout).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(99);
    for (const h of ['h1', 'h2', 'h3', 'h4']) {
      expect(existsSync(`${marker('always')}-${h}`), h).toBe(true);
      expect(existsSync(`${marker('never')}-${h}`), h).toBe(false);
      const ss = await labExec(labHost(lab, h), ['ss', '-ltnH']);
      expect(ss.stdout, h).not.toMatch(/:(20000|21000)\s/);
    }
  });

  describe('become, as a non-root lab user', () => {
    const asUser = () => {
      const { lab } = used;
      const file = out('inventory-user.yml');
      writeFileSync(file, readFileSync(lab.inventoryFile, 'utf8').replace(/ansible_user: root/, `ansible_user: ${lab.user!.name}`));
      return file;
    };
    const facts = 'playbooks/facts.yml';

    it('without become, firewall rules are "not visible", not zero; sudo -n works where sudo needs no password', async () => {
      const inv = asUser();
      const plain = await run(['play', facts, '-i', inv, '--limit', 'h1']);
      expect(plain.code, plain.stdout + plain.stderr).toBe(0);
      expect(plain.result!.hosts[0]!.facts!.firewall!.rulesVisible).toBe(false);
      expect(plain.stdout).toMatch(/rules not visible without become/);
      const become = await run(['play', facts, '-i', inv, '--limit', 'h1,h3', '-b']);
      expect(become.code, become.stdout + become.stderr).toBe(0);
      for (const h of become.result!.hosts) expect(h.facts!.firewall!.rulesVisible, h.name).toBeUndefined();
    });

    it('a password host: none given fails that host with a clear line, the right one works and is seen nowhere, a wrong one fails', async () => {
      const { lab } = used;
      const inv = asUser();
      const password = lab.user!.password;
      const none = await run(['play', facts, '-i', inv, '--limit', 'h1,h2', '-b']);
      expect(none.code).toBe(2);
      expect(none.stdout).toMatch(/fatal: \[h2\]: FAILED! => become: sudo needs a password here/);
      expect(none.result!.hosts.find((h) => h.name === 'h1')!.state).toBe('done');

      const right = await run(['play', facts, '-i', inv, '--limit', 'h2', '-b'], { env: { ECE_PREFLIGHT_BECOME_PASS: password } });
      expect(right.code, right.stdout + right.stderr).toBe(0);
      const json = readFileSync(out(readdirLast()), 'utf8');
      for (const text of [right.stdout, right.stderr, json]) expect(text).not.toContain(password);

      const wrong = await run(['play', facts, '-i', inv, '--limit', 'h2', '-b'], { env: { ECE_PREFLIGHT_BECOME_PASS: `${password}x` }, timeoutMs: 60_000 });
      expect(wrong.code).toBe(2);
      expect(wrong.stdout).toMatch(/fatal: \[h2\]: FAILED! => become: sudo refused the password/);
    });
  });
});

/** The newest run-*.json in the lab folder. */
function readdirLast(): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('run-'))
    .sort((a, b) => statSync(out(a)).mtimeMs - statSync(out(b)).mtimeMs)
    .at(-1)!;
}
