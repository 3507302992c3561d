/**
 * SSH keys on both sides of the handshake: the identities we offer (key files,
 * their passphrase, ssh-agent) and the host key we accept (known_hosts, wired
 * into ssh2's hostVerifier; without one ssh2 accepts any key). Apart from
 * ssh.ts because this is the trust decision, reviewed on its own, while ssh.ts
 * only sequences the connection.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
// ssh2 is CommonJS: Node's ESM loader sees only its default export.
import ssh2, { type AnyAuthMethod, type ParsedKey } from 'ssh2';
const { utils } = ssh2;
import {
  checkHostKey,
  fingerprint,
  formatKnownHostsLine,
  isKnownHostsFileName,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  type KnownHostsEntry,
} from './known-hosts.js';
import { oneLine } from './one-line.js';
import type { SshTarget } from './ssh-options.js';

const DEFAULT_HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Host key algorithms with the types already in known_hosts first, as OpenSSH orders them. */
export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const preferred = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  const known = preferred.filter((a) => DEFAULT_HOST_KEY_ALGOS.includes(a));
  return [...new Set([...known, ...DEFAULT_HOST_KEY_ALGOS])];
}

export interface AuthMethods {
  methods: AnyAuthMethod[];
  /** What was tried and why it was skipped, for the authentication error. */
  tried: string[];
}

/** ssh-agent first, then each identity file that exists and decrypts, in the target's order. */
export function authMethods(target: SshTarget, opts: { agentSocket?: string | null; passphrase?: string }): AuthMethods {
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  const agent = opts.agentSocket === undefined ? process.env['SSH_AUTH_SOCK'] : opts.agentSocket;
  if (agent) {
    methods.push({ type: 'agent', username: target.user, agent });
    tried.push('ssh-agent');
  }
  const passphrase = opts.passphrase ?? process.env['ECE_PREFLIGHT_KEY_PASSPHRASE'];
  for (const file of target.identityFiles) {
    if (!existsSync(file)) {
      if (!target.defaultIdentities) tried.push(`${file} (missing)`);
      continue;
    }
    let parsed: ParsedKey | ParsedKey[] | Error;
    try {
      parsed = utils.parseKey(readFileSync(file), passphrase);
    } catch (e) {
      parsed = e as Error;
    }
    if (parsed instanceof Error) {
      const why = /encrypted|passphrase/i.test(parsed.message)
        ? 'encrypted: set ECE_PREFLIGHT_KEY_PASSPHRASE or use ssh-agent'
        : oneLine(parsed.message);
      tried.push(`${file} (${why})`);
      continue;
    }
    for (const key of Array.isArray(parsed) ? parsed : [parsed]) {
      methods.push({ type: 'publickey', username: target.user, key });
    }
    tried.push(file);
  }
  return { methods, tried };
}

/** Why a host key was refused; the connection reports it instead of ssh2's generic error. */
export interface HostKeyProblem {
  kind: 'host-key-unknown' | 'host-key-changed' | 'host-key-revoked';
  message: string;
}

export interface HostKeyCheck {
  /** For ssh2's algorithms.serverHostKey: types known for this host first. */
  algorithms: string[];
  /** For ssh2's hostVerifier: undefined accepts the key. Under accept-new, records a new key. */
  verify(key: Buffer): HostKeyProblem | undefined;
}

/** Reads the target's known_hosts files now (a missing file is an empty one) and checks keys against them. */
export function hostKeyCheck(target: SshTarget): HostKeyCheck {
  const names = [knownHostsName(target.hostKeyAlias ?? target.hostname, target.port)];
  const entries = readKnownHosts(target);
  return {
    algorithms: hostKeyAlgorithms(knownKeyTypes(entries, names)),
    verify: (key) => verifyHostKey(target, names, entries, key),
  };
}

function readKnownHosts(target: SshTarget): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  for (const f of target.knownHostsFiles) {
    try {
      entries.push(...parseKnownHosts(readFileSync(f, 'utf8'), f));
    } catch {
      /* a missing known_hosts file is an empty one */
    }
  }
  return entries;
}

function verifyHostKey(target: SshTarget, names: string[], entries: KnownHostsEntry[], key: Buffer): HostKeyProblem | undefined {
  const name = names[0] as string;
  const fp = `${keyTypeOfBlob(key)} ${fingerprint(key)}`;
  const res = checkHostKey(entries, names, key);
  // A revoked key is refused whatever the mode, as OpenSSH refuses it even under StrictHostKeyChecking no.
  if (target.hostKeyChecking === 'off' && res.status !== 'revoked') return undefined;
  switch (res.status) {
    case 'match':
      return undefined;
    case 'revoked':
      return {
        kind: 'host-key-revoked',
        message: `host key for ${name} (${fp}) is REVOKED (known_hosts line ${res.entry.line} of ${res.entry.file}): refusing to connect`,
      };
    case 'changed': {
      const f = res.entry.file;
      return {
        kind: 'host-key-changed',
        message:
          `host key for ${name} has CHANGED (known_hosts line ${res.entry.line} of ${f}; now ${fp}): refusing to connect; ` +
          `if the host was rebuilt, remove the old key with ssh-keygen -f ${f} -R '${name}'`,
      };
    }
    case 'unknown': {
      const files = target.knownHostsFiles.join(', ') || 'no known_hosts file';
      if (target.hostKeyChecking === 'accept-new' && res.otherTypes.length === 0) {
        const file = target.knownHostsFiles[0];
        if (!file) return undefined;
        if (!isKnownHostsFileName(file)) {
          return { kind: 'host-key-unknown', message: `unknown host key for ${name} (${fp}): not recorded, ${file} is not named like a known_hosts file` };
        }
        try {
          mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
          appendFileSync(file, formatKnownHostsLine(name, key), { mode: 0o600 });
        } catch (e) {
          return {
            kind: 'host-key-unknown',
            message: `cannot record the host key for ${name} in ${file}: ${oneLine((e as Error).message)}`,
          };
        }
        return undefined;
      }
      const other = res.otherTypes.length ? ` (known_hosts has only ${res.otherTypes.join(', ')} keys for it)` : '';
      return {
        kind: 'host-key-unknown',
        message:
          `host key for ${name} (${fp}) is not known${other} in ${files}: refusing to connect under strict host key checking; ` +
          `verify it and add it (ssh-keyscan), or use accept-new`,
      };
    }
  }
}
