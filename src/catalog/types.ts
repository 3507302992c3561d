import type { Role } from '../model/roles.js';

/** A single port or an inclusive range. */
export type PortSpec = number | { from: number; to: number };

/**
 * Who opens the connection for a rule.
 * - roles: ECE hosts holding any of these roles (a host may be its own source)
 * - all-hosts: every ECE host in the fleet
 * - external: clients, admins, load balancers; the controller stands in for them
 * - local: only processes on the same host (2375): another host reaching it is a finding
 */
export type RuleSource =
  | { kind: 'roles'; roles: Role[] }
  | { kind: 'all-hosts' }
  | { kind: 'external'; who: string }
  | { kind: 'local' };

/** Where a catalog row comes from, so each rule can be traced to the seed. */
export interface SeedRef {
  /** 'inbound-1' (first inbound table), 'inbound-2', 'outbound', 'intro', 'zookeeper-note', 'multi-dc', or 'design' for DESIGN.md readings */
  table: string;
  /** The diagram number in the seed's table, when it has one. */
  number?: number;
  /** The seed's own words for the row (purpose column or sentence). */
  text: string;
}

export interface InboundRule {
  id: string;
  /** Roles that must accept the traffic; 'all' = every ECE host. */
  dest: Role[] | 'all';
  ports: PortSpec[];
  protocol: 'tcp';
  /** plain, tls, or both when the row lists a plain/TLS pair (9200/9243). */
  tls: 'plain' | 'tls' | 'both';
  purpose: string;
  sources: RuleSource[];
  /** open: must be reachable from sources; closed: must NOT be reachable from other hosts. */
  expect: 'open' | 'closed';
  /** Optional rules are planned only when asked (e.g. CCS/CCR 9400/9443). */
  optional?: { flag: string; reason: string };
  /** ECE versions the rule applies to (inclusive, semver-ish strings). */
  versions?: { min?: string; max?: string };
  /** Where the seed is silent and we decided: say so. */
  note?: string;
  /**
   * Categories a user can skip as a whole (`--skip install-check`), besides the
   * rule id. The planner knows 'install-check' and 'docker'; 'external' and
   * 'outbound' are derived from sources and rule kind.
   */
  tags?: string[];
  seed: SeedRef[];
}

export interface OutboundRule {
  id: string;
  /**
   * Which configured endpoint: the Docker registry, the host that serves the
   * installation script (ece_install_script_host), or each snapshot repository.
   */
  target: 'registry' | 'install-script' | 'snapshot-repos';
  ports: number[];
  purpose: string;
  /**
   * Check the configured endpoint's own port instead of `ports` (snapshot
   * repositories: the port depends on the repository type).
   */
  endpointPort?: boolean;
  /**
   * The seed ties these ports to one host (80 to docker.elastic.co): check them
   * only when the configured endpoint is that host.
   */
  onlyHost?: string;
  /** Where the seed is silent and we decided: say so. */
  note?: string;
  seed: SeedRef[];
}

/** Host-level requirements that are not port rules (IPv6, latency, bandwidth). */
export interface HostRequirement {
  id: string;
  kind: 'ipv6-enabled' | 'max-rtt-ms' | 'min-bandwidth-gbit' | 'first-host-all-roles' | 'role-conflict';
  appliesTo: Role[] | 'all';
  value?: number | string | Role[];
  versions?: { min?: string; max?: string };
  /** Only between hosts of different zones (ece_zone / availability_zone): the multi-data-center rows. */
  acrossZones?: boolean;
  purpose: string;
  /** Where the seed is silent and we decided: say so. */
  note?: string;
  seed: SeedRef[];
}

export interface Catalog {
  /** Version of this catalog (bump when rules change; reports carry it). */
  version: string;
  inbound: InboundRule[];
  outbound: OutboundRule[];
  requirements: HostRequirement[];
  /** Ports used only between containers on one host: never to open. */
  containerOnlyPorts: PortSpec[];
  /**
   * What the sweep checks of `containerOnlyPorts`: probed from other hosts
   * (sampled like other ranges) with no listener of ours, reported `exposed`
   * when something answers. Its id is what `--skip` names and what the
   * probes cite.
   */
  containerOnly?: { id: string; purpose: string; note?: string; seed: SeedRef[] };
}
