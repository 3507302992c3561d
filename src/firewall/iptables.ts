import { canonicalCidr } from './cidr.js';
import { isOurComment, JUMP_COMMENT } from './comment.js';
import { diffRules, sameRuleList } from './diff.js';
import { canonicalRules } from './rule-order.js';
import { ANY, SELF, type Change, type CurrentRules, type Family, type FirewallBackend, type InputChain, type Placement, type Rule } from './types.js';

/**
 * iptables and ip6tables (legacy or nf_tables builds alike: both speak
 * iptables-save/iptables-restore). Our rules live in a chain of our own,
 * ECE_PREFLIGHT in the filter table, jumped to from INPUT position 1: unlike
 * nftables base chains, INPUT is one chain, so the jump is all it takes for
 * our accepts to come before the host's drops. A change is one
 * `iptables-restore --noflush` per family: declaring our chain there empties
 * it, the rest of the table is left alone, and the whole input is one
 * commit.
 */
export const IPT_CHAIN = 'ECE_PREFLIGHT';
const FAMILIES: Family[] = ['ipv4', 'ipv6'];
const SAVE = { ipv4: 'iptables-save', ipv6: 'ip6tables-save' } as const;
const RESTORE = { ipv4: 'iptables-restore', ipv6: 'ip6tables-restore' } as const;

/** iptables-save words: double quotes with backslash escapes, as it writes them. */
export function iptablesWords(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let word = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        word += line[i++];
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') word += line[i++];
    }
    out.push(word);
  }
  return out;
}

/** One rule as iptables-save prints it (so captures compare line by line). */
export function iptablesRuleText(r: Rule): string {
  const parts = [`-A ${IPT_CHAIN}`];
  if (r.source !== ANY && r.source !== SELF) parts.push(`-s ${r.source}`);
  parts.push('-p tcp');
  if (r.source === SELF) parts.push('-m addrtype --src-type LOCAL');
  parts.push(`-m tcp --dport ${r.ports[0] === r.ports[1] ? r.ports[0] : `${r.ports[0]}:${r.ports[1]}`}`);
  parts.push(`-m comment --comment "${r.comment}"`, `-j ${r.action === 'accept' ? 'ACCEPT' : 'DROP'}`);
  return parts.join(' ');
}

/** The inverse of iptablesRuleText (words after `-A CHAIN`); undefined for anything we do not write. */
export function parseIptablesRule(words: string[], family: Family): Rule | undefined {
  let source: string = ANY;
  let ports: [number, number] | undefined;
  let comment: string | undefined;
  let action: Rule['action'] | undefined;
  let proto = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w === '-s' && next) {
      try {
        source = canonicalCidr(next);
      } catch {
        return undefined;
      }
      i++;
    } else if (w === '-p' && next === 'tcp') {
      proto = true;
      i++;
    } else if (w === '-m' && (next === 'tcp' || next === 'comment' || next === 'addrtype')) i++;
    else if (w === '--src-type' && next === 'LOCAL' && source === ANY) {
      source = SELF;
      i++;
    } else if (w === '--dport' && next && /^\d+(:\d+)?$/.test(next)) {
      const [a, b] = next.split(':').map(Number);
      ports = [a!, b ?? a!];
      i++;
    } else if (w === '--comment' && next !== undefined) {
      comment = next;
      i++;
    } else if (w === '-j' && (next === 'ACCEPT' || next === 'DROP')) {
      action = next === 'ACCEPT' ? 'accept' : 'drop';
      i++;
    } else return undefined;
  }
  if (!proto || !ports || !action || !isOurComment(comment)) return undefined;
  if (source !== ANY && source !== SELF && source.includes(':') !== (family === 'ipv6')) return undefined;
  return { family, protocol: 'tcp', ports, source, action, comment: comment! };
}

/** Output of readCommand: `##ipv4`/`##ipv6` sections, each `present` (the tool exists) and the filter table. */
export const IPTABLES_READ =
  'for f in ipv4 ipv6; do echo "##$f"; if [ $f = ipv4 ]; then s=iptables-save; else s=ip6tables-save; fi; ' +
  'command -v $s >/dev/null 2>&1 && echo present && $s -t filter 2>/dev/null; done; true';

function sections(output: string): Map<Family, string[]> {
  const map = new Map<Family, string[]>();
  let cur: string[] | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = /^##(ipv4|ipv6)$/.exec(line);
    if (m) map.set(m[1] as Family, (cur = []));
    else if (cur && line.trim()) cur.push(line);
  }
  return map;
}

/** Parsed filter table of one family: what the rest of this file needs. */
interface FamilyState {
  present: boolean;
  inputPolicy: 'accept' | 'drop';
  inputRules: string[][];
  ourChainDeclared: boolean;
  ourRules: string[][];
}

/** iptables-save's filter table, from one output (the whole output when it has no sections: a plain capture). */
export function parseIptablesSave(lines: string[]): FamilyState {
  const st: FamilyState = { present: lines.includes('present'), inputPolicy: 'accept', inputRules: [], ourChainDeclared: false, ourRules: [] };
  let inFilter = false;
  for (const line of lines) {
    if (line.startsWith('*')) inFilter = line === '*filter';
    else if (!inFilter || line.startsWith('#')) continue;
    else if (line === 'COMMIT') inFilter = false;
    else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      if (name === 'INPUT') st.inputPolicy = policy === 'DROP' ? 'drop' : 'accept';
      if (name === IPT_CHAIN) st.ourChainDeclared = true;
    } else if (line.startsWith('-A ')) {
      const words = iptablesWords(line);
      if (words[1] === 'INPUT') st.inputRules.push(words.slice(2));
      else if (words[1] === IPT_CHAIN) st.ourRules.push(words.slice(2));
    }
  }
  return st;
}

const isJump = (words: string[]) => words.includes('-j') && words[words.indexOf('-j') + 1] === IPT_CHAIN;

export function parseIptablesOutput(output: string): CurrentRules {
  const secs = sections(output);
  const placements: Placement[] = [];
  const inputChains: InputChain[] = [];
  const notes: string[] = [];
  for (const family of FAMILIES) {
    const lines = secs.get(family);
    if (!lines) continue;
    const st = parseIptablesSave(lines);
    if (!st.present) {
      notes.push(`${SAVE[family]} is not installed: no ${family} rules`);
      continue;
    }
    const jumpPositions = st.inputRules.flatMap((w, i) => (isJump(w) ? [i + 1] : []));
    inputChains.push({
      family,
      table: 'filter',
      chain: 'INPUT',
      policy: st.inputPolicy,
      hasDropRule: st.inputRules.some((w) => ['DROP', 'REJECT'].includes(w[w.indexOf('-j') + 1] ?? '')),
      managedByIptables: true,
    });
    if (!st.ourChainDeclared) continue;
    const rules: Rule[] = [];
    const strangers: string[] = [];
    for (const words of st.ourRules) {
      const r = parseIptablesRule(words, family);
      if (r) rules.push(r);
      else strangers.push(words.join(' '));
    }
    if (strangers.length) notes.push(`${family} ${IPT_CHAIN}: ${strangers.length} rule(s) we did not write (they go on the next apply)`);
    placements.push({
      family,
      table: 'filter',
      chain: IPT_CHAIN,
      jumpFrom: 'INPUT',
      jumpHandles: jumpPositions,
      ...(jumpPositions.length ? { jumpPosition: jumpPositions[0]! } : {}),
      ownTable: false,
      rules,
      strangers,
    });
  }
  return {
    ours: canonicalRules(placements.flatMap((p) => p.rules)),
    placements,
    foreign: { defaultDeny: inputChains.some((c) => c.policy === 'drop'), inputChains, notes },
  };
}

const restoreStep = (family: Family, description: string, lines: string[]): Change['steps'][number] => ({
  description,
  argv: [RESTORE[family], '--noflush'],
  stdin: ['*filter', ...lines, 'COMMIT'].join('\n') + '\n',
});

/** Families whose tools exist on the host (all, when the output did not say). */
function familiesPresent(current: CurrentRules): Family[] {
  const seen = current.foreign.inputChains.map((c) => c.family as Family);
  return seen.length ? FAMILIES.filter((f) => seen.includes(f)) : FAMILIES;
}

export const iptablesBackend: FirewallBackend = {
  name: 'iptables',
  readCommand: { description: 'save the iptables and ip6tables filter tables', argv: ['sh', '-c', IPTABLES_READ] },
  parse: parseIptablesOutput,
  render(desired, current) {
    const families = familiesPresent(current);
    const placed = canonicalRules(desired).filter((r) => families.includes(r.family));
    const diff = diffRules(placed, current.ours);
    const steps: Change['steps'] = [];
    for (const family of families) {
      const want = placed.filter((r) => r.family === family);
      const have = current.placements.find((p) => p.family === family);
      const jumps = have?.jumpHandles ?? [];
      if (have && have.strangers.length === 0 && sameRuleList(want, have.rules) && jumps.length === 1) continue;
      const lines = [`:${IPT_CHAIN} - [0:0]`, ...want.map(iptablesRuleText)];
      // Extra jumps go (from the bottom, so positions hold); the first stays where it is.
      for (const pos of jumps.slice(1).reverse()) lines.push(`-D INPUT ${pos}`);
      if (jumps.length === 0) lines.push(`-I INPUT 1 -m comment --comment "${JUMP_COMMENT}" -j ${IPT_CHAIN}`);
      steps.push(restoreStep(family, `load our ${family} rules (${RESTORE[family]} --noflush)`, lines));
    }
    return { diff, steps };
  },
  removeAll(current) {
    const steps = current.placements.map((p) => {
      const family = p.family as Family;
      const lines = [...[...p.jumpHandles].reverse().map((pos) => `-D INPUT ${pos}`), `-F ${IPT_CHAIN}`, `-X ${IPT_CHAIN}`];
      return restoreStep(family, `remove our ${family} rules`, lines);
    });
    return { diff: { add: [], remove: current.ours, keep: [] }, steps };
  },
  snapshot: FAMILIES.map((family) => ({
    name: `iptables-${family === 'ipv4' ? 'v4' : 'v6'}`,
    save: { description: `save every ${family} table`, argv: [SAVE[family]] },
    restore: (path: string) => ({ description: `restore the saved ${family} tables`, argv: [RESTORE[family], path] }),
  })),
};
