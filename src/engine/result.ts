import type { PlanOptions, PlanWarning } from '../plan/types.js';
import type { CheckRecord } from './check-record.js';
import type { HostCheckRecord } from './host-check.js';
import type { NotCheckedRecord } from './not-checked.js';
import type { HostFacts, PortInUse } from '../tasks/facts-types.js';
import type { HostState, Phase } from './phases.js';
import type { FleetHost } from '../model/fleet.js';
import type { Role } from '../model/roles.js';
import type { SupersededRound } from './run-records.js';
import type { RunSummary } from './run-summary.js';
import type { TaskCounts } from './task-counts.js';

/**
 * Version of the JSON report schema (docs/REPORT-SCHEMA.md). run@3: the
 * outcome `unresolved` (a closed enum's new value); run@2 files read as they are.
 */
export const RESULT_SCHEMA = 'ece-preflight/run@3';

export interface HostRecord {
  name: string;
  /** Where other hosts and the controller probed it (ece_host_ip, ansible_host, ssh_config HostName, or the name). */
  address: string;
  /** Which of those `address` is. */
  addressSource?: FleetHost['addressSource'];
  /** The SSH target used, after ssh_config: `user@host:port [via ...]`, or `local`. */
  ssh?: string;
  roles: Role[];
  rolesSource: string;
  state: HostState;
  error?: string;
  errorKind?: string;
  /** The phase a `failed` host failed in. */
  phase?: Phase;
  facts?: HostFacts;
  listeners?: { bound: number[]; inUse: PortInUse[]; failed: { port: number; error: string }[] };
  cleanup?: { ok: boolean; detail?: string };
  /** What the host's firewall rules are built from besides roles and address, so a diff of two saved runs renders the rules `firewall apply` would. */
  firewallInputs?: FirewallInputs;
}

/** The per-host settings the desired firewall rules read (src/firewall/desired.ts) beyond name, address and roles. */
export interface FirewallInputs {
  /** ansible_port: the SSH port the rules keep open. */
  sshPort: number;
  connection: 'ssh' | 'local';
  clientCidrs: string[];
  adminCidrs: string[];
  eceVersion?: string;
}

/** PLAY RECAP per host: verdicts of probes where the host is the destination, plus its own outbound checks. */
export interface HostRecap {
  ok: number;
  blocked: number;
  exposed: number;
  error: number;
  unreachable: boolean;
  failed: boolean;
}

export interface RunContextRecord {
  /** The playbook that ran (sweep: playbooks/preflight.yml). */
  playbook?: string;
  /** --limit as given. */
  limit?: string;
  /** The sweep plan's options (ports sample/full, pairs, skip, enable, first host). */
  planOptions?: PlanOptions;
}

export interface RunResult {
  schema: typeof RESULT_SCHEMA;
  tool: { name: 'ece-preflight'; version: string };
  catalogVersion: string;
  inventory: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  interrupted: boolean;
  exitCode: number;
  /** The headline: complete or not, what went unchecked and why, failures and exposures apart. */
  summary: RunSummary;
  /** Which path listeners tested: host sockets (not Docker's DNAT path, see rancher/rke#608). */
  listenerPath: 'host-network';
  hosts: HostRecord[];
  /** Every check that ran (probes and outbound checks), in the order results came. */
  checks: CheckRecord[];
  /** Planned checks that did not run, with why (absent in files written before it existed). */
  notChecked?: NotCheckedRecord[];
  /** Requirements (IPv6 on proxies, ...) and installer preconditions, judged per host; absent when none was planned. */
  hostChecks?: HostCheckRecord[];
  warnings: PlanWarning[];
  recap: Record<string, HostRecap>;
  /**
   * What the run was asked, so a later run can compare like with like: a path
   * outside --limit or outside the plan's options is not a path removed.
   */
  context?: RunContextRecord;
  /** Earlier rounds of checks that a later task of the same run probed again (a sweep, a firewall change, a sweep again): the later results are the run's. */
  superseded?: SupersededRound[];
  /** Ansible's PLAY RECAP per host: task results (ok, changed, unreachable, failed, skipped, rescued, ignored). */
  tasks?: Record<string, TaskCounts>;
  /** `unresolved`: of the `error` verdicts, checks whose destination name the source could not resolve (present when any). */
  totals: { ok: number; blocked: number; exposed: number; error: number; skipped: number; unresolved?: number };
}
