import { canonicalCidr, isHostCidr, parseCidr } from './cidr.js';
import { diffRules } from './diff.js';
import { withoutSelfAccepts } from './implicit-self.js';
import { canonicalRules } from './rule-order.js';
import { ANY, FirewallBackendError, SELF, type Change, type CurrentRules, type FirewallBackend, type Rule, type Step } from './types.js';

/**
 * firewalld: rich rules in the active zone. firewalld rich rules carry no
 * comment, so we keep a record on the host of the rules we added
 * (RECORD_FILE, one canonical rule as JSON per line): a rich rule is ours
 * when the record holds it AND firewalld has it, so an identical rule an
 * operator wrote by hand before us is never removed by us... unless they
 * wrote it after we did (the record cannot tell; said in the report).
 * Changes go to the runtime configuration first; `persist` repeats them
 * with --permanent, for after the new-connection check. Rollback before
 * that is `firewall-cmd --reload` (runtime back to the permanent config).
 */
export const RECORD_DIR = '/var/lib/ece-preflight';
export const RECORD_FILE = `${RECORD_DIR}/firewalld-rules.jsonl`;

/** Zone names as firewalld allows them; the zone comes from facts, still checked before it reaches a command. */
function zoneArgs(zone: string | undefined): string[] {
  if (zone === undefined) return [];
  if (!/^[A-Za-z0-9_-]{1,17}$/.test(zone)) throw new FirewallBackendError(`not a firewalld zone name: ${JSON.stringify(zone)}`);
  return [`--zone=${zone}`];
}

export function richRuleText(r: Rule): string {
  if (r.source === SELF) throw new FirewallBackendError('firewalld cannot match "from this host" (loopback is accepted before the zone)');
  const parts = [`rule family="${r.family}"`];
  if (r.source !== ANY) {
    const c = parseCidr(r.source);
    parts.push(`source address="${isHostCidr(c) ? r.source.replace(/\/\d+$/, '') : r.source}"`);
  }
  const port = r.ports[0] === r.ports[1] ? `${r.ports[0]}` : `${r.ports[0]}-${r.ports[1]}`;
  parts.push(`port port="${port}" protocol="tcp"`, r.action === 'accept' ? 'accept' : 'drop');
  return parts.join(' ');
}

const RICH_RE = /^rule family="(ipv4|ipv6)"(?: source address="([^"]+)")? port port="(\d+)(?:-(\d+))?" protocol="tcp" (accept|drop)$/;

/** A rich rule as `--list-rich-rules` prints it, with the comment from our record; undefined if not of our shape. */
export function parseRichRule(text: string, comment: string): Rule | undefined {
  const m = RICH_RE.exec(text.trim());
  if (!m) return undefined;
  let source = ANY;
  if (m[2]) {
    try {
      source = canonicalCidr(m[2]);
    } catch {
      return undefined;
    }
  }
  return { family: m[1] as Rule['family'], protocol: 'tcp', ports: [Number(m[3]), Number(m[4] ?? m[3])], source, action: m[5] as Rule['action'], comment };
}

function isRule(v: unknown): v is Rule {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    (r.family === 'ipv4' || r.family === 'ipv6') &&
    r.protocol === 'tcp' &&
    Array.isArray(r.ports) &&
    r.ports.length === 2 &&
    r.ports.every((p) => Number.isInteger(p)) &&
    typeof r.source === 'string' &&
    (r.action === 'accept' || r.action === 'drop') &&
    typeof r.comment === 'string'
  );
}

export function parseFirewalldOutput(output: string): CurrentRules {
  const rich = new Set<string>();
  const record: Rule[] = [];
  const notes: string[] = [];
  let section = '';
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (/^##(rich|ours)$/.test(line)) section = line.slice(2);
    else if (!line) continue;
    else if (section === 'rich') rich.add(line);
    else if (section === 'ours') {
      try {
        const v: unknown = JSON.parse(line);
        if (isRule(v)) record.push(v);
        else notes.push(`${RECORD_FILE}: a line that is not a rule`);
      } catch {
        notes.push(`${RECORD_FILE}: a line that is not JSON`);
      }
    }
  }
  const ours = record.filter((r) => r.source !== SELF && rich.has(richRuleText(r)));
  const gone = record.length - ours.length;
  if (gone) notes.push(`${gone} recorded rule(s) are no longer in firewalld (removed by hand or by --reload)`);
  return { ours: canonicalRules(ours), placements: [], foreign: { defaultDeny: true, inputChains: [], notes } };
}

function recordStep(rules: Rule[]): Step {
  return {
    description: `record our rules in ${RECORD_FILE} (rich rules carry no comment)`,
    argv: ['sh', '-c', 'mkdir -p "$1" && cat > "$2"', 'sh', RECORD_DIR, RECORD_FILE],
    stdin: rules.map((r) => JSON.stringify(r)).join('\n') + (rules.length ? '\n' : ''),
  };
}

export function firewalldBackend(zone?: string): FirewallBackend {
  const z = zoneArgs(zone);
  const cmd = (permanent: boolean, op: 'add' | 'remove', r: Rule): Step => ({
    description: `${op} ${permanent ? 'permanent' : 'runtime'} rich rule: ${r.comment}`,
    argv: ['firewall-cmd', ...z, ...(permanent ? ['--permanent'] : []), `--${op}-rich-rule=${richRuleText(r)}`],
  });
  const change = (add: Rule[], remove: Rule[], keepRecord: Rule[], diff: Change['diff']): Change => {
    if (add.length === 0 && remove.length === 0) return { diff, steps: [] };
    return {
      diff,
      // Removals first: a rule whose comment changed is removed and added with the same rich text.
      steps: [...remove.map((r) => cmd(false, 'remove', r)), ...add.map((r) => cmd(false, 'add', r)), recordStep(keepRecord)],
      persist: [...remove.map((r) => cmd(true, 'remove', r)), ...add.map((r) => cmd(true, 'add', r))],
    };
  };
  return {
    name: 'firewalld',
    readCommand: {
      description: 'list the zone rich rules and our record of them',
      argv: ['sh', '-c', 'echo "##rich"; firewall-cmd "$@" --list-rich-rules; echo "##ours"; cat "$0" 2>/dev/null; true', RECORD_FILE, ...z],
    },
    parse: parseFirewalldOutput,
    render(desired, current) {
      const want = canonicalRules(withoutSelfAccepts(desired));
      const diff = diffRules(want, current.ours);
      // Same rich text, other comment: only the record changes, firewalld keeps the rule.
      const richOf = (rules: Rule[]) => new Set(rules.map(richRuleText));
      const removeRich = richOf(diff.remove);
      const addRich = richOf(diff.add);
      const add = diff.add.filter((r) => !removeRich.has(richRuleText(r)));
      const remove = diff.remove.filter((r) => !addRich.has(richRuleText(r)));
      if (diff.add.length + diff.remove.length === 0) return { diff, steps: [] };
      const c = change(add, remove, want, diff);
      return c.steps.length ? c : { diff, steps: [recordStep(want)] };
    },
    removeAll(current) {
      return change([], current.ours, [], { add: [], remove: current.ours, keep: [] });
    },
    snapshot: [
      {
        name: 'firewalld',
        save: { description: 'save the zone configuration (for the record; rollback reloads)', argv: ['firewall-cmd', ...z, '--list-all'] },
        // Runtime changes only until persisted: --reload puts the permanent configuration back.
        restore: () => ({ description: 'drop runtime changes (firewall-cmd --reload)', argv: ['firewall-cmd', '--reload'] }),
      },
    ],
  };
}

