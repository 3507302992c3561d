import type { BackendName, Change, Step } from './types.js';

/**
 * `--persist`: after a change was confirmed over a new connection, make it
 * survive a reboot the backend's own way.
 *
 * - nftables: the whole current ruleset (`nft list ruleset`, after a
 *   `flush ruleset`) written to the file the distribution's nftables service
 *   loads: /etc/nftables.conf (Debian, Ubuntu), else
 *   /etc/sysconfig/nftables.conf (RHEL family). Checked with `nft -c -f`
 *   before it replaces the file; the earlier file is kept beside it as
 *   `<file>.ece-preflight.bak`. The whole ruleset, not a file of ours
 *   included from the distribution's: our chain lives inside the host's own
 *   table (jumped to from its input chain), which a separate file cannot
 *   recreate before that table exists.
 * - iptables: `iptables-save` / `ip6tables-save` to /etc/iptables/rules.v4 and
 *   rules.v6 (iptables-persistent, where /etc/iptables exists), else
 *   /etc/sysconfig/iptables and /etc/sysconfig/ip6tables (RHEL's
 *   iptables-services); each checked with `-restore --test` first.
 * - firewalld: the change's own `--permanent` steps (the backend renders them).
 * - ufw: nothing to do; ufw writes its rules files as it goes.
 *
 * The target file is detected on the host unless given (ece_firewall_persist_file;
 * tests point it into a temp folder, since lab hosts share this machine's /etc).
 * Paths travel as argv, never inside the script text.
 */

export const PERSIST_PATH_RE = /^\/[A-Za-z0-9._/+-]+$/;

export function checkPersistPath(p: string): string {
  if (!PERSIST_PATH_RE.test(p) || p.split('/').includes('..')) throw new Error(`persist file ${JSON.stringify(p)} must be an absolute path of plain characters`);
  return p;
}

/** The ip6tables file that goes with an iptables one: rules.v4 -> rules.v6, /etc/sysconfig/iptables -> ip6tables, else `<file>6`. */
export function v6FileFor(v4: string): string {
  if (/\.v4$/.test(v4)) return v4.replace(/\.v4$/, '.v6');
  if (/\/iptables$/.test(v4)) return v4.replace(/\/iptables$/, '/ip6tables');
  return `${v4}6`;
}

const NFT_SCRIPT = [
  'set -e',
  'f=$1',
  'if [ -z "$f" ]; then',
  '  if [ -f /etc/nftables.conf ]; then f=/etc/nftables.conf',
  '  elif [ -f /etc/sysconfig/nftables.conf ] || [ -d /etc/sysconfig ]; then f=/etc/sysconfig/nftables.conf',
  '  else echo "no nftables configuration file here (/etc/nftables.conf, /etc/sysconfig/nftables.conf): set ece_firewall_persist_file" >&2; exit 3; fi',
  'fi',
  'tmp="$f.ece-preflight.tmp"',
  '{ echo "#!/usr/sbin/nft -f"; echo "# Written by ece-preflight firewall apply --persist: the whole ruleset, confirmed over a new SSH connection."; echo "flush ruleset"; nft list ruleset; } > "$tmp"',
  'if [ -f "$f" ] && cmp -s "$tmp" "$f"; then rm -f "$tmp"; echo "unchanged $f"; exit 0; fi',
  'nft -c -f "$tmp" || { rm -f "$tmp"; echo "nft refuses the saved ruleset (nothing written to $f)" >&2; exit 4; }',
  'if [ -f "$f" ]; then cp -p "$f" "$f.ece-preflight.bak"; chmod --reference="$f" "$tmp"; else chmod 0755 "$tmp"; fi',
  'mv "$tmp" "$f"',
  'echo "$f"',
].join('\n');

const IPT_SCRIPT = [
  'set -e',
  'f4=$1; f6=$2',
  'if [ -z "$f4" ]; then',
  '  if [ -d /etc/iptables ]; then f4=/etc/iptables/rules.v4; f6=/etc/iptables/rules.v6',
  '  elif [ -d /etc/sysconfig ]; then f4=/etc/sysconfig/iptables; f6=/etc/sysconfig/ip6tables',
  '  else echo "no iptables rules file here (/etc/iptables/ of iptables-persistent, /etc/sysconfig/iptables): set ece_firewall_persist_file" >&2; exit 3; fi',
  'fi',
  'save() {',
  '  tmp="$3.ece-preflight.tmp"',
  // Comments (a date) and packet counters left out: the same rules give the same file.
  '  "$1" | grep -v "^#" | sed "s/\\[[0-9]*:[0-9]*\\]$/[0:0]/" > "$tmp"',
  '  if [ -f "$3" ] && cmp -s "$tmp" "$3"; then rm -f "$tmp"; echo "unchanged $3"; return 0; fi',
  '  "$2" --test < "$tmp" || { rm -f "$tmp"; echo "$2 refuses the saved rules (nothing written to $3)" >&2; exit 4; }',
  '  if [ -f "$3" ]; then cp -p "$3" "$3.ece-preflight.bak"; chmod --reference="$3" "$tmp"; fi',
  '  mv "$tmp" "$3"; echo "$3"',
  '}',
  'save iptables-save iptables-restore "$f4"',
  'if [ -n "$f6" ] && command -v ip6tables-save >/dev/null 2>&1; then save ip6tables-save ip6tables-restore "$f6"; fi',
].join('\n');

export interface PersistPlan {
  steps: Step[];
  /** What the result says once the steps ran. */
  done: string;
}

/**
 * The steps that make a confirmed change permanent on `backend`; `file`
 * (nftables file, or iptables' IPv4 file; the IPv6 one follows v6FileFor)
 * when given, else detected on the host. Each step prints the files it wrote.
 */
export function persistPlan(backend: BackendName, change: Pick<Change, 'persist'>, file?: string): PersistPlan {
  const f = file ? checkPersistPath(file) : '';
  switch (backend) {
    case 'nftables':
      return {
        steps: [{ description: 'write the whole nftables ruleset where the nftables service loads it', argv: ['sh', '-c', NFT_SCRIPT, 'sh', f] }],
        done: 'the whole ruleset in',
      };
    case 'iptables':
      return {
        steps: [{ description: 'iptables-save and ip6tables-save where the distribution restores them at boot', argv: ['sh', '-c', IPT_SCRIPT, 'sh', f, f ? v6FileFor(f) : ''] }],
        done: 'iptables-save in',
      };
    case 'firewalld':
      return { steps: [...(change.persist ?? [])], done: 'made permanent with firewall-cmd --permanent' };
    case 'ufw':
      return { steps: [], done: 'ufw keeps its rules across reboots' };
  }
}

/** Said when --persist was not given. */
export function notPersisted(backend: BackendName): string {
  return backend === 'ufw' ? 'ufw keeps them across reboots' : 'they last until reboot (--persist makes them permanent)';
}
