import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignRoles,
  labDown,
  labExec,
  labHost,
  labStatus,
  labUp,
  measureLogin,
  setForwarding,
  startSshd,
  stopSshd,
  type LabInfo,
} from '../../src/lab/lab.js';
import { renderSshdConfig, tcpOpen } from '../../src/lab/sshd.js';
import { renderSudoers } from '../../src/lab/lab-user.js';
import { rcMarker, renderRootRc } from '../../src/lab/host-mounts.js';
import { isAlive } from '../../src/lab/netns.js';

const PREFIX = 'ecet1';
const DIR = path.join(os.tmpdir(), `ecep-lab-test-${process.pid}`);

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
}

function sshOpenssh(info: LabInfo, host: string, command: string): string {
  return sh('ssh', ['-F', info.sshConfigFile, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', host, command]);
}

/** ssh as any user, with stdin, without throwing: the exit code is the point. */
function sshAs(info: LabInfo, user: string, host: string, command: string, stdin = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ssh', ['-F', info.sshConfigFile, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-l', user, host, command], {
    input: stdin,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('assignRoles', () => {
  it('gives one host all roles and spreads bigger labs', () => {
    expect(assignRoles(1)).toEqual([['director', 'coordinator', 'proxy', 'allocator']]);
    expect(assignRoles(3)).toEqual([['director', 'coordinator'], ['proxy'], ['allocator']]);
    const fifty = assignRoles(50);
    expect(fifty.filter((r) => r.includes('coordinator'))).toHaveLength(3);
    expect(fifty.filter((r) => r.includes('proxy')).length).toBeGreaterThan(10);
    expect(fifty.filter((r) => r.includes('allocator')).length).toBeGreaterThan(25);
  });
  it('takes an explicit spread and rejects unknown roles', () => {
    expect(assignRoles(3, ['director,coordinator', 'proxy'])).toEqual([['director', 'coordinator'], ['proxy'], ['allocator']]);
    expect(() => assignRoles(1, ['director,wizard'])).toThrow(/unknown role wizard/);
  });
});

describe('host files', () => {
  it('renders a host sudoers: the base, per-host sudo state, NOPASSWD unless the host asks for the password', () => {
    const host = { name: 'h2', dir: '/tmp/lab "x"/hosts/h2' };
    const ask = renderSudoers('Defaults env_reset\n@includedir /etc/sudoers.d\n', host, 'ecep', true);
    expect(ask).toMatch(/^Defaults env_reset\n@includedir \/etc\/sudoers\.d\n/);
    expect(ask).toContain('Defaults timestampdir="/tmp/lab \\"x\\"/hosts/h2/sudo/ts"');
    expect(ask).toMatch(/^ecep ALL=\(ALL:ALL\) ALL$/m);
    expect(renderSudoers('', host, 'ecep', false)).toMatch(/^ecep ALL=\(ALL:ALL\) NOPASSWD: ALL$/m);
  });
  it('writes plain rc files that say they are the lab\'s, and an sshd_config with keys for other users at home', () => {
    expect(renderRootRc('h4', '.bashrc').split('\n')[0]).toBe(rcMarker('h4'));
    expect(renderRootRc('h4', '.bash_profile')).toContain('. ~/.profile');
    const cfg = renderSshdConfig({ name: 'h1', namespace: 'x-h1', address: '198.18.0.11', dir: '/l/h1', allowTcpForwarding: true });
    expect(cfg).toContain('PidFile none');
    expect(cfg).toMatch(/Match User \*,!root\n {2}AuthorizedKeysFile \.ssh\/authorized_keys\n$/);
  });
});

describe('lab', () => {
  let info: LabInfo;
  let pids: number[] = [];

  beforeAll(async () => {
    info = await labUp({ hosts: 3, prefix: PREFIX, dir: DIR, roles: ['director,coordinator', 'proxy', 'allocator'], sudoPassword: ['h2'] });
    pids = info.hosts.map((h) => h.sshdPid ?? 0);
  });

  afterAll(async () => {
    await labDown(DIR);
  });

  it('writes keys, known_hosts, ssh_config, inventory and lab.json', () => {
    for (const f of ['id_ed25519', 'id_ed25519.pub', 'known_hosts', 'ssh_config', 'inventory.yml', 'lab.json']) {
      expect(existsSync(path.join(DIR, f)), f).toBe(true);
    }
    const kh = readFileSync(info.knownHostsFile, 'utf8');
    expect(kh).toMatch(/^198\.18\.0\.11 ssh-ed25519 /m);
    const inv = readFileSync(info.inventoryFile, 'utf8');
    expect(inv).toContain('ansible_host: 198.18.0.13');
    expect(inv).toContain(`UserKnownHostsFile=${info.knownHostsFile}`);
    expect(inv).toContain('ece_registry: 198.18.0.11:443');
    expect(info.hosts.map((h) => h.roles)).toEqual([['director', 'coordinator'], ['proxy'], ['allocator']]);
  });

  it('gives each namespace its own address, lo up and no default route', async () => {
    for (const h of info.hosts) {
      const addr = await labExec(h, 'ip -4 -o addr show');
      expect(addr.stdout).toContain(`inet ${h.address}/24`);
      expect(addr.stdout).toContain('inet 127.0.0.1/8');
      const routes = await labExec(h, ['ip', 'route', 'show', 'default']);
      expect(routes.stdout.trim()).toBe('');
      const nft = await labExec(h, ['nft', 'list', 'ruleset']);
      expect(nft.stdout.trim()).toBe('');
    }
  });

  it('runs a real sshd per host that OpenSSH reaches with the lab files', () => {
    for (const h of info.hosts) {
      const out = sshOpenssh(info, h.name, 'ip -4 -o addr show dev eth0');
      expect(out).toContain(h.address);
    }
  });

  it('logs in with a plain server\'s shell setup, not this machine\'s rc files', async () => {
    // labUp timed one login; the function is there for benches too.
    expect(info.login?.host).toBe('h1');
    expect(typeof info.login?.ms).toBe('number');
    const cost = await measureLogin(info, labExec, { host: 'h2', samples: 1 });
    expect(cost.ms).toBeGreaterThan(0);
    expect(cost.host).toBe('h2');

    // Whatever this machine's ~/.bashrc sets up (pyenv here), a lab login reads the lab's.
    const out = sshOpenssh(info, 'h1', 'echo "pyenv=$PYENV_ROOT"; echo "path=$PATH"; head -1 ~/.bashrc; head -1 ~/.profile; command -v python3');
    const [pyenv, pathLine, bashrc, profile, python] = out.trim().split('\n');
    expect(pyenv).toBe('pyenv=');
    expect(pathLine).toBe('path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(bashrc).toBe('# ece-preflight lab host h1: a plain server\'s shell setup');
    expect(profile).toBe(bashrc);
    expect(python).toBe('/usr/bin/python3');
    // Only inside the host: this machine's own rc file is untouched.
    const real = readFileSync(path.join(os.userInfo().homedir, '.bashrc'), 'utf8');
    expect(real).not.toContain('ece-preflight lab host');
    // labExec enters the same mount namespace as sshd's sessions.
    expect((await labExec(labHost(info, 'h3'), 'head -1 ~/.bashrc')).stdout).toContain('lab host h3');
  });

  it('gives each host its own processes: pid 1 is its init, ps sees no controller', async () => {
    const out = sshOpenssh(info, 'h3', 'cat /proc/1/cmdline | tr "\\0" " "; echo; ps -e -o pid=,comm=');
    const [init, ...procs] = out.trim().split('\n');
    expect(init).toContain('ecep-lab-init');
    const names = procs.map((l) => l.trim().split(/\s+/)[1]);
    // init, its sleep, sshd, the session's sshd and shell, ps: a handful.
    expect(names.length).toBeLessThan(12);
    expect(names).not.toContain('node');
    expect(names.filter((n) => n === 'sshd').length).toBeGreaterThanOrEqual(1);
    const viaExec = await labExec(labHost(info, 'h3'), ['ps', '-e', '-o', 'comm=']);
    expect(viaExec.stdout).not.toMatch(/^node$/m);
    expect(viaExec.stdout.trim().split('\n').length).toBeLessThan(12);
  });

  it('ss -ltnp on a host sees only that host\'s listeners and their processes', async () => {
    const h1 = (await labExec(labHost(info, 'h1'), ['ss', '-ltnpH'])).stdout.trim().split('\n').sort();
    expect(h1).toHaveLength(2);
    expect(h1[0]).toMatch(/198\.18\.0\.11:22\s.*users:\(\("sshd",pid=\d+/);
    expect(h1[1]).toMatch(/198\.18\.0\.11:443\s.*users:\(\("python3",pid=\d+/);
    const h2 = sshOpenssh(info, 'h2', 'ss -ltnpH').trim().split('\n');
    expect(h2).toHaveLength(1);
    expect(h2[0]).toMatch(/198\.18\.0\.12:22\s.*"sshd"/);
    // The pid ss names is the host's own sshd, as its ps sees it.
    const pid = /pid=(\d+)/.exec(h2[0] ?? '')?.[1];
    expect(sshOpenssh(info, 'h2', `ps -o comm= -p ${pid}`).trim()).toBe('sshd');
  });

  it('has a non-root user with sudo: NOPASSWD, except on the password host', () => {
    const user = info.user;
    expect(user?.name).toBe('ecep');
    expect(user?.uid).toBeGreaterThanOrEqual(1000);
    expect(user?.passwordHosts).toEqual(['h2']);
    expect(labHost(info, 'h2').sudoNeedsPassword).toBe(true);
    const name = user?.name ?? '';
    const who = sshAs(info, name, 'h1', 'id -un; sudo -n id -un');
    expect(who.code).toBe(0);
    expect(who.stdout).toBe(`${name}\nroot\n`);
    expect(sshAs(info, name, 'h3', 'sudo -n true').code).toBe(0);

    const refused = sshAs(info, name, 'h2', 'sudo -n true');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/password is required/);
    const withPw = sshAs(info, name, 'h2', "sudo -S -p '' id -u", `${user?.password}\n`);
    expect(withPw.stdout.trim()).toBe('0');
    expect(withPw.code).toBe(0);
    const wrong = sshAs(info, name, 'h2', "sudo -S -p '' true", 'not-the-password\n');
    expect(wrong.code).not.toBe(0);

    // The rule lives in the hosts' mount namespaces only.
    expect(readFileSync('/etc/sudoers', 'utf8')).not.toContain(name);
  });

  it('hosts reach each other across the bridge', async () => {
    const h1 = labHost(info, 'h1');
    // bash's /dev/tcp: a TCP connect from h1 to h2's sshd.
    const res = await labExec(h1, ['bash', '-c', 'exec 3<>/dev/tcp/198.18.0.12/22 && head -c 7 <&3']);
    expect(res.stdout).toBe('SSH-2.0');
  });

  it('stops and starts one sshd, and toggles forwarding', async () => {
    const h2 = labHost(info, 'h2');
    await stopSshd(h2);
    expect(await tcpOpen(h2.address, 22)).toBe(false);
    await startSshd(h2);
    expect(await tcpOpen(h2.address, 22)).toBe(true);
    await setForwarding(h2, false);
    expect(readFileSync(path.join(h2.dir, 'sshd_config'), 'utf8')).toContain('AllowTcpForwarding no');
    expect(await tcpOpen(h2.address, 22)).toBe(true);
    await setForwarding(h2, true);
    pids = info.hosts.map((h) => h.sshdPid ?? 0);
    const st = await labStatus(DIR);
    expect(st.up).toBe(true);
    expect(st.hosts.every((h) => h.sshdRunning)).toBe(true);
  });

  it('labDown removes namespaces, veths, bridge, processes and files', async () => {
    // Leave a session process running inside h3: labDown must end it too.
    const h3 = labHost(info, 'h3');
    sh('ssh', ['-F', info.sshConfigFile, '-o', 'BatchMode=yes', '-f', 'h3', 'sleep 600 </dev/null >/dev/null 2>&1 &']);
    const inNs = sh('ip', ['netns', 'pids', h3.namespace]).trim().split('\n').map(Number);
    expect(inNs.length).toBeGreaterThan(1);
    const inits = info.hosts.map((h) => h.initPid ?? 0);
    expect(inits.every((p) => isAlive(p))).toBe(true);

    await labDown(DIR);
    const ns = sh('ip', ['netns', 'list']);
    expect(ns).not.toContain(`${PREFIX}-`);
    const links = sh('ip', ['-o', 'link', 'show']);
    expect(links).not.toContain(`${PREFIX}-`);
    for (const p of [...pids, ...inits, ...inNs]) expect(isAlive(p), `pid ${p}`).toBe(false);
    // The user stays, its password locked: nothing of the lab works after it.
    expect(sh('getent', ['shadow', 'ecep']).split(':')[1]).toMatch(/^!/);
    expect(existsSync(path.join(DIR, 'lab.json'))).toBe(false);
    expect((await labStatus(DIR)).up).toBe(false);
  });
});
