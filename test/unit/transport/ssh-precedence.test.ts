import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FleetHost } from '../../../src/model/fleet.js';
import { resolveTarget, type ResolveOptions } from '../../../src/transport/ssh-resolve.js';
import { testHost } from '../../fixtures/fleet-host.js';

// The precedence table: command line > inventory > ssh_config > defaults,
// through OpenSSH itself (`ssh -G`, local, contacts nothing) and through the
// built-in parser used where no ssh client is installed. Each layer sets a
// different value, so every row shows which layer won.
const hasSsh = spawnSync('ssh', ['-V']).status === 0;
const dir = mkdtempSync(path.join(os.tmpdir(), 'ecep-prec-'));
const config = path.join(dir, 'ssh_config');
writeFileSync(
  config,
  ['Host web', '  HostName 10.9.9.9', '  User cfguser', '  Port 2200', '  StrictHostKeyChecking no', '  ConnectTimeout 5', '  UserKnownHostsFile /cfg/kh', ''].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const host = testHost;

const defaults: ResolveOptions = { hostKeyChecking: 'accept-new', connectTimeoutMs: 3000, knownHostsFiles: ['/d/kh'], home: '/home/me', localUser: os.userInfo().username };
const inventory: Partial<FleetHost> = {
  user: 'invuser',
  port: 2222,
  vars: { ansible_port: 2222 },
  sshCommonArgs: '-o StrictHostKeyChecking=yes -o ConnectTimeout=6 -o UserKnownHostsFile=/inv/kh',
};
const commandLine = { hostKeyChecking: 'off' as const, connectTimeoutMs: 9000, knownHostsFiles: ['/cl/kh'] };

const rows: Array<{ layers: string; over: Partial<FleetHost>; opts: ResolveOptions; want: Record<string, unknown> }> = [
  {
    layers: 'defaults',
    over: {},
    opts: { ...defaults, sshConfigFile: null },
    want: { hostname: 'web', user: os.userInfo().username, port: 22, hostKeyChecking: 'accept-new', connectTimeoutMs: 3000, knownHostsFiles: ['/d/kh'] },
  },
  {
    layers: 'ssh_config > defaults',
    over: {},
    opts: { ...defaults, sshConfigFile: config },
    want: { hostname: '10.9.9.9', user: 'cfguser', port: 2200, hostKeyChecking: 'off', connectTimeoutMs: 5000, knownHostsFiles: ['/cfg/kh'] },
  },
  {
    layers: 'inventory > ssh_config',
    over: inventory,
    opts: { ...defaults, sshConfigFile: config },
    want: { hostname: '10.9.9.9', user: 'invuser', port: 2222, hostKeyChecking: 'strict', connectTimeoutMs: 6000, knownHostsFiles: ['/inv/kh'] },
  },
  {
    layers: 'command line > inventory',
    over: inventory,
    opts: { ...defaults, sshConfigFile: config, commandLine },
    want: { hostname: '10.9.9.9', user: 'invuser', port: 2222, hostKeyChecking: 'off', connectTimeoutMs: 9000, knownHostsFiles: ['/cl/kh'] },
  },
];

for (const via of ['ssh -G', 'built-in parser'] as const) {
  describe.skipIf(via === 'ssh -G' && !hasSsh)(`SSH settings precedence (${via})`, () => {
    for (const row of rows) {
      it(row.layers, async () => {
        const t = await resolveTarget(host(row.over), { ...row.opts, openSsh: via === 'ssh -G' });
        expect(t.resolvedBy).toBe(via);
        expect(t).toMatchObject(row.want);
      });
    }

    it('a command-line strict is not beaten by StrictHostKeyChecking no in the inventory or ssh_config', async () => {
      const t = await resolveTarget(host({ sshCommonArgs: '-o StrictHostKeyChecking=no' }), {
        ...defaults,
        sshConfigFile: config,
        commandLine: { hostKeyChecking: 'strict' },
        openSsh: via === 'ssh -G',
      });
      expect(t.hostKeyChecking).toBe('strict');
    });

    it('follows -F inside ansible_ssh_common_args', async () => {
      const t = await resolveTarget(host({ sshCommonArgs: `-F ${config}` }), { ...defaults, sshConfigFile: null, openSsh: via === 'ssh -G' });
      expect(t).toMatchObject({ hostname: '10.9.9.9', user: 'cfguser', port: 2200, configFile: config });
    });
  });
}

describe.skipIf(!hasSsh)('what only OpenSSH reads', () => {
  it('Include, Match and tokens; the parser says what it cannot honour', async () => {
    const inc = path.join(dir, 'inc.conf');
    const main = path.join(dir, 'main.conf');
    writeFileSync(inc, 'Host alias\n  HostName %h.internal.example\n  User incuser\n');
    writeFileSync(main, `Include ${inc}\nMatch user incuser\n  Port 2022\n`);
    const t = await resolveTarget(host({ name: 'alias', address: 'alias' }), { sshConfigFile: main });
    expect(t).toMatchObject({ hostname: 'alias.internal.example', user: 'incuser', port: 2022 });
    const p = await resolveTarget(host({ name: 'alias', address: 'alias' }), { sshConfigFile: main, openSsh: false });
    expect(p.notes?.[0]).toMatch(/Include \(not followed\).*Match/);
  });

  it('a config OpenSSH refuses is one line naming it', async () => {
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, 'Host web\n  NoSuchOption yes\n');
    await expect(resolveTarget(host(), { sshConfigFile: bad })).rejects.toThrow(/ssh -G: .*bad\.conf.*line 2/);
  });
});
