import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprint,
  formatKnownHostsLine,
  isKnownHostsFileName,
  hashHostName,
  hostFieldMatches,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
} from '../../../src/transport/known-hosts.js';
import { sshKeyBlob } from './ssh-key-blob.js';

const K1 = sshKeyBlob('ssh-ed25519', 'key-one-32-bytes-long-..........');
const K2 = sshKeyBlob('ssh-ed25519', 'key-two-32-bytes-long-..........');
const R1 = sshKeyBlob('ssh-rsa', 'rsa-key');

describe('known_hosts parsing', () => {
  it('reads plain, hashed, marker and comment lines with line numbers', () => {
    const salt = randomBytes(20);
    const text = [
      '# comment',
      `198.18.0.11 ${keyTypeOfBlob(K1)} ${K1.toString('base64')}`,
      '',
      `${hashHostName('198.18.0.12', salt)} ssh-ed25519 ${K2.toString('base64')} user@box`,
      `@revoked * ssh-rsa ${R1.toString('base64')}`,
      `@cert-authority *.example.com ssh-ed25519 ${K1.toString('base64')}`,
      'garbage',
    ].join('\n');
    const entries = parseKnownHosts(text, '/kh');
    expect(entries.map((e) => [e.line, e.marker ?? '', e.keyType])).toEqual([
      [2, '', 'ssh-ed25519'],
      [4, '', 'ssh-ed25519'],
      [5, '@revoked', 'ssh-rsa'],
      [6, '@cert-authority', 'ssh-ed25519'],
    ]);
    expect(entries[0]!.key.equals(K1)).toBe(true);
  });

  it('matches hashed entries (HMAC-SHA1 of the name with the salt)', () => {
    const field = hashHostName('198.18.0.12', randomBytes(20));
    expect(field).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/);
    expect(hostFieldMatches(field, '198.18.0.12')).toBe(true);
    expect(hostFieldMatches(field, '198.18.0.13')).toBe(false);
  });

  it('matches a real ssh-keygen -H entry', () => {
    // Written by `ssh-keygen -H` (OpenSSH 9.2) for the name example.test.
    const line =
      '|1|1UdZ2a1YaiBn7Q5CwlWdh8Stc2c=|1IR27sdpo5JP7P9WyEZw1GXdK0c= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ5QGemSA28JNs7bO2xAKdjfUArv5S1vDMdA1rdV83CU';
    const [entry] = parseKnownHosts(line, '/kh');
    expect(entry && hostFieldMatches(entry.hosts, 'example.test')).toBe(true);
    expect(entry && hostFieldMatches(entry.hosts, 'other.test')).toBe(false);
    expect(entry && checkHostKey([entry], ['example.test'], entry.key).status).toBe('match');
    expect(keyTypeOfBlob(entry!.key)).toBe('ssh-ed25519');
  });

  it('handles lists, wildcards, negation and [host]:port', () => {
    expect(hostFieldMatches('a.example,198.18.0.11', '198.18.0.11')).toBe(true);
    expect(hostFieldMatches('*.example', 'db.example')).toBe(true);
    expect(hostFieldMatches('198.18.0.?', '198.18.0.5')).toBe(true);
    expect(hostFieldMatches('198.18.0.*,!198.18.0.13', '198.18.0.13')).toBe(false);
    expect(knownHostsName('h', 22)).toBe('h');
    expect(knownHostsName('h', 2222)).toBe('[h]:2222');
    expect(hostFieldMatches('[198.18.0.11]:2222', '[198.18.0.11]:2222')).toBe(true);
    expect(hostFieldMatches('[198.18.0.11]:2222', '198.18.0.11')).toBe(false);
  });
});

describe('checkHostKey', () => {
  const entries = parseKnownHosts(
    [`198.18.0.11 ssh-ed25519 ${K1.toString('base64')}`, `198.18.0.12 ssh-rsa ${R1.toString('base64')}`].join('\n'),
    '/kh',
  );

  it('match, changed (with line), unknown, other types only', () => {
    expect(checkHostKey(entries, ['198.18.0.11'], K1).status).toBe('match');
    const changed = checkHostKey(entries, ['198.18.0.11'], K2);
    expect(changed).toMatchObject({ status: 'changed', entry: { line: 1, file: '/kh' } });
    expect(checkHostKey(entries, ['198.18.0.99'], K1)).toEqual({ status: 'unknown', otherTypes: [] });
    expect(checkHostKey(entries, ['198.18.0.12'], K1)).toEqual({ status: 'unknown', otherTypes: ['ssh-rsa'] });
    expect(knownKeyTypes(entries, ['198.18.0.12'])).toEqual(['ssh-rsa']);
  });

  it('a second, re-trusted line for the same host matches', () => {
    const more = [...entries, ...parseKnownHosts(`198.18.0.11 ssh-ed25519 ${K2.toString('base64')}`, '/kh')];
    expect(checkHostKey(more, ['198.18.0.11'], K2).status).toBe('match');
  });

  it('revoked keys are refused for any host', () => {
    const revoked = parseKnownHosts(`@revoked * ssh-ed25519 ${K1.toString('base64')}`, '/kh');
    expect(checkHostKey([...revoked, ...entries], ['198.18.0.11'], K1).status).toBe('revoked');
  });

  it('formats lines and fingerprints like OpenSSH', () => {
    expect(formatKnownHostsLine('198.18.0.11', K1)).toBe(`198.18.0.11 ssh-ed25519 ${K1.toString('base64')}\n`);
    expect(formatKnownHostsLine('[h1.example.com]:2222', K1)).toMatch(/^\[h1\.example\.com\]:2222 ssh-ed25519 /);
    // an inventory's HostKeyAlias must not write a pattern, a second line or a marker into known_hosts
    for (const alias of ['*', 'h1 ssh-rsa AAAA', 'h1\n* ssh-ed25519 AAAA', '@cert-authority', 'h1,*', '|1|x|y']) {
      expect(() => formatKnownHostsLine(alias, K1), alias).toThrow(/refusing to record/);
    }
    expect(isKnownHostsFileName('/home/op/.ssh/known_hosts')).toBe(true);
    expect(isKnownHostsFileName('/tmp/lab/known_hosts')).toBe(true);
    expect(isKnownHostsFileName('/home/op/.bashrc')).toBe(false);
    expect(fingerprint(K1)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
