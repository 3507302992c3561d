import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'ecep-cli-'));
const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('ece-preflight plan', () => {
  it('gives the identical --json plan for the INI and the YAML example fleet', async () => {
    const ini = await runMain(['plan', '-i', 'inventories/example.ini', '--json']);
    const yml = await runMain(['plan', '-i', 'inventories/example.yml', '--json']);
    expect(ini.code).toBe(0);
    expect(yml.code).toBe(0);
    const plan = JSON.parse(ini.stdout);
    expect(plan.hosts).toHaveLength(11);
    expect(plan.probes.length).toBeGreaterThan(1000);
    expect(yml.stdout).toBe(ini.stdout);
  });

  it('prints the role matrix and per-host counts', async () => {
    const r = await runMain(['plan', '-i', 'inventories/example.ini']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/director\s+-> director\s+2112, 12191-12201, 12898-12908, 13898-13908/);
    expect(r.stdout).toMatch(/external\s+-> proxy\s+22, 9200, 9243, 9300, 9343/);
    expect(r.stdout).toMatch(/Must NOT be reachable from other hosts: 53, 2180, 2191-2199, 2375, 5000-5010, 8080-8084, 9000, 9043, 9244/);
    expect(r.stdout).toMatch(/alloc06\.dc1\.example\.com\s+allocator\s+\d+\s+\d+/);
  });

  it('narrows the fleet with --limit and pair-samples with --pairs', async () => {
    const r = await runMain(['plan', '-i', 'inventories/example.ini', '--limit', 'alloc0[1-3]*', '--json']);
    expect(JSON.parse(r.stdout).hosts.map((h: { host: { name: string } }) => h.host.name)).toEqual([
      'alloc01.dc1.example.com',
      'alloc02.dc1.example.com',
      'alloc03.dc1.example.com',
    ]);
    const all = JSON.parse((await runMain(['plan', '-i', 'inventories/example.ini', '--json'])).stdout);
    const paired = JSON.parse((await runMain(['plan', '-i', 'inventories/example.ini', '--json', '--pairs', '1'])).stdout);
    expect(paired.probes.length).toBeLessThan(all.probes.length);
  });
});

describe('ece-preflight inventory --list', () => {
  it('prints the ansible-inventory --list shape', async () => {
    const r = await runMain(['inventory', '--list', '-i', 'inventories/example.ini']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list._meta.hostvars['alloc01.dc1.example.com']).toBeDefined();
    expect(list.all.children).toContain('ungrouped');
  });
});

describe('bad input: one line, the right exit code, no stack trace', () => {
  const expectOneLine = (stderr: string) => {
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr.split('\n')[0]).toMatch(/^ERROR: /);
  };

  it('a missing inventory file: exit 4 naming it', async () => {
    const r = await runMain(['plan', '-i', path.join(tmp, 'nope.ini')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('nope.ini');
    expectOneLine(r.stderr);
  });

  it('malformed YAML: exit 4 naming file and line', async () => {
    const p = file('bad.yml', 'all:\n  hosts:\n    a:\n      ansible_host: [unclosed\n');
    const r = await runMain(['plan', '-i', p]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`${p.replace(/[.]/g, '\\.')}:\\d+`));
    expectOneLine(r.stderr);
  });

  it('an unknown role: exit 4 naming the host', async () => {
    const p = file('role.ini', '[all]\nh1 ansible_host=198.18.0.11 ece_roles=director,kibana\n');
    const r = await runMain(['plan', '-i', p]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/role\.ini:2/);
    expect(r.stderr).toMatch(/h1/);
    expect(r.stderr).toMatch(/kibana/);
  });

  it('a bad port: exit 4 naming file and line', async () => {
    const p = file('port.ini', '[directors]\nd1 ansible_host=198.18.0.11 ansible_port=70000\n');
    const r = await runMain(['plan', '-i', p]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/port\.ini:2/);
  });

  it('a range that expands to nothing: exit 4', async () => {
    const p = file('range.ini', '[allocators]\nalloc[5:1]\n');
    const r = await runMain(['plan', '-i', p]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/range\.ini:2/);
  });

  it('an undefined group in --limit: exit 5 naming the pattern', async () => {
    const r = await runMain(['plan', '-i', 'inventories/example.ini', '--limit', 'kibanas']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/kibanas/);
    expectOneLine(r.stderr);
  });

  it('bad options: exit 5', async () => {
    expect((await runMain(['sweep', '--forks', '0'])).code).toBe(5);
    expect((await runMain(['sweep', '--ports', 'most'])).code).toBe(5);
    expect((await runMain(['frobnicate'])).code).toBe(5);
    expect((await runMain(['sweep', '-e', 'no-equals'])).code).toBe(5);
    expect((await runMain([])).code).toBe(5);
    const typo = await runMain(['plan', '--skip', 'outbund']);
    expect(typo.code).toBe(5);
    expect(typo.stderr).toMatch(/--skip outbund: not a check/);
    expect((await runMain(['plan', '--enable', 'kibana'])).stderr).toMatch(/--enable kibana: not an optional check; known: ccs/);
  });

  it('--help lists the commands and exit codes', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['sweep', 'plan', 'inventory', 'lab', 'report']) expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/4 parse error/);
  });
});

describe('ece-preflight sweep on the embedded localhost', () => {
  it('binds every role port, probes it and exits 0 (outbound skipped: no internet in tests)', async () => {
    const json = path.join(tmp, 'local.json');
    const r = await runMain(['sweep', '--skip', 'outbound', '--json', json]);
    expect(r.stdout).toMatch(/PLAY RECAP/);
    expect(r.stdout).toMatch(/localhost\s+: ok=6\s+changed=0\s+unreachable=0\s+failed=0\s+skipped=1\s+rescued=0\s+ignored=0\s+blocked=0/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const result = JSON.parse((await import('node:fs')).readFileSync(json, 'utf8'));
    expect(result.schema).toBe('ece-preflight/run@3');
    expect(result.hosts[0].facts.kernel).toMatch(/Linux/);
    expect(result.hosts[0].listeners.bound).toEqual(expect.arrayContaining([2112, 9200, 12300, 20000, 21000, 22000, 2375]));
    expect(result.checks.filter((c: { kind: string }) => c.kind === 'outbound')).toEqual([]);
  });

  it('writes every report format, and `report` re-renders a saved run', async () => {
    const at = (n: string) => path.join(tmp, n);
    // An empty run history: no "Changes since the last run" section, which `report` (one run) would not re-render.
    const r = await runMain(['sweep', '--skip', 'outbound', '--state-dir', at('fresh-state'), '--json', at('r.json'), '--junit', at('r.xml'), '--report', at('r.md'), '--report', at('r.html')]);
    expect(r.code, r.stderr).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(at('r.xml'), 'utf8')).toMatch(/<testsuites[^>]*failures="0"/);
    expect(readFileSync(at('r.md'), 'utf8')).toMatch(/localhost/);
    expect(readFileSync(at('r.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    const md = await runMain(['report', at('r.json'), '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(readFileSync(at('r.md'), 'utf8'));
    const html = await runMain(['report', at('r.json'), '--format', 'html', '-o', at('again.html')]);
    expect(html.code).toBe(0);
    expect(readFileSync(at('again.html'), 'utf8')).toBe(readFileSync(at('r.html'), 'utf8'));
    const perRule = await runMain(['report', at('r.json'), '--format', 'junit', '--junit-per', 'rule']);
    expect(perRule.code, perRule.stderr).toBe(0);
    expect(perRule.stdout).toMatch(/<testcase name="[\w-]+ on localhost"/);
    expect(perRule.stdout).not.toMatch(/<testcase name="[^"]* -> localhost:\d+"/);
    expect((await runMain(['report', at('r.json'), '--format', 'junit', '--junit-per', 'host'])).code).toBe(5);
    // a file that is not a run is refused with exit 4, naming it
    const bad = await runMain(['report', at('r.xml')]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/r\.xml/);
    // the next run's report says what changed since this one (the run history's last)
    const again = await runMain(['sweep', '--skip', 'outbound', '--state-dir', at('fresh-state'), '--report', at('r2.md')]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(at('r2.md'), 'utf8')).toMatch(/## Changes since the last run\n\nCompared with the run started /);
    // `report` takes runs from the history too, and --since gives md/html that section for any earlier run
    const first = JSON.parse(readFileSync(at('r.json'), 'utf8')) as { startedAt: string };
    const since = await runMain(['report', 'last', '--since', 'last~1', '--state-dir', at('fresh-state')]);
    expect(since.code, since.stderr).toBe(0);
    expect(since.stdout).toContain(`## Changes since the last run\n\nCompared with the run started ${first.startedAt}`);
    const plainLast = await runMain(['report', 'last', '--state-dir', at('fresh-state')]);
    expect(plainLast.stdout).not.toContain('## Changes since');
    const junitSince = await runMain(['report', 'last', '--since', at('r.json'), '--state-dir', at('fresh-state'), '--format', 'junit']);
    expect(junitSince.code).toBe(0);
    expect(junitSince.stderr).toMatch(/--since is for md and html reports/);
    expect((await runMain(['report', 'last~5', '--state-dir', at('fresh-state')])).code).toBe(5);
    const pdf = await runMain(['sweep', '--skip', 'outbound', '--report', at('r.pdf')]);
    expect(pdf.code).toBe(5);
    expect(pdf.stdout).toBe(''); // refused before anything ran
  });

  it('points the outbound check at a configured target (-e ece_registry, ece_install_script_host), here a port nothing holds', async () => {
    const json = path.join(tmp, 'outbound.json');
    // Both outbound targets on loopback: a unit test never reaches docker.elastic.co or download.elastic.co.
    const r = await runMain(['sweep', '-e', 'ece_registry=127.0.0.1:9', '-e', 'ece_install_script_host=127.0.0.1:9', '--json', json]);
    expect(r.code).toBe(2);
    const result = JSON.parse((await import('node:fs')).readFileSync(json, 'utf8'));
    const outbound = result.checks.filter((c: { kind: string }) => c.kind === 'outbound');
    expect(outbound.length).toBeGreaterThan(0);
    for (const o of outbound) {
      expect(o.to).toBe('127.0.0.1');
      expect(o.verdict).toBe('blocked');
    }
    // one endpoint serving both: one check citing both rules
    expect(outbound.map((o: { rules: string[] }) => o.rules)).toEqual([['outbound-registry-https', 'outbound-install-script']]);
  });
});
