import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptedKeysOf, isEncryptedKey } from '../../../src/cli/passphrase-prompt.js';
import type { FleetHost } from '../../../src/model/fleet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ecep-keys-'));
const key = (name: string, passphrase: string) => {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', file]);
  return file;
};

const host = (name: string, keyFile: string, connection: 'ssh' | 'local' = 'ssh'): FleetHost => ({
  name, address: '198.18.0.11', port: 22, connection, become: false, roles: ['director'], rolesSource: 'groups',
  privateKeyFile: keyFile, registry: { host: '198.18.0.11', port: 443 }, snapshotRepos: [], clientCidrs: [], adminCidrs: [], groups: [], vars: {},
});

describe('encrypted key detection (for the passphrase prompt)', () => {
  const plain = key('plain', '');
  const locked = key('locked', 'secret words');

  it('tells an encrypted key from a plain one', () => {
    expect(isEncryptedKey(locked)).toBe(true);
    expect(isEncryptedKey(plain)).toBe(false);
    expect(isEncryptedKey(path.join(dir, 'missing'))).toBe(false);
  });

  it("lists the fleet's encrypted keys once, ignoring local hosts", () => {
    const fleet = { source: 't', hosts: [host('a', locked), host('b', locked), host('c', plain), host('d', locked, 'local')] };
    expect(encryptedKeysOf(fleet, { sshConfigFile: null })).toEqual([locked]);
  });
});

describe('the hidden prompt', () => {
  it('Ctrl-C at the prompt is an interruption (exit 99 in one line), not an empty answer', async () => {
    const { PassThrough } = await import('node:stream');
    const { promptHidden } = await import('../../../src/cli/passphrase-prompt.js');
    const { InterruptedError } = await import('../../../src/errors.js');
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
    const stderr = new PassThrough();
    const asked = promptHidden({ stdin: stdin as never, stdout: new PassThrough() as never, stderr: stderr as never, env: {}, cwd: '/' }, 'BECOME password: ');
    stdin.write('\u0003'); // Ctrl-C as a terminal sends it
    await expect(asked).rejects.toBeInstanceOf(InterruptedError);
    await expect(asked).rejects.toMatchObject({ exitCode: 99 });
  });
});
