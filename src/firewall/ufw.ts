import { canonicalCidr, isHostCidr, parseCidr } from './cidr.js';
import { isOurComment } from './comment.js';
import { diffRules } from './diff.js';
import { withoutSelfAccepts } from './implicit-self.js';
import { canonicalRules } from './rule-order.js';
import { ANY, FirewallBackendError, SELF, type Change, type CurrentRules, type Family, type FirewallBackend, type Rule, type Step } from './types.js';

/**
 * ufw: one `ufw allow|deny` per rule, with our comment (ufw keeps it and
 * `ufw show added` prints it back). A ufw rule from `any` covers IPv4 and
 * IPv6, so the two canonical rules (one per family) are one ufw rule. ufw
 * writes its rules files at once: there is no runtime-only state, so
 * rollback restores the saved files and reloads. Checked against the real
 * ufw 0.36.2 in lab hosts with a private /etc/ufw (test/lab/firewall-ufw.test.ts).
 */
const UFW_FILES = ['/etc/ufw/user.rules', '/etc/ufw/user6.rules'] as const;

function sourceWord(r: Rule): string {
  if (r.source === SELF) throw new FirewallBackendError('ufw cannot match "from this host" (loopback is accepted in before.rules)');
  if (r.source === ANY) return 'any';
  const c = parseCidr(r.source);
  return isHostCidr(c) ? r.source.replace(/\/\d+$/, '') : r.source;
}

/** The rule as words after `ufw`, as `ufw show added` prints it. */
export function ufwRuleWords(r: Rule): string[] {
  const port = r.ports[0] === r.ports[1] ? `${r.ports[0]}` : `${r.ports[0]}:${r.ports[1]}`;
  return [r.action === 'accept' ? 'allow' : 'deny', 'from', sourceWord(r), 'to', 'any', 'port', port, 'proto', 'tcp'];
}

/** `ufw show added` quotes comments with single quotes. */
function ufwLine(r: Rule): string {
  return `ufw ${ufwRuleWords(r).join(' ')} comment '${r.comment}'`;
}

const LINE_RE = /^ufw (allow|deny) from (\S+) to any port (\d+)(?::(\d+))? proto tcp comment '([^']*)'$/;
/**
 * ufw 0.36 prints a rule from anywhere in its short form: `ufw allow from any
 * to any port 9000:9010 proto tcp` is shown as `ufw allow 9000:9010/tcp`.
 */
const SHORT_RE = /^ufw (allow|deny) (\d+)(?::(\d+))?\/tcp comment '([^']*)'$/;

/** One `ufw show added` line -> canonical rules (two for `from any`); [] when not ours. */
export function parseUfwLine(line: string): Rule[] {
  const short = SHORT_RE.exec(line.trim());
  const m = short ? [short[0], short[1], 'any', short[2], short[3], short[4]] : LINE_RE.exec(line.trim());
  if (!m || !isOurComment(m[5])) return [];
  const base = { protocol: 'tcp' as const, ports: [Number(m[3]), Number(m[4] ?? m[3])] as [number, number], action: (m[1] === 'allow' ? 'accept' : 'drop') as Rule['action'], comment: m[5]! };
  if (m[2] === 'any') return (['ipv4', 'ipv6'] as Family[]).map((family) => ({ ...base, family, source: ANY }));
  try {
    const source = canonicalCidr(m[2]!);
    return [{ ...base, family: source.includes(':') ? 'ipv6' : 'ipv4', source }];
  } catch {
    return [];
  }
}

export function parseUfwOutput(output: string): CurrentRules {
  const ours = output.split('\n').flatMap(parseUfwLine);
  return { ours: canonicalRules(ours), placements: [], foreign: { defaultDeny: true, inputChains: [], notes: [] } };
}

/** Canonical rules -> ufw rules: the ipv4 and ipv6 halves of one `from any` rule become one. */
function ufwRules(rules: Rule[]): Rule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = ufwLine(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function ufwStep(op: 'add' | 'delete', r: Rule): Step {
  const words = ufwRuleWords(r);
  return op === 'add'
    ? { description: `add ufw rule: ${r.comment}`, argv: ['ufw', ...words, 'comment', r.comment] }
    : { description: `delete ufw rule: ${r.comment}`, argv: ['ufw', 'delete', ...words] };
}

export const ufwBackend: FirewallBackend = {
  name: 'ufw',
  readCommand: { description: 'list the ufw rules as commands', argv: ['ufw', 'show', 'added'] },
  parse: parseUfwOutput,
  render(desired, current) {
    const diff = diffRules(canonicalRules(withoutSelfAccepts(desired)), current.ours);
    // A `from any` pair is one ufw rule: delete it if either half goes, add it back if either half stays wanted.
    const removeLines = new Set(ufwRules(diff.remove).map(ufwLine));
    const steps: Change['steps'] = [...ufwRules(diff.remove).map((r) => ufwStep('delete', r))];
    const addAgain = [...diff.add, ...diff.keep.filter((r) => removeLines.has(ufwLine(r)))];
    steps.push(...ufwRules(canonicalRules(addAgain)).map((r) => ufwStep('add', r)));
    return { diff, steps };
  },
  removeAll(current) {
    return { diff: { add: [], remove: current.ours, keep: [] }, steps: ufwRules(current.ours).map((r) => ufwStep('delete', r)) };
  },
  snapshot: UFW_FILES.map((file, i) => ({
    name: i === 0 ? 'ufw-user-rules' : 'ufw-user6-rules',
    save: { description: `save ${file}`, argv: ['cat', file] },
    restore: (path: string) => ({
      description: `restore ${file} and reload ufw`,
      argv: ['sh', '-c', 'cat "$1" > "$2" && ufw reload', 'sh', path, file],
    }),
  })),
};
