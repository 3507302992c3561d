import { createHash, createHmac } from 'node:crypto';

/**
 * known_hosts, as OpenSSH reads it: plain host patterns (comma lists,
 * wildcards, `!` negation, `[host]:port` for ports other than 22) and hashed
 * `|1|salt|hash` entries. Pure: callers read and append the files.
 */
export interface KnownHostsEntry {
  file: string;
  /** 1-based line number in `file`. */
  line: number;
  marker?: '@revoked' | '@cert-authority';
  /** The host field as written (patterns or `|1|salt|hash`). */
  hosts: string;
  keyType: string;
  /** Decoded key blob (SSH wire format). */
  key: Buffer;
}

export function parseKnownHosts(text: string, file: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostsEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostsEntry['marker'];
    else if (fields[0]?.startsWith('@')) return;
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return;
    const entry: KnownHostsEntry = { file, line: i + 1, hosts, keyType, key: Buffer.from(b64, 'base64') };
    if (marker) entry.marker = marker;
    entries.push(entry);
  });
  return entries;
}

/** The name OpenSSH looks up: `host` for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's match_pattern: `*` and `?` wildcards, case-insensitive. */
export function matchWildcard(name: string, pattern: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    'i',
  );
  return re.test(name);
}

/** Does the entry's host field name `name`? Handles hashes, lists and negation. */
export function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (matchWildcard(name, pattern.slice(1))) return false;
    } else if (matchWildcard(name, pattern)) matched = true;
  }
  return matched;
}

/** Key type named inside an SSH wire-format public key blob. */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:...` as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyStatus =
  | { status: 'match'; entry: KnownHostsEntry }
  | { status: 'changed'; entry: KnownHostsEntry }
  | { status: 'revoked'; entry: KnownHostsEntry }
  | { status: 'unknown'; otherTypes: string[] };

/**
 * Check a server key against entries for any of `names` (usually one:
 * knownHostsName(hostname, port)). A revoked key wins; then any entry with the
 * same key is a match; an entry of the same type with another key is a
 * change. Keys of other types only: unknown (OpenSSH prefers known types when
 * negotiating, as SshConnection does). @cert-authority lines are ignored:
 * ssh2 does not verify host certificates.
 */
export function checkHostKey(entries: readonly KnownHostsEntry[], names: readonly string[], blob: Buffer): HostKeyStatus {
  const type = keyTypeOfBlob(blob);
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => !e.marker && names.some((n) => hostFieldMatches(e.hosts, n)));
  const same = forHost.find((e) => e.key.equals(blob));
  if (same) return { status: 'match', entry: same };
  const changed = forHost.find((e) => e.keyType === type);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'unknown', otherTypes: [...new Set(forHost.map((e) => e.keyType))] };
}

/** Key types already known for the host, in file order. */
export function knownKeyTypes(entries: readonly KnownHostsEntry[], names: readonly string[]): string[] {
  return [
    ...new Set(entries.filter((e) => !e.marker && names.some((n) => hostFieldMatches(e.hosts, n))).map((e) => e.keyType)),
  ];
}

/**
 * One known_hosts line. Both words before the key are checked, because the
 * name can come from an inventory (HostKeyAlias) and the key type from the
 * server: neither may carry a space, a newline, a pattern (`*`, `?`, `!`, `,`)
 * or a marker (`@`, `|`, `#`) into the operator's file.
 */
export function formatKnownHostsLine(name: string, blob: Buffer): string {
  if (!/^(\[[A-Za-z0-9._:-]+\]:\d{1,5}|[A-Za-z0-9._:-]+)$/.test(name)) throw new Error(`refusing to record a host key under the name ${JSON.stringify(name)}: not a host name`);
  const type = keyTypeOfBlob(blob);
  if (!/^[A-Za-z0-9@._-]+$/.test(type)) throw new Error(`refusing to record a host key of type ${JSON.stringify(type)}: not a key type`);
  return `${name} ${type} ${blob.toString('base64')}\n`;
}

/**
 * accept-new writes only into a file that is a known_hosts file by name: an
 * inventory's UserKnownHostsFile pointing at ~/.bashrc must not receive lines.
 */
export function isKnownHostsFileName(file: string): boolean {
  return /known_hosts/.test(file.split('/').pop() ?? '');
}

/** `|1|salt|hash` for a name, as `ssh-keygen -H` writes it (salt: 20 bytes). */
export function hashHostName(name: string, salt: Buffer): string {
  const mac = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${mac}`;
}
