/**
 * One canonical rule shape, shared by reading (parse) and writing (render),
 * pyinfra style: parse the host's rules into this shape, diff with the
 * desired rules, render only the change. Every backend speaks this shape.
 */

export type Family = 'ipv4' | 'ipv6';

/**
 * Who may connect:
 * - a canonical CIDR (`10.0.0.1/32`, `2001:db8::/64`: network address, RFC 5952 text; see cidr.ts)
 * - 'any': every source of the rule's family
 * - 'self': the host's own addresses (nft `fib saddr type local`, iptables `addrtype --src-type LOCAL`)
 */
export type RuleSource = string;
export const ANY = 'any';
export const SELF = 'self';

export interface Rule {
  family: Family;
  protocol: 'tcp';
  /** Inclusive destination port range; a single port is [p, p]. */
  ports: [number, number];
  source: RuleSource;
  action: 'accept' | 'drop';
  /**
   * `ece-preflight <rule ids>[: purpose]`: names the seed rule(s) the rule serves
   * and is how we recognise OUR rules among the host's (see comment.ts).
   */
  comment: string;
}

/** The rules one host should carry, with what the operator should know about them. */
export interface HostRuleSet {
  host: string;
  rules: Rule[];
  /** Plain words about choices made for this host (client ports open to anywhere, no SSH rule, ...). */
  warnings: string[];
}

export interface RuleDiff {
  add: Rule[];
  remove: Rule[];
  keep: Rule[];
}

export type BackendName = 'nftables' | 'iptables' | 'firewalld' | 'ufw';
export const BACKEND_NAMES: readonly BackendName[] = ['nftables', 'iptables', 'firewalld', 'ufw'];

/** A base chain on the input hook that is not ours (nftables; iptables: the INPUT chain). */
export interface InputChain {
  /** nft family (`inet`, `ip`, `ip6`) or iptables family (`ipv4`, `ipv6`). */
  family: string;
  table: string;
  chain: string;
  policy: 'accept' | 'drop';
  /** It holds a drop or reject rule, so it can refuse our traffic even with policy accept. */
  hasDropRule: boolean;
  /** Written by iptables-nft: the nft tool must not touch it (use the iptables backend). */
  managedByIptables: boolean;
}

/** What a host holds besides our rules, as far as placing ours is concerned. */
export interface ForeignSummary {
  /** Some input chain drops by policy: only what is accepted gets in. */
  defaultDeny: boolean;
  inputChains: InputChain[];
  /** Things we noticed and did not understand (kept out of `ours`, reported). */
  notes: string[];
}

/**
 * Where our rules live now: our chain inside a table (jumped to from a base
 * chain) or a table of our own. Rules are in chain order.
 */
export interface Placement {
  /** nft family or iptables family, as InputChain.family. */
  family: string;
  table: string;
  chain: string;
  /** The base chain that jumps to ours; undefined for a table of our own. */
  jumpFrom?: string;
  /** nft handles of our jump rules in jumpFrom (several if someone ran a load twice by hand). */
  jumpHandles: number[];
  /** Position of our jump in jumpFrom (1 = first), when known (iptables). */
  jumpPosition?: number;
  ownTable: boolean;
  rules: Rule[];
  /** Lines inside our chain that are not rules we write (foreign or broken): a reason to rewrite it. */
  strangers: string[];
}

export interface CurrentRules {
  /** Our rules, each once, in canonical order. */
  ours: Rule[];
  placements: Placement[];
  foreign: ForeignSummary;
}

/**
 * One command to run on the host. `argv` is run as is (never through a shell
 * unless argv says `sh -c`); `stdin` carries scripts (nft -f -,
 * iptables-restore), so no rule text is ever a shell word.
 */
export interface Step {
  description: string;
  argv: string[];
  stdin?: string;
}

/** What render/removeAll return: the change in rules and the steps that make it. */
export interface Change {
  diff: RuleDiff;
  /** Empty when the host already holds exactly the desired rules (changed=0). */
  steps: Step[];
  /**
   * Steps that make the change survive a reboot, to run only after the new
   * rules were verified over a NEW connection (firewalld's --permanent).
   * Undefined where persisting is the apply code's job (nft, iptables: write
   * the saved ruleset where the distribution loads it) or the change is
   * already permanent (ufw).
   */
  persist?: Step[];
}

/** Save the host's whole ruleset before a change and load it back on rollback. */
export interface SnapshotPart {
  /** File-name-safe label: `nftables`, `iptables-v4`, ... */
  name: string;
  /** Prints the ruleset on stdout (run with become). */
  save: Step;
  /** Loads a file written from `save`'s stdout back, replacing what the change did. */
  restore(path: string): Step;
}

export interface FirewallBackend {
  name: BackendName;
  /** A fixed command (run with become) that prints what parse reads; nothing from the inventory in it. */
  readCommand: Step;
  parse(output: string): CurrentRules;
  /** The steps that make OUR rules exactly `desired` (nothing else is touched); none when already so. */
  render(desired: Rule[], current: CurrentRules): Change;
  /** The steps that remove every rule, chain and jump of ours, and nothing else. */
  removeAll(current: CurrentRules): Change;
  snapshot: SnapshotPart[];
}

/** The backend cannot do what is asked on this host (say why and what to use instead). */
export class FirewallBackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirewallBackendError';
  }
}
