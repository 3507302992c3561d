import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshG, readSshG } from '../../../src/transport/ssh-g-output.js';
import { expandProxyCommand } from '../../../src/transport/proxy-command.js';
import { jumpFromProxyCommand, sshGArgs, targetFromAnswer } from '../../../src/transport/ssh-options.js';
import { testHost } from '../../fixtures/fleet-host.js';

// Captured from OpenSSH 9.2 (`ssh -G`): the baseline with no config, then a
// config whose Host block comes through an Include, a ProxyCommand host, and
// the inventory's -o options over the config.
const sample = (name: string) => parseSshG(readFileSync(path.join(__dirname, '../../fixtures/ssh-g', name), 'utf8'));
const baseline = sample('baseline.txt');

const host = testHost;

describe('ssh -G output', () => {
  it('keeps repeated keywords in order', () => {
    expect(baseline.get('identityfile')).toEqual([
      '~/.ssh/id_rsa',
      '~/.ssh/id_ecdsa',
      '~/.ssh/id_ecdsa_sk',
      '~/.ssh/id_ed25519',
      '~/.ssh/id_ed25519_sk',
      '~/.ssh/id_xmss',
      '~/.ssh/id_dsa',
    ]);
    expect(baseline.get('host')).toEqual(['localhost']);
  });

  it("leaves OpenSSH's own defaults out, so the tool's defaults can fill them", () => {
    expect(readSshG(baseline, baseline)).toEqual({ hostname: 'localhost', port: 22, user: 'root' });
    expect(readSshG(sample('proxycommand-db.txt'), baseline)).toEqual({
      hostname: '10.1.2.4',
      port: 22,
      user: 'root',
      connectTimeoutMs: 7000,
      proxyCommand: 'sh -c "exec socat - TCP:%h:%p"',
    });
  });

  it('reads a Host block that came through an Include', () => {
    expect(readSshG(sample('include-web.txt'), baseline)).toEqual({
      hostname: '10.1.2.3',
      port: 2200,
      user: 'webu',
      identityFiles: ['~/.ssh/web_%r'],
      knownHostsFiles: ['/root/.ssh/kh_web'],
      hostKeyChecking: 'accept-new',
      connectTimeoutMs: 7000,
      proxyJump: 'ops@bastion:2222',
    });
  });

  it("reads the inventory's -o options above the config (OpenSSH: first value wins)", () => {
    const a = readSshG(sample('inventory-over-config.txt'), baseline);
    expect(a).toMatchObject({ user: 'inv', port: 22, hostKeyChecking: 'off', hostname: '10.1.2.3' });
  });

  it('refuses an answer without host name, user or port', () => {
    expect(() => readSshG(parseSshG('user root\n'), baseline)).toThrow(/no usable hostname/);
  });
});

describe('target from an ssh -G answer', () => {
  const home = '/home/me';
  it('expands tokens in identity files and turns ProxyJump into hops', () => {
    const t = targetFromAnswer(readSshG(sample('include-web.txt'), baseline), host(), { home, localUser: 'me' });
    expect(t).toMatchObject({
      hostname: '10.1.2.3',
      port: 2200,
      user: 'webu',
      identityFiles: ['/home/me/.ssh/web_webu'],
      defaultIdentities: false,
      hostKeyChecking: 'accept-new',
      jumps: [{ host: 'bastion', user: 'ops', port: 2222 }],
      resolvedBy: 'ssh -G',
    });
    expect(t.proxyCommand).toBeUndefined();
  });

  it('runs a ProxyCommand other than ssh -W, tokens expanded', () => {
    const t = targetFromAnswer(readSshG(sample('proxycommand-db.txt'), baseline), host({ name: 'db', address: 'db' }), { home, localUser: 'me' });
    expect(t.proxyCommand).toBe('sh -c "exec socat - TCP:10.1.2.4:22"');
    expect(t.jumps).toEqual([]);
    // OpenSSH's defaults -> the tool's: strict, its own key list and known_hosts, its timeout when none was set.
    expect(t.defaultIdentities).toBe(true);
    expect(t.knownHostsFiles).toEqual(['/home/me/.ssh/known_hosts']);
    expect(t.hostKeyChecking).toBe('strict');
  });
});

describe('ProxyCommand', () => {
  const tokens = { host: '10.0.0.5', port: 22, user: 'ops', original: 'web', localUser: 'me', home: '/home/me', localHost: 'ctl.example.com' };
  it("expands OpenSSH's tokens", () => {
    expect(expandProxyCommand('nc %h %p # %r %n %u %d %l %L %%', tokens)).toBe('nc 10.0.0.5 22 # ops web me /home/me ctl.example.com ctl %');
  });
  it('refuses to put shell syntax from an inventory into sh -c', () => {
    expect(() => expandProxyCommand('nc %h %p', { ...tokens, user: 'x', host: '$(reboot)' })).toThrow(/refusing/);
    expect(() => expandProxyCommand('nc %r', { ...tokens, user: 'a;b' })).toThrow(/refusing/);
  });
  it('only a plain `ssh -W %h:%p bastion` becomes a jump host; other flags run as OpenSSH runs them', () => {
    expect(jumpFromProxyCommand('ssh -W %h:%p -q -p 2200 ops@bastion')).toEqual([{ host: 'bastion', user: 'ops', port: 2200 }]);
    expect(jumpFromProxyCommand('/usr/bin/ssh -qW %h:%p bastion')).toEqual([{ host: 'bastion' }]);
    expect(jumpFromProxyCommand('ssh -F /lab/ssh_config -W %h:%p h1')).toBeUndefined();
    expect(jumpFromProxyCommand('ssh -o User=x -W %h:%p h1')).toBeUndefined();
    expect(jumpFromProxyCommand('ssh -W other:22 h1')).toBeUndefined();
    expect(jumpFromProxyCommand("sh -c 'exec ssh -W %h:%p h1'")).toBeUndefined();
    expect(jumpFromProxyCommand('nc -X 5 -x proxy %h %p')).toBeUndefined();
  });
});

describe('the ssh -G command line', () => {
  it("puts ansible_ssh_common_args first, then the inventory's vars, the host's -F over the run's", () => {
    const h = host({
      address: '198.18.0.130',
      sshAddress: '198.18.0.12',
      user: 'ops',
      port: 2222,
      vars: { ansible_port: 2222 },
      privateKeyFile: '/k/id',
      sshCommonArgs: '-F /etc/fleet.conf -o StrictHostKeyChecking=no -J b1',
    });
    expect(sshGArgs(h, '/home/me/.ssh/config')).toEqual([
      '-F', '/etc/fleet.conf',
      '-o', 'stricthostkeychecking=no',
      '-o', 'proxyjump=b1',
      '-o', 'user=ops',
      '-o', 'port=2222',
      '-o', 'identityfile=/k/id',
      '--', '198.18.0.12',
    ]);
    expect(sshGArgs(host(), null)).toEqual(['-F', '/dev/null', '--', 'web']);
    expect(sshGArgs(host(), undefined)).toEqual(['--', 'web']);
  });
});
