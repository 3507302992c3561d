import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { armScript, disarmScript, restoreScript, rolledBackScript, saveScript, stateDir } from '../../src/firewall/confirm-timer.js';
import { nftablesBackend } from '../../src/firewall/nftables.js';

const NFT_CONFIRM = nftablesBackend.snapshot;
import { labExec, labHost, type LabHost } from '../../src/lab/lab.js';
import { sleep } from '../../src/lab/netns.js';
import { bareHost } from '../../src/model/fleet.js';
import { SshConnection } from '../../src/transport/ssh.js';
import { useLab } from './support/use-lab.js';

// The commit-confirmed steps against a real sshd and real nftables: a rule
// set that locks the controller out is undone by the host's own timer, and
// an established SSH session (conntrack) is no proof that a new one works.
const used = useLab({ hosts: 2, prefix: 'ecefc' });
const DIR = used.dir;
const open: SshConnection[] = [];
// Registered after useLab's: runs first, before the lab goes down.
afterAll(async () => {
  for (const c of open) await c.close().catch(() => {});
});

function conn(h: LabHost, connectTimeoutMs = 5000): SshConnection {
  const info = used.lab;
  const host = bareHost(h.name, h.address, {
    user: 'root', privateKeyFile: info.keyFile, sshCommonArgs: `-o UserKnownHostsFile=${info.knownHostsFile}`,
    roles: h.roles, registry: { host: info.hosts[0]!.address, port: 443 },
  });
  const c = new SshConnection(host, { sshConfigFile: null, agentSocket: null, connectTimeoutMs });
  open.push(c);
  return c;
}

/** Can a NEW SSH connection log in and run a command? */
async function newLogin(h: LabHost): Promise<boolean> {
  const c = conn(h, 1500);
  try {
    await c.connect();
    return (await c.exec('true')).code === 0;
  } catch {
    return false;
  } finally {
    await c.close().catch(() => {});
  }
}

const LOCKOUT = 'table inet lockout {\n chain input {\n  type filter hook input priority 0; policy accept;\n  ct state new tcp dport 22 drop\n }\n}\n';

describe('commit-confirmed firewall change on a real host', () => {
  it('a lockout is rolled back by the host itself; the old session lives on through conntrack, a new one is refused until then', async () => {
    const h = labHost(used.lab, 'h1');
    const dir = stateDir('h1', path.join(DIR, 'state'));
    const session = conn(h);
    await session.connect();
    expect((await session.exec(saveScript(dir, NFT_CONFIRM))).code).toBe(0);
    const armed = await session.exec(armScript(dir, NFT_CONFIRM, 3));
    expect(armed.stdout.trim()).toMatch(/^\d+$/);
    // apply the lockout
    expect((await session.exec('nft -f -', { stdin: LOCKOUT })).code).toBe(0);
    // the established session still works: conntrack lets it through
    expect((await session.exec('echo alive')).stdout.trim()).toBe('alive');
    // a new one does not: this is why a change is verified on a NEW connection
    expect(await newLogin(h)).toBe(false);
    // the host's own timer restores the saved ruleset, with nobody's help
    await session.close();
    await sleep(4500);
    expect(await newLogin(h)).toBe(true);
    const after = await labExec(h, ['nft', 'list', 'ruleset']);
    expect(after.stdout).not.toContain('lockout');
    const check = conn(h);
    await check.connect();
    expect((await check.exec(rolledBackScript(dir))).stdout).toMatch(/^\d{4}-\d\d-\d\dT/);
  }, 60_000);

  it('a verified change is kept once disarmed; restore brings the saved ruleset back exactly', async () => {
    const h = labHost(used.lab, 'h2');
    const dir = stateDir('h2', path.join(DIR, 'state'));
    const before = (await labExec(h, ['nft', 'list', 'ruleset'])).stdout;
    const session = conn(h);
    await session.connect();
    await session.exec(saveScript(dir, NFT_CONFIRM));
    await session.exec(armScript(dir, NFT_CONFIRM, 2));
    const rules = 'table inet ok {\n chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport 2375 ip saddr != 127.0.0.1 drop\n }\n}\n';
    expect((await session.exec('nft -f -', { stdin: rules })).code).toBe(0);
    expect(await newLogin(h)).toBe(true);
    expect((await session.exec(disarmScript(dir))).stdout.trim()).toBe('disarmed');
    await sleep(3000);
    // the timer is gone: the new rules stay
    expect((await labExec(h, ['nft', 'list', 'ruleset'])).stdout).toContain('table inet ok');
    expect((await session.exec(rolledBackScript(dir))).stdout).toBe('');
    // and `rollback` restores what was saved, exactly
    expect((await session.exec(restoreScript(dir, NFT_CONFIRM))).code).toBe(0);
    expect((await labExec(h, ['nft', 'list', 'ruleset'])).stdout).toBe(before);
  }, 60_000);
});
