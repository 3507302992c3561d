import { describe, expect, it } from 'vitest';
import { bareHost, type FleetHost } from '../../../src/model/fleet.js';
import {
  expandPath,
  jumpFromProxyCommand,
  parseJumpSpec,
  parseSshArgs,
  resolveSshTarget,
  shellWords,
} from '../../../src/transport/ssh-options.js';
import { hostKeyAlgorithms } from '../../../src/transport/ssh-keys.js';
import { StderrFilter, withPgidMark } from '../../../src/transport/ssh-process.js';
import { outcomeOfOpenFailure } from '../../../src/transport/ssh-tunnel.js';

function host(over: Partial<FleetHost> = {}): FleetHost {
  return bareHost('web1', 'web1', { registry: { host: 'docker.elastic.co', port: 443 }, ...over });
}
const base = { home: '/home/me', localUser: 'me' };

describe('shellWords', () => {
  it('splits like a POSIX shell', () => {
    expect(shellWords(`-o UserKnownHostsFile=/a\\ b -o 'ProxyCommand=ssh -W %h:%p bastion' "x \\"y\\" $z"`)).toEqual([
      '-o',
      'UserKnownHostsFile=/a b',
      '-o',
      'ProxyCommand=ssh -W %h:%p bastion',
      'x "y" $z',
    ]);
    expect(shellWords('  a  ""  b')).toEqual(['a', '', 'b']);
    expect(shellWords("it's'' ok'")).toEqual(["its ok"]);
    expect(() => shellWords("'open")).toThrow(/unterminated/);
  });
});

describe('parseSshArgs', () => {
  it('reads -o (both forms), -i, -p, -J, -l, -F and bundled flags', () => {
    const a = parseSshArgs('-o StrictHostKeyChecking=no -oUserKnownHostsFile=/dev/null -o "ConnectTimeout 5" -qi ~/k -p2222 -J b1 -l admin -F /cfg -C');
    expect(a.options.get('stricthostkeychecking')).toEqual(['no']);
    expect(a.options.get('userknownhostsfile')).toEqual(['/dev/null']);
    expect(a.options.get('connecttimeout')).toEqual(['5']);
    expect(a.options.get('identityfile')).toEqual(['~/k']);
    expect(a.options.get('port')).toEqual(['2222']);
    expect(a.options.get('proxyjump')).toEqual(['b1']);
    expect(a.options.get('user')).toEqual(['admin']);
    expect(a.configFile).toBe('/cfg');
  });
});

describe('jump specs', () => {
  it('parses ProxyJump lists and ProxyCommand ssh -W', () => {
    expect(parseJumpSpec('admin@b1:2200,b2,[fe80::1]:22')).toEqual([
      { host: 'b1', user: 'admin', port: 2200 },
      { host: 'b2' },
      { host: 'fe80::1', port: 22 },
    ]);
    expect(parseJumpSpec('none')).toEqual([]);
    expect(jumpFromProxyCommand('ssh -W %h:%p -q -p 2200 ops@bastion')).toEqual([{ host: 'bastion', user: 'ops', port: 2200 }]);
    expect(jumpFromProxyCommand('nc -X 5 -x proxy %h %p')).toBeUndefined();
  });
});

describe('resolveSshTarget', () => {
  const config = [
    'Host web1',
    '  HostName 10.0.0.5',
    '  User deploy',
    '  Port 2201',
    '  IdentityFile ~/.ssh/web_%h',
    '  ProxyJump bastion',
    '  UserKnownHostsFile ~/.ssh/kh1 ~/.ssh/kh2',
    '  StrictHostKeyChecking accept-new',
    '  ConnectTimeout 7',
    'Host *',
    '  User fallback',
    '  IdentityFile ~/.ssh/id_all',
  ].join('\n');

  it('takes ssh config values for the host', () => {
    const t = resolveSshTarget(host(), { ...base, sshConfigText: config });
    expect(t).toMatchObject({
      hostname: '10.0.0.5',
      port: 2201,
      user: 'deploy',
      identityFiles: ['/home/me/.ssh/web_10.0.0.5', '/home/me/.ssh/id_all'],
      defaultIdentities: false,
      knownHostsFiles: ['/home/me/.ssh/kh1', '/home/me/.ssh/kh2'],
      hostKeyChecking: 'accept-new',
      connectTimeoutMs: 7000,
      jumps: [{ host: 'bastion' }],
    });
  });

  it('inventory vars beat ssh config; common args beat both', () => {
    const t = resolveSshTarget(
      host({ user: 'inv', port: 2300, vars: { ansible_port: 2300 }, privateKeyFile: '/keys/inv' }),
      { ...base, sshConfigText: config },
    );
    expect(t.user).toBe('inv');
    expect(t.port).toBe(2300);
    expect(t.identityFiles[0]).toBe('/keys/inv');
    const t2 = resolveSshTarget(
      host({
        user: 'inv',
        privateKeyFile: '/keys/inv',
        sshCommonArgs: '-o User=arg -p 2400 -i /keys/arg -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ProxyJump=none -o ConnectTimeout=3',
      }),
      { ...base, sshConfigText: config },
    );
    expect(t2).toMatchObject({
      user: 'arg',
      port: 2400,
      hostKeyChecking: 'off',
      knownHostsFiles: ['/dev/null'],
      jumps: [],
      connectTimeoutMs: 3000,
    });
    expect(t2.identityFiles.slice(0, 2)).toEqual(['/keys/arg', '/keys/inv']);
  });

  it('falls back to tool options, then OpenSSH defaults', () => {
    const t = resolveSshTarget(host({ address: '198.18.0.11' }), base);
    expect(t).toMatchObject({
      hostname: '198.18.0.11',
      port: 22,
      user: 'me',
      defaultIdentities: true,
      knownHostsFiles: ['/home/me/.ssh/known_hosts'],
      hostKeyChecking: 'strict',
      connectTimeoutMs: 10_000,
      jumps: [],
    });
    expect(t.identityFiles).toEqual(['/home/me/.ssh/id_ed25519', '/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ecdsa']);
    const t2 = resolveSshTarget(host(), { ...base, hostKeyChecking: 'accept-new', knownHostsFiles: ['/kh'], connectTimeoutMs: 1234 });
    expect(t2).toMatchObject({ hostKeyChecking: 'accept-new', knownHostsFiles: ['/kh'], connectTimeoutMs: 1234 });
  });

  it('turns ProxyCommand ssh -W into a jump', () => {
    const t = resolveSshTarget(host({ sshCommonArgs: `-o ProxyCommand="ssh -W %h:%p -q ops@bastion.example"` }), base);
    expect(t.jumps).toEqual([{ host: 'bastion.example', user: 'ops' }]);
  });

  it('rejects a bad port', () => {
    expect(() => resolveSshTarget(host({ sshCommonArgs: '-p 99999' }), base)).toThrow(/bad SSH port/);
  });

  it('expands ~ and %-tokens', () => {
    expect(expandPath('~/.ssh/%r@%h:%p %%', { home: '/h', host: 'x', port: 22, user: 'u', localUser: 'l' })).toBe('/h/.ssh/u@x:22 %');
  });
});

describe('ssh transport pure helpers', () => {
  it('prefers host key types already known', () => {
    expect(hostKeyAlgorithms(['ssh-rsa']).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
  });

  it('maps sshd channel-open failures to probe outcomes', () => {
    expect(outcomeOfOpenFailure({ message: '(SSH) Channel open failure: Connection refused', reason: 2 }).outcome).toBe('refused');
    expect(outcomeOfOpenFailure({ message: '(SSH) Channel open failure: No route to host', reason: 2 }).outcome).toBe('unreachable');
    expect(outcomeOfOpenFailure({ message: '(SSH) Channel open failure: Connection timed out', reason: 2 }).outcome).toBe('filtered');
    expect(outcomeOfOpenFailure({ message: '(SSH) Channel open failure: open failed', reason: 1 })).toEqual({
      outcome: 'error',
      detail: 'forwarding disabled',
    });
  });

  it('takes the pgid mark off stderr, even split across chunks', () => {
    expect(withPgidMark('ls')).toBe('echo __ecep_pgid=$$ >&2\nls');
    const f = new StderrFilter(true);
    f.push(Buffer.from('__ecep_pg'));
    f.push(Buffer.from('id=4242\nreal error\n'));
    expect(f.pgid).toBe(4242);
    expect(f.text()).toBe('real error\n');
    const g = new StderrFilter(true);
    g.push(Buffer.from('no mark here\n'));
    expect(g.pgid).toBeUndefined();
    expect(g.text()).toBe('no mark here\n');
  });
});
