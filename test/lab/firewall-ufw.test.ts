import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probesOf } from '../../src/engine/check-record.js';
import { ufwMountPoints } from '../../src/lab/host-mounts.js';
import { labExec, labHost } from '../../src/lab/lab.js';
import { labCli } from './support/firewall-lab.js';
import { useLab } from './support/use-lab.js';

// The ufw backend for real: lab hosts with a private /etc/ufw and
// /etc/default/ufw (labUp's `ufw`, bind-mounted in each host only), ufw
// enabled with default-deny incoming and SSH allowed. The sweep fails, apply
// --backend ufw fixes it commit-confirmed, a second apply changes nothing,
// rollback restores ufw's rules exactly, and this machine's /etc/ufw is
// never touched.
const HOSTS = ['h1', 'h2', 'h3'];

/** This machine's ufw files, hashed: they must be the same at the end. */
function realUfwFiles(): string {
  const files = [...readdirSync('/etc/ufw').filter((f) => f.endsWith('.rules') || f.endsWith('.conf')).map((f) => path.join('/etc/ufw', f)), '/etc/default/ufw'];
  return files.map((f) => `${f} ${createHash('sha256').update(readFileSync(f)).digest('hex')}`).join('\n');
}
let realBefore: string;
// Registered before useLab's hooks: beforeAll hooks run in order, so these
// files are read before the lab comes up; afterAll hooks in reverse, so they
// are compared last, once useLab's afterAll has taken the lab down.
beforeAll(() => {
  realBefore = realUfwFiles();
});
afterAll(() => {
  expect(realUfwFiles()).toBe(realBefore);
});

const used = useLab(
  { hosts: 3, prefix: 'ecufw', roles: ['director,coordinator', 'proxy', 'allocator'], ufw: HOSTS },
  async (lab) => {
    for (const h of HOSTS) {
      const host = labHost(lab, h);
      // Never run ufw where it would write this machine's files.
      expect(await ufwMountPoints(host.initPid!)).toEqual(['/etc/ufw', '/etc/default/ufw']);
      const r = await labExec(host, 'ufw default deny incoming && ufw allow 22/tcp && ufw --force enable');
      if (r.code !== 0) throw new Error(`${h}: ${r.stdout}${r.stderr}`);
    }
  },
  120_000,
);
const dir = used.dir;

/** What ufw holds on a host: its status and its rules files. */
const ufwState = async (h: string) => {
  const r = await labExec(labHost(used.lab, h), 'ufw status numbered; cat /etc/ufw/user.rules /etc/ufw/user6.rules');
  if (r.code !== 0) throw new Error(`${h}: ${r.stderr}`);
  return r.stdout;
};
const ufwStates = async () => Object.fromEntries(await Promise.all(HOSTS.map(async (h) => [h, await ufwState(h)] as const)));

const { cli, sweep } = labCli(() => used.lab, dir);

describe('firewall apply with the ufw backend (real ufw in lab hosts)', () => {
  it('ufw on h1 writes its own files: enabled there, this machine\'s ufw files unchanged', async () => {
    const { lab } = used;
    const inHost = await labExec(labHost(lab, 'h1'), ['grep', '^ENABLED=', '/etc/ufw/ufw.conf']);
    expect(inHost.stdout.trim()).toBe('ENABLED=yes');
    expect(realUfwFiles()).toBe(realBefore);
  });

  it('sweep fails; apply fixes it; a second apply changes nothing; rollback restores ufw exactly; 2375 closed to others', async () => {
    const { lab } = used;
    const before = await sweep();
    expect(before.code, before.stdout).toBe(2);
    // Facts tell ufw is active from iptables' ufw-user-* chains (no `ufw status` run): auto picks ufw.
    for (const h of before.result.hosts) expect(h.facts?.firewall, h.name).toMatchObject({ backend: 'ufw', ufwActive: true });
    expect(probesOf(before.result.checks).filter((c) => c.verdict === 'blocked').length).toBeGreaterThan(5);
    const original = await ufwStates();

    const apply = await cli(['firewall', 'apply', '--backend', 'ufw']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    for (const h of HOSTS) expect(apply.stdout).toMatch(new RegExp(`changed: \\[${h}\\] applied and confirmed over a new connection.*\\(ufw\\)`));
    const shown = (await labExec(labHost(lab, 'h1'), ['ufw', 'show', 'added'])).stdout;
    expect(shown).toMatch(/^ufw allow from 198\.18\.0\.\d+ to any port \d+(:\d+)? proto tcp comment 'ece-preflight /m);

    const after = await sweep();
    expect(after.code, after.stdout).toBe(0);
    const docker = probesOf(after.result.checks).filter((c) => c.port === 2375);
    expect(docker.length).toBeGreaterThan(0);
    expect(docker.filter((c) => c.verdict !== 'ok')).toEqual([]);

    const again = await cli(['firewall', 'apply', '--backend', 'ufw']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    for (const h of HOSTS) expect(again.stdout).toMatch(new RegExp(`${h}\\s+: ok=2\\s+changed=0`));

    const rollback = await cli(['firewall', 'rollback', '--backend', 'ufw']);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(await ufwStates()).toEqual(original);
  }, 300_000);
});
