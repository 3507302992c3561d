import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.js';

// What people used to Ansible type, through the whole CLI.
const tree = fileURLToPath(new URL('../../fixtures/inventory/ansible-cli/tree/', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'ecep-habits-'));
const file = (name: string, text: string): string => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const oneLine = (stderr: string): void => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.split('\n')[0]).toMatch(/^ERROR: /);
  expect(stderr).not.toMatch(/INTERNAL/);
};

describe('inventory sources', () => {
  it('two -i are merged in order (no crash)', async () => {
    const a = file('a.ini', '[directors]\nd1 ansible_host=198.18.0.11\n');
    const b = file('b.yml', 'all:\n  children:\n    proxies:\n      hosts:\n        p1:\n          ansible_host: 198.18.0.12\n');
    const r = await runMain(['plan', '-i', a, '-i', b, '--json']);
    expect(r.code, r.stderr).toBe(0);
    // Ansible's order too: b.yml puts proxies under `all` itself, directors joins it when the inventory is reconciled, after both files.
    expect(JSON.parse(r.stdout).hosts.map((h: { host: { name: string } }) => h.host.name)).toEqual(['p1', 'd1']);
    const hosts = await runMain(['sweep', '-i', a, '-i', b, '--list-hosts']);
    expect(hosts.stdout).toBe('  hosts (2):\n    p1\n    d1\n');
  });

  it('a folder of inventory files, and a comma host list', async () => {
    const r = await runMain(['sweep', '-i', path.join(tree, 'invdir'), '--list-hosts']);
    expect(r.code, r.stderr).toBe(0);
    // as `ansible all -i invdir --list-hosts`: .ini, .txt, .retry, ~ and hidden files are not read
    expect(r.stdout).toBe('  hosts (5):\n    d1\n    d2\n    w1\n    w2\n    s1\n');
    const list = await runMain(['sweep', '-i', 'h1,h2:2222,', '--list-hosts']);
    expect(list.stdout).toBe('  hosts (2):\n    h1\n    h2\n');
  });

  it('ANSIBLE_INVENTORY is used when there is no -i', async () => {
    const r = await runMain(['sweep', '--list-hosts'], { ANSIBLE_INVENTORY: 'patterns.ini' }, { cwd: tree });
    expect(r.stdout).toMatch(/^ {2}hosts \(10\):\n {4}loose\n/);
  });

  it('a vaulted value is shown as ansible-inventory shows it, and only stops a sweep where it is needed', async () => {
    const list = await runMain(['inventory', '--host', 'h1', '-i', path.join(tree, 'vault.yml')]);
    expect(JSON.parse(list.stdout).ansible_become_password.__ansible_vault).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect((await runMain(['plan', '-i', path.join(tree, 'vault.yml')])).code).toBe(0);
    const p = file('vaulted-host.yml', 'all:\n  hosts:\n    h1:\n      ansible_host: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        3132\n    h2:\n      ansible_host: 198.18.0.2\n');
    const r = await runMain(['plan', '-i', p]);
    expect(r.code).toBe(4);
    oneLine(r.stderr);
    expect(r.stderr.split('\n')[0]).toMatch(/vaulted-host\.yml:4: host h1: ansible_host: is vault-encrypted/);
    // outside --limit it does not matter
    expect((await runMain(['plan', '-i', p, '--limit', 'h2'])).code).toBe(0);
  });

  it('a vault-encrypted group_vars file is left aside with a warning', async () => {
    const dir = mkdtempSync(path.join(tmp, 'vaultdir-'));
    writeFileSync(path.join(dir, 'hosts.ini'), '[directors]\nd1 ansible_host=198.18.0.11\n');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'group_vars', 'all'), { recursive: true });
    writeFileSync(path.join(dir, 'group_vars', 'all', 'vault.yml'), '$ANSIBLE_VAULT;1.1;AES256\n3132\n');
    writeFileSync(path.join(dir, 'group_vars', 'all', 'vars.yml'), 'ece_version: "3.8"\n');
    const r = await runMain(['inventory', '--host', 'd1', '-i', path.join(dir, 'hosts.ini')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ansible_host: '198.18.0.11', ece_version: '3.8' });
    expect(r.stderr).toMatch(/\[WARNING\]: .*vault\.yml: vault-encrypted vars file not read/);
  });

  it('host names in other scripts are read', async () => {
    const r = await runMain(['plan', '-i', path.join(tree, 'unicode.ini'), '--limit', 'hôte1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts[0].host).toMatchObject({ name: 'hôte1', address: 'hôte1', port: 2222 });
  });
});

describe('-e', () => {
  it('k=v pairs, quoted values, strings stay strings', async () => {
    const r = await runMain(['inventory', '--host', 'localhost', '-i', 'localhost,', '-e', "a=1 b='x y'", '-e', 'ece_version=3.10']);
    expect(JSON.parse(r.stdout)).toEqual({ a: '1', b: 'x y', ece_version: '3.10' });
  });

  it('-e @missing.yml: one line naming it, exit 5', async () => {
    const r = await runMain(['plan', '-e', '@missing.yml']);
    expect(r.code).toBe(5);
    oneLine(r.stderr);
    expect(r.stderr.split('\n')[0]).toBe(`ERROR: -e @missing.yml: no such file (${path.resolve('missing.yml')})`);
  });

  it('a file name without @, a list, words without = and unbalanced quotes: exit 5, one line', async () => {
    for (const e of ['./vars.yml', '[1, 2]', 'justaword', "a='open"]) {
      const r = await runMain(['plan', '-e', e]);
      expect(r.code, e).toBe(5);
      oneLine(r.stderr);
      expect(r.stderr).toContain(e);
    }
  });

  it('ece_roles as a JSON list through -e is a list', async () => {
    const r = await runMain(['plan', '-i', 'h1,', '-e', '{"ece_roles": ["director", "proxy"]}', '--json']);
    expect(JSON.parse(r.stdout).hosts[0].host.roles).toEqual(['director', 'proxy']);
    const s = await runMain(['plan', '-i', 'h1,', '-e', 'ece_roles=["allocator"]', '--json']);
    expect(JSON.parse(s.stdout).hosts[0].host.roles).toEqual(['allocator']);
  });
});

describe('--limit and the inventory command', () => {
  it('inventory --list honours --limit as current upstream ansible-inventory does (2.14 has no --limit)', async () => {
    const r = await runMain(['inventory', '--list', '-i', path.join(tree, 'patterns.ini'), '--limit', 'proxies,ctl1']);
    const list = JSON.parse(r.stdout);
    expect(list.proxies.hosts).toEqual(['proxy1', 'proxy2']);
    expect(list.directors.hosts).toEqual(['ctl1']);
    expect(list.allocators).toBeUndefined();
    expect(list.zone1.hosts).toEqual(['ctl1', 'proxy1']);
    expect(list.ungrouped).toBeUndefined();
  });

  it('--limit @file reads one pattern per line', async () => {
    const f = file('retry.txt', 'ctl2\n\nproxy2\n');
    const r = await runMain(['sweep', '-i', path.join(tree, 'patterns.ini'), '--limit', `@${f}`, '--list-hosts']);
    expect(r.stdout).toBe('  hosts (2):\n    ctl2\n    proxy2\n');
  });

  it('refuses what it would otherwise ignore', async () => {
    const inv = path.join(tree, 'patterns.ini');
    expect((await runMain(['inventory', '--graph', '-i', inv, '--limit', 'ctl1'])).code).toBe(5);
    expect((await runMain(['inventory', '--list', '--graph', '-i', inv])).stderr).toMatch(/Conflicting options/);
    expect((await runMain(['inventory', '-i', inv])).stderr).toMatch(/No action selected/);
    const host = await runMain(['inventory', '--host', 'ctl*', '-i', inv]);
    expect(host.code).toBe(5);
    expect(host.stderr).toMatch(/single valid host/);
    expect((await runMain(['inventory', '--graph', 'nosuch', '-i', inv])).stderr).toMatch(/Pattern must be valid group name/);
  });
});

describe('connection flags', () => {
  it('--list-hosts prints the hosts and connects to none', async () => {
    const r = await runMain(['sweep', '-i', path.join(tree, 'patterns.ini'), '--limit', 'directors', '--list-hosts', '-u', 'ops', '-T', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('  hosts (3):\n    ctl1\n    ctl2\n    ctl3\n');
    expect(r.stderr).toBe('');
  });

  it('-u and --private-key fill hosts without ansible_user / a key; the inventory wins', async () => {
    const p = file('users.ini', '[directors]\nd1 ansible_host=198.18.0.11\nd2 ansible_host=198.18.0.12 ansible_user=elastic\n');
    const r = await runMain(['inventory', '--fleet', '-i', p]);
    const fleet = JSON.parse(r.stdout);
    expect(fleet.hosts[0].user).toBeUndefined();
    const { loadInventoryFromArgs } = await import('../../../src/cli/load-fleet.js');
    const { connectionSettingsFrom } = await import('../../../src/cli/connection-settings.js');
    const io = { stdout: process.stdout, stderr: process.stderr, env: { HOME: tmp }, cwd: tmp };
    const settings = connectionSettingsFrom({ user: 'ops', privateKey: 'k/id' }, { warnings: [] }, io);
    const hosts = loadInventoryFromArgs({ inventory: [p] }, io, { warnings: [] }, settings.hostDefaults).resolveFleet().hosts;
    expect(hosts.map((h) => [h.user, h.privateKeyFile])).toEqual([
      ['ops', path.join(tmp, 'k/id')],
      ['elastic', path.join(tmp, 'k/id')],
    ]);
  });

  it('flags win over ANSIBLE_* which win over ansible.cfg', async () => {
    const { connectionSettingsFrom } = await import('../../../src/cli/connection-settings.js');
    const { readAnsibleConfig } = await import('../../../src/config/ansible-cfg.js');
    const io = { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: path.join(tree, 'cfg') };
    const cfg = readAnsibleConfig({ env: { HOME: tmp, ANSIBLE_FORKS: '7' }, cwd: path.join(tree, 'cfg') });
    const fromCfg = connectionSettingsFrom({}, cfg, io);
    expect(fromCfg).toMatchObject({ forks: 7, connectTimeoutSec: 25, hostKeyChecking: 'off', becomeUser: 'admin', hostDefaults: { user: 'ops', become: true, privateKeyFile: path.join(tmp, '.ssh/ece_key') } });
    const fromFlags = connectionSettingsFrom({ forks: 2, timeout: 4, user: 'me', hostKeyChecking: 'strict', verbose: 3 }, cfg, io);
    expect(fromFlags).toMatchObject({ forks: 2, connectTimeoutSec: 4, hostKeyChecking: 'strict', verbosity: 3, hostDefaults: { user: 'me' } });
    const none = connectionSettingsFrom({}, { warnings: [] }, io);
    expect(none).toMatchObject({ forks: 50, connectTimeoutSec: 10, hostKeyChecking: 'strict', verbosity: 0, listHosts: false });
  });

  it('a bad forks in ansible.cfg names the file and line; -T 0 is refused', async () => {
    const dir = mkdtempSync(path.join(tmp, 'cfg-'));
    writeFileSync(path.join(dir, 'ansible.cfg'), '[defaults]\nforks = many\n');
    const r = await runMain(['sweep', '--list-hosts'], {}, { cwd: dir });
    expect(r.code).toBe(5);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`${path.join(dir, 'ansible.cfg')}:2: forks: expected a whole number`);
    expect((await runMain(['sweep', '-T', '0', '--list-hosts'])).code).toBe(5);
  });

  it('--timeout is the SSH connect timeout (s); the old ms value gets a warning; --probe-timeout is the probe timeout', async () => {
    const r = await runMain(['sweep', '--timeout', '700', '--list-hosts']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--probe-timeout/);
    expect((await runMain(['sweep', '--probe-timeout', '5', '--list-hosts'])).code).toBe(5);
  });

  it('-vvv shows each SSH connection\'s resolved target before connecting', async () => {
    const { connectionFactory, sshOptions } = await import('../../../src/cli/connection-factory.js');
    const { PassThrough } = await import('node:stream');
    const stderr = new PassThrough();
    let err = '';
    stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const io = { stdout: process.stdout, stderr, env: {}, cwd: tmp };
    const settings = { hostDefaults: {}, connectTimeoutSec: 7, forks: 1, hostKeyChecking: 'off' as const, verbosity: 4, listHosts: false };
    const opts = sshOptions(settings, io);
    expect(opts.debug).toBeTypeOf('function');
    const { toFleet } = await import('../../../src/inventory/fleet.js');
    const { parseIni } = await import('../../../src/inventory/parse-ini.js');
    const fleet = toFleet(parseIni('h1 ansible_host=127.0.0.1 ansible_user=ops ansible_ssh_private_key_file=/k/id\n', 'x.ini'), 'x.ini');
    connectionFactory({ ...opts, sshConfigFile: null }, { verbosity: 3, io })(fleet.hosts[0]!);
    expect(err).toMatch(/^<h1> ESTABLISH SSH CONNECTION FOR USER: ops TO 127\.0\.0\.1:22 KEY: \/k\/id HOST KEY CHECKING: off .* TIMEOUT: 7 s\n$/);
  });
});
