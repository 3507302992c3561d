import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshG, readSshG } from '../../../src/transport/ssh-g-output.js';
import { resolveSshTarget, targetFromAnswer } from '../../../src/transport/ssh-options.js';
import { testHost } from '../../fixtures/fleet-host.js';

// ServerAliveInterval / ServerAliveCountMax bound how long a connection that
// stopped answering (a DROP on port 22) holds a run: read like OpenSSH does.
const baseline = parseSshG(readFileSync(path.join(__dirname, '../../fixtures/ssh-g/baseline.txt'), 'utf8'));
const base = { home: '/home/me', localUser: 'me' };
const withLines = (lines: Record<string, string>) => {
  const text = readFileSync(path.join(__dirname, '../../fixtures/ssh-g/baseline.txt'), 'utf8');
  return parseSshG(text.replace(/^(serveralive\w+) .*$/gm, (line, k: string) => (lines[k] !== undefined ? `${k} ${lines[k]}` : line)));
};

describe('ServerAliveInterval and ServerAliveCountMax', () => {
  it("ssh -G: OpenSSH's defaults (0: off, 3) leave the transport's own", () => {
    const t = targetFromAnswer(readSshG(baseline, baseline), testHost(), base);
    expect(t.serverAliveIntervalMs).toBeUndefined();
    expect(t.serverAliveCountMax).toBeUndefined();
  });

  it('ssh -G: values set in ssh_config or the inventory reach the target', () => {
    const t = targetFromAnswer(readSshG(withLines({ serveraliveinterval: '5', serveralivecountmax: '2' }), baseline), testHost(), base);
    expect(t.serverAliveIntervalMs).toBe(5000);
    expect(t.serverAliveCountMax).toBe(2);
  });

  it('built-in parser: the inventory -o beats ssh_config; 0 and junk are ignored', () => {
    const config = 'Host *\n  ServerAliveInterval 30\n  ServerAliveCountMax 4\n';
    expect(resolveSshTarget(testHost(), { ...base, sshConfigText: config })).toMatchObject({ serverAliveIntervalMs: 30_000, serverAliveCountMax: 4 });
    const t = resolveSshTarget(testHost({ sshCommonArgs: '-o ServerAliveInterval=1 -o ServerAliveCountMax=3' }), { ...base, sshConfigText: config });
    expect(t).toMatchObject({ serverAliveIntervalMs: 1000, serverAliveCountMax: 3 });
    const off = resolveSshTarget(testHost({ sshCommonArgs: '-o ServerAliveInterval=0 -o ServerAliveCountMax=x' }), base);
    expect(off.serverAliveIntervalMs).toBeUndefined();
    expect(off.serverAliveCountMax).toBeUndefined();
  });
});
