import { canonicalCidr, formatAddress, isHostCidr, parseCidr } from './cidr.js';
import { isOurComment, JUMP_COMMENT } from './comment.js';
import { diffRules, sameRuleList } from './diff.js';
import { parseNftListing } from './nftables-listing.js';
import { canonicalRules } from './rule-order.js';
import {
  ANY,
  FirewallBackendError,
  SELF,
  type Change,
  type CurrentRules,
  type Family,
  type FirewallBackend,
  type InputChain,
  type Placement,
  type Rule,
} from './types.js';

/**
 * nftables. Base chains on the same hook are evaluated one after the other
 * and an accept only ends its own chain: a drop (policy or rule) in ANY input
 * base chain still drops the packet. So a table of our own cannot open a
 * port on a host whose own input chain drops by default (Debian's
 * `table inet filter` with `policy drop`). Where such chains exist, our chain
 * `ece_preflight` lives inside each of their tables and the first rule of
 * each of those input chains jumps to it (both marked, so removal is exact);
 * our accepts then end that chain's evaluation before its drops. Where none
 * exists, nothing drops by default and a table of our own (`inet
 * ece_preflight`, policy accept) holds the rules: there only our drops (the
 * same-host-only ports) change anything. Every change is one `nft -f`
 * transaction: all of it applies or none.
 */
export const OUR_TABLE = 'ece_preflight';
export const OUR_CHAIN = 'ece_preflight';
const OWN_FAMILY = 'inet';
const OWN_BASE_CHAIN = 'input';

const familiesOf = (nftFamily: string): Family[] => (nftFamily === 'ip' ? ['ipv4'] : nftFamily === 'ip6' ? ['ipv6'] : ['ipv4', 'ipv6']);

/** One rule as nft lists it inside a table of `nftFamily` (so a capture compares line by line). */
export function nftRuleText(r: Rule, nftFamily: string): string {
  const parts: string[] = [];
  const matchProto = nftFamily === 'inet';
  if (r.source === ANY || r.source === SELF) {
    if (matchProto) parts.push(`meta nfproto ${r.family}`);
    if (r.source === SELF) parts.push('fib saddr type local');
  } else {
    const c = parseCidr(r.source);
    parts.push(`${r.family === 'ipv4' ? 'ip' : 'ip6'} saddr ${isHostCidr(c) ? formatAddress(c) : r.source}`);
  }
  parts.push(`tcp dport ${r.ports[0] === r.ports[1] ? r.ports[0] : `${r.ports[0]}-${r.ports[1]}`}`);
  parts.push(r.action, `comment "${r.comment}"`);
  return parts.join(' ');
}

const RULE_RE =
  /^(?:meta nfproto (ipv4|ipv6) )?(?:(ip|ip6) saddr (\S+) )?(fib saddr type local )?tcp dport (\d+)(?:-(\d+))? (accept|drop) comment "([^"]*)"$/;

/** The inverse of nftRuleText; undefined for anything we do not write. */
export function parseNftRule(text: string, nftFamily: string): Rule | undefined {
  const m = RULE_RE.exec(text);
  if (!m) return undefined;
  const [, proto, saddrKind, saddr, fib, from, to, action, comment] = m;
  if (!isOurComment(comment)) return undefined;
  const family: Family | undefined =
    saddrKind === 'ip' ? 'ipv4' : saddrKind === 'ip6' ? 'ipv6' : (proto as Family | undefined) ?? (nftFamily === 'ip' ? 'ipv4' : nftFamily === 'ip6' ? 'ipv6' : undefined);
  if (!family || (proto && proto !== family) || (saddr && fib)) return undefined;
  let source: string = fib ? SELF : ANY;
  if (saddr) {
    try {
      source = canonicalCidr(saddr);
    } catch {
      return undefined;
    }
  }
  return { family, protocol: 'tcp', ports: [Number(from), Number(to ?? from)], source, action: action as Rule['action'], comment: comment! };
}

function isOurJump(text: string): boolean {
  return new RegExp(`^jump ${OUR_CHAIN}(?: |$)`).test(text);
}

export function parseNftRuleset(output: string): CurrentRules {
  const tables = parseNftListing(output);
  const placements: Placement[] = [];
  const inputChains: InputChain[] = [];
  const notes: string[] = [];
  for (const t of tables) {
    const own = t.family === OWN_FAMILY && t.name === OUR_TABLE;
    const ourChainName = own ? OWN_BASE_CHAIN : OUR_CHAIN;
    const ourChain = t.chains.find((c) => c.name === ourChainName);
    if (ourChain) {
      const rules: Rule[] = [];
      const strangers: string[] = [];
      for (const line of ourChain.rules) {
        const r = parseNftRule(line.text, t.family);
        if (r) rules.push(r);
        else strangers.push(line.text);
      }
      const jumper = own ? undefined : t.chains.find((c) => c.rules.some((l) => isOurJump(l.text)));
      placements.push({
        family: t.family,
        table: t.name,
        chain: ourChainName,
        ...(jumper ? { jumpFrom: jumper.name } : {}),
        jumpHandles: jumper ? jumper.rules.filter((l) => isOurJump(l.text) && l.handle !== undefined).map((l) => l.handle!) : [],
        ownTable: own,
        rules,
        strangers,
      });
      if (strangers.length) notes.push(`${t.family} ${t.name} ${ourChainName}: ${strangers.length} rule(s) we did not write (they go on the next apply)`);
    }
    if (own) continue;
    for (const c of t.chains) {
      if (c.hook !== 'input' || c.type !== 'filter') continue;
      inputChains.push({
        family: t.family,
        table: t.name,
        chain: c.name,
        policy: c.policy ?? 'accept',
        hasDropRule: c.rules.some((l) => !isOurJump(l.text) && /(^| )(drop|reject)( |$)/.test(l.text.replace(/comment "[^"]*"/, ''))),
        managedByIptables: t.managedByIptables,
      });
    }
  }
  return {
    ours: canonicalRules(placements.flatMap((p) => p.rules)),
    placements,
    foreign: { defaultDeny: inputChains.some((c) => c.policy === 'drop'), inputChains, notes },
  };
}

/** Where our rules must be on this host (see the file comment). */
export function wantedPlacements(desired: Rule[], current: CurrentRules): Placement[] {
  const targets = current.foreign.inputChains.filter((c) => c.policy === 'drop' || c.hasDropRule);
  const managed = targets.find((c) => c.managedByIptables);
  if (managed) {
    throw new FirewallBackendError(
      `the input chain ${managed.family} ${managed.table} ${managed.chain} is iptables-nft's (nft must not edit it): use --backend iptables on this host`,
    );
  }
  const sorted = canonicalRules(desired);
  const forFamily = (nftFamily: string) => sorted.filter((r) => familiesOf(nftFamily).includes(r.family));
  if (targets.length === 0) {
    return [{ family: OWN_FAMILY, table: OUR_TABLE, chain: OWN_BASE_CHAIN, jumpHandles: [], ownTable: true, rules: sorted, strangers: [] }];
  }
  const byTable = new Map<string, Placement>();
  for (const t of targets) {
    const key = `${t.family} ${t.table}`;
    // One chain of ours per table. Two dropping input chains in one table are
    // rare; refuse rather than open the port in one of them only.
    const seen = byTable.get(key);
    if (seen) throw new FirewallBackendError(`${key} has two input chains that drop (${seen.jumpFrom}, ${t.chain}): not supported, open the ports there by hand or merge the chains`);
    {
      byTable.set(key, { family: t.family, table: t.table, chain: OUR_CHAIN, jumpFrom: t.chain, jumpHandles: [], ownTable: false, rules: forFamily(t.family), strangers: [] });
    }
  }
  return [...byTable.values()];
}

const placementKey = (p: Pick<Placement, 'family' | 'table' | 'chain'>) => `${p.family} ${p.table} ${p.chain}`;

function isSatisfied(want: Placement, have: Placement | undefined): boolean {
  return !!have && have.strangers.length === 0 && sameRuleList(want.rules, have.rules) && (want.ownTable || (have.jumpFrom === want.jumpFrom && have.jumpHandles.length === 1));
}

function chainBlock(family: string, table: string, chain: string, lines: string[]): string {
  return [`table ${family} ${table} {`, `\tchain ${chain} {`, ...lines.map((l) => `\t\t${l}`), '\t}', '}'].join('\n');
}

/** nft statements that take a placement away exactly: our jumps by handle, then our chain (or our table). */
function removalLines(p: Placement): string[] {
  if (p.ownTable) return [`delete table ${p.family} ${p.table}`];
  return [
    ...p.jumpHandles.map((h) => `delete rule ${p.family} ${p.table} ${p.jumpFrom} handle ${h}`),
    `flush chain ${p.family} ${p.table} ${p.chain}`,
    `delete chain ${p.family} ${p.table} ${p.chain}`,
  ];
}

/** The script for one wanted placement: declare, empty, fill, and jump to it when no jump is there yet. */
function placementLines(want: Placement, have: Placement | undefined): string[] {
  const head = want.ownTable ? [`type filter hook input priority filter; policy accept;`] : [];
  const out = [
    chainBlock(want.family, want.table, want.chain, head),
    `flush chain ${want.family} ${want.table} ${want.chain}`,
    chainBlock(want.family, want.table, want.chain, want.rules.map((r) => nftRuleText(r, want.family))),
  ];
  if (!want.ownTable) {
    const jumps = have && have.jumpFrom === want.jumpFrom ? have.jumpHandles : [];
    // Extra jumps (a load run twice by hand) go; the first stays where it is.
    for (const h of jumps.slice(1)) out.push(`delete rule ${want.family} ${want.table} ${want.jumpFrom} handle ${h}`);
    if (jumps.length === 0) out.push(`insert rule ${want.family} ${want.table} ${want.jumpFrom} jump ${want.chain} comment "${JUMP_COMMENT}"`);
  }
  return out;
}

const HEADER = '# ece-preflight: our rules only, in one transaction (nft -f)';

function nftStep(description: string, lines: string[]): Change['steps'][number] {
  return { description, argv: ['nft', '-f', '-'], stdin: [HEADER, ...lines].join('\n') + '\n' };
}

export const nftablesBackend: FirewallBackend = {
  name: 'nftables',
  readCommand: { description: 'list the nftables ruleset with handles', argv: ['nft', '-a', 'list', 'ruleset'] },
  parse: parseNftRuleset,
  render(desired, current) {
    const wanted = wantedPlacements(desired, current);
    // Compared with what the placements hold: an ipv6 rule has no home on a host whose only dropping chain is `ip`.
    const diff = diffRules(canonicalRules(wanted.flatMap((p) => p.rules)), current.ours);
    const have = new Map(current.placements.map((p) => [placementKey(p), p]));
    const wantedKeys = new Set(wanted.map(placementKey));
    const stale = current.placements.filter((p) => !wantedKeys.has(placementKey(p)));
    const todo = wanted.filter((w) => !isSatisfied(w, have.get(placementKey(w))));
    if (stale.length === 0 && todo.length === 0) return { diff, steps: [] };
    const lines = [...stale.flatMap(removalLines), ...todo.flatMap((w) => placementLines(w, have.get(placementKey(w))))];
    return { diff, steps: [nftStep('load our nftables rules', lines)] };
  },
  removeAll(current) {
    const diff = { add: [], remove: current.ours, keep: [] };
    if (current.placements.length === 0) return { diff, steps: [] };
    return { diff, steps: [nftStep('remove our nftables rules', current.placements.flatMap(removalLines))] };
  },
  snapshot: [
    {
      name: 'nftables',
      save: { description: 'save the whole nftables ruleset', argv: ['nft', 'list', 'ruleset'] },
      // `flush ruleset` and the saved rules in one transaction: no moment without a firewall.
      restore: (path) => ({
        description: 'restore the saved nftables ruleset',
        argv: ['sh', '-c', '{ echo "flush ruleset"; cat "$1"; } | nft -f -', 'sh', path],
      }),
    },
  ],
};
