import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostKeyCheck } from '../../../src/transport/ssh-keys.js';
import type { HostKeyChecking, SshTarget } from '../../../src/transport/ssh-options.js';
import { sshKeyBlob } from './ssh-key-blob.js';

/** An ed25519 public key blob in SSH wire format, a new key each call. */
const ed25519 = (): Buffer => sshKeyBlob('ssh-ed25519', randomBytes(32));

const REVOKED = ed25519();
const UNKNOWN = ed25519();
const dir = mkdtempSync(path.join(tmpdir(), 'ecep-hk-'));
const knownHosts = path.join(dir, 'known_hosts');
writeFileSync(knownHosts, `@revoked * ssh-ed25519 ${REVOKED.toString('base64')}\n`);

const target = (hostKeyChecking: HostKeyChecking): SshTarget => ({
  hostname: '198.18.0.11', port: 22, user: 'root', identityFiles: [], defaultIdentities: true,
  knownHostsFiles: [knownHosts], hostKeyChecking, connectTimeoutMs: 1000, jumps: [],
});

describe('host key checking modes', () => {
  it.each(['strict', 'accept-new', 'off'] as const)('a revoked key is refused under %s (OpenSSH refuses it even with StrictHostKeyChecking no)', (mode) => {
    expect(hostKeyCheck(target(mode)).verify(REVOKED)).toMatchObject({ kind: 'host-key-revoked', message: expect.stringMatching(/REVOKED .*refusing to connect/) });
  });

  it('off accepts an unknown key, strict refuses it', () => {
    expect(hostKeyCheck(target('off')).verify(UNKNOWN)).toBeUndefined();
    expect(hostKeyCheck(target('strict')).verify(UNKNOWN)).toMatchObject({ kind: 'host-key-unknown' });
  });
});
