import type { z } from 'zod';
import type { Catalog } from '../catalog/types.js';
import type { EngineEvent, Phase } from '../engine/events.js';
import type { HostSession } from '../engine/host-session.js';
import type { EngineOptions } from '../engine/options.js';
import type { RunRecords } from '../engine/run-records.js';
import type { RunResult } from '../engine/result.js';
import type { FleetHost } from '../model/fleet.js';
import type { Plan } from '../plan/types.js';
import type { Connection } from '../transport/connection.js';

/**
 * A module: what one task does on one host, as Ansible's modules do. It
 * declares its arguments (validated at parse time, errors name file and
 * line) and whether it can run under --check; it returns one result shape.
 * Modules never import the UI: they speak through `emit` and their result.
 */
export interface Module<A = Record<string, unknown>, S = unknown> {
  name: string;
  /** One line for --help and docs. */
  description: string;
  args: z.ZodType<A>;
  /** A free-form string allowed as the module's value (`command: echo hi`). */
  freeForm?: 'command' | 'shell';
  /**
   * 'full': runs under --check and changes nothing there (read-only, or it
   * simulates); 'none': skipped under --check, saying so.
   */
  checkMode: 'full' | 'none';
  /** The sweep phase a host is in while this module runs (what the live UI shows). */
  phase: Phase;
  /** Once per task, before any host: work that spans hosts (the probe matrix). */
  prepare?(task: TaskContext, args: A): S | Promise<S>;
  run(host: HostContext, args: A, shared: S): Promise<ModuleResult>;
  /** Once per task on the controller, alongside the hosts (probes of `external` sources). */
  controller?(task: TaskContext, args: A, shared: S): Promise<void>;
}

export interface ModuleResult {
  status: 'ok' | 'changed' | 'failed' | 'skipped';
  /** One line for the per-host output (Ansible's msg). */
  msg?: string;
  /** What `register:` stores besides changed/failed/skipped/msg. */
  data?: Record<string, unknown>;
  /** --diff: what the task changed (or would change under --check). */
  diff?: { before: string; after: string };
}

/** What every task of a run shares. */
export interface RunContext {
  catalog: Catalog;
  options: EngineOptions;
  /** The controller's own connection (local), injected: external probes run there. */
  controller: () => Connection;
  /** A NEW connection to a host (the firewall's confirm step: an established one proves nothing). */
  newConnection: (host: FleetHost) => Connection;
  emit: (e: EngineEvent) => void;
  /** Probe and outbound records, planned counts and warnings, folded into the RunResult. */
  records: RunRecords;
  signal: AbortSignal;
  /** sudo password for become (-K or ECE_PREFLIGHT_BECOME_PASS); undefined: sudo -n. */
  becomePassword?: string;
  /** `sweep --changed`: the last run; checks touching no changed host are carried over from it. */
  baseline?: RunResult;
  /** The last saved run before this one (what `run_diff` compares the inventory with); loaded only for a playbook that uses it, or with --changed. */
  previous?: RunResult;
}

export interface PlayContext {
  name: string;
  /** The play's hosts, in inventory order (after --limit). */
  hosts: FleetHost[];
  vars: Record<string, unknown>;
  /** The ECE plan for the play's hosts under the play's vars (computed once, pure). */
  plan(): Plan;
  /** The same for every host the play's pattern matches, --limit ignored: whom a host's firewall must allow. */
  fullPlan(): Plan;
}

export interface TaskContext {
  run: RunContext;
  play: PlayContext;
  name: string;
  check: boolean;
  diff: boolean;
  /** The hosts this task runs on (this serial batch's, still in the play), in inventory order. */
  hosts: readonly string[];
  /** Hosts still in the play (not failed, not unreachable): probe ends must be. */
  isActive(host: string): boolean;
  /** The session of a play host (connected or not). */
  session(host: string): HostSession | undefined;
}

export interface HostContext {
  name: string;
  host: FleetHost;
  session: HostSession;
  task: TaskContext;
  /** Every variable the host sees for this task (for `assert`, `debug`). */
  vars: Record<string, unknown>;
  /** This task runs under --check (the run's, or the task's `check_mode`). */
  check: boolean;
  /** Run commands with sudo (become); the password comes from the run (-K, ECE_PREFLIGHT_BECOME_PASS). */
  become: boolean;
  becomeUser?: string;
}
