import type { HostRequirement, InboundRule } from '../catalog/types.js';
import type { Endpoint, FleetHost } from '../model/fleet.js';

/** The controller (the machine running ece-preflight) as a probe source for `external` rules. */
export const CONTROLLER = '@controller';

export interface PlanOptions {
  /** sample: first, last and a few spread ports of each range; full: every port. */
  ports: 'sample' | 'full';
  /** Interior ports sampled per range in addition to first and last. */
  sampleInterior: number;
  /** Pair sampling: probe each destination port from at most k hosts of each source role (undefined: all). */
  pairsPerRole?: number;
  /** Optional rule flags turned on, e.g. 'ccs'. */
  enable: string[];
  /** Check ids to skip, e.g. 'outbound', 'docker-2375', a rule id. */
  skip: string[];
  /** Treat the first host in inventory order as the ECE first host (all roles). */
  firstHost: boolean;
  /** `--bandwidth`: measure throughput between zones (one pair per pair of zones, a bounded transfer); off: the requirement is listed as not checked. */
  bandwidth?: boolean;
  /** `--preconditions`: also judge what the ECE installer checks (Docker and its socket, install user, storage path, port range, firewalld). */
  preconditions?: boolean;
}

export interface PlannedListener {
  port: number;
  /** Rule ids this listener serves. */
  rules: string[];
}

export interface Probe {
  /** Stable id: `${from}>${to}:${port}` */
  id: string;
  /** Source host name, or CONTROLLER. */
  from: string;
  /** Destination host name. */
  to: string;
  /** Address the probe connects to (destination's address). */
  address: string;
  port: number;
  expect: 'open' | 'closed';
  /** Rule ids that require this path (a path may be required by several rows). */
  rules: string[];
  /** 'ipv6': the path over IPv6 (id ends `/ipv6`); its address is filled from facts at run time. Absent: IPv4 / the host's address. */
  family?: 'ipv6';
}

export interface OutboundCheck {
  id: string;
  from: string;
  host: string;
  port: number;
  rule: string;
  /** Other rules the same endpoint serves (the registry's host also serving the installation script): one check cites them all. */
  alsoRules?: string[];
  /** ece_https_proxy: the check is a CONNECT through this proxy, which resolves `host` (the source does not). */
  proxy?: Endpoint;
}

export type FactName =
  | 'os'
  | 'kernel'
  | 'ipv6'
  | 'docker'
  | 'firewall'
  | 'listening'
  | 'local-port-range'
  | 'python';

export interface PlanWarning {
  host?: string;
  code: string;
  message: string;
}

export interface PlannedHost {
  host: FleetHost;
  /** Roles planned for (may be all four for the first host). */
  roles: FleetHost['roles'];
  firstHost: boolean;
  listeners: PlannedListener[];
}

/** A host-level requirement (IPv6, round trip, bandwidth) and the hosts it concerns. */
export interface PlannedRequirement {
  /** HostRequirement id in the catalog. */
  requirement: string;
  kind: HostRequirement['kind'];
  value?: HostRequirement['value'];
  /** Host names it applies to, in fleet order (for max-rtt-ms: measure between every pair of them). */
  hosts: string[];
  purpose: string;
  /** ECE versions it applies to (catalog); a host with an unknown version is listed, its check says why. */
  versions?: { min?: string; max?: string };
  /** A round trip measured between hosts of different zones only (data centers), not between every pair. */
  acrossZones?: boolean;
  /** Bandwidth: measured in this run (`--bandwidth`), by the `bandwidth` task, not judged 'not checked' up front. */
  measure?: boolean;
}

export interface Plan {
  catalogVersion: string;
  options: PlanOptions;
  hosts: PlannedHost[];
  probes: Probe[];
  /**
   * The proxy paths again over IPv6 (`family: 'ipv6'`, address empty): run
   * where both ends have a global IPv6 address once facts are in
   * (`resolveIpv6Probes`), so they are not counted with `probes`.
   */
  ipv6Probes?: Probe[];
  outbound: OutboundCheck[];
  facts: FactName[];
  warnings: PlanWarning[];
  /** The inbound rules in force after enable/skip (what probes' `rules` ids point to). */
  rules?: InboundRule[];
  /** The container-only ports' rule (probed must-be-closed, no listener), when not skipped; apart from `rules` (the firewall reads the catalog's list itself). */
  containerOnly?: InboundRule;
  /** Host-level requirements that apply to this fleet. */
  requirements?: PlannedRequirement[];
}
