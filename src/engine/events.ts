import type { HostFacts, PortInUse } from '../tasks/facts-types.js';
import type { CheckRecord } from './check-record.js';
import type { SupersededRound } from './run-records.js';
import type { RunResult } from './result.js';
import type { Role } from '../model/roles.js';
import type { HostState, Phase, TaskStatus } from './phases.js';

// Defined in phases.ts (result.ts and run-summary.ts need them too); still importable from here.
export { PHASES, type HostState, type Phase, type TaskStatus } from './phases.js';

/**
 * Everything the engine says, as one discriminated union. Renderers (plain,
 * JSON, ink) subscribe; a renderer keyed on `kind` with an exhaustive map does
 * not compile when a kind is added without a formatter.
 */
export type EngineEvent =
  | {
      kind: 'run-start';
      at: number;
      inventory: string;
      hosts: { name: string; address: string; roles: Role[]; rolesSource: string }[];
      counts: { probes: number; listeners: number; outbound: number };
      /** --fail-on-exposed: exposures count as failures (renderers count them apart otherwise). */
      exposuresFail: boolean;
    }
  | { kind: 'play-start'; at: number; name: string; hosts: string[]; check: boolean }
  | { kind: 'task-start'; at: number; name: string; module: string; phase: Phase; hosts: string[] }
  | {
      kind: 'task-result';
      host: string;
      task: string;
      module: string;
      status: TaskStatus;
      msg?: string;
      diff?: { before: string; after: string };
      /** A failure that ignore_errors let pass. */
      ignored?: boolean;
    }
  | { kind: 'host-state'; host: string; state: HostState; at: number }
  | { kind: 'host-unreachable'; host: string; error: string; errorKind: string }
  | { kind: 'host-failed'; host: string; phase: Phase; error: string }
  | { kind: 'facts'; host: string; facts: HostFacts }
  | {
      kind: 'listeners';
      host: string;
      bound: number[];
      /** Ports already held by another process: a fact, still probed. */
      inUse: PortInUse[];
      failed: { port: number; error: string }[];
    }
  /** A probe or an outbound check, judged. */
  | { kind: 'check'; check: CheckRecord }
  /**
   * Judged checks in arrival order, as a batch: what the probe and outbound
   * modules emit (one per agent read, flushed before the task's result), so a
   * renderer's store takes one step per batch, not per check (34,840 checks
   * at 50 hosts).
   */
  | { kind: 'checks'; checks: CheckRecord[] }
  /**
   * A later task planned checks that an earlier one already ran (a sweep,
   * a firewall change, a sweep again): the earlier round's results are
   * replaced. `checks` and `planned` are the run's records as they now are;
   * a renderer recounts from them.
   */
  | { kind: 'checks-replaced'; round: SupersededRound; checks: CheckRecord[]; planned: { probes: number; outbound: number } }
  | { kind: 'cleanup'; host: string; ok: boolean; detail?: string }
  | { kind: 'warning'; host?: string; code: string; message: string }
  | { kind: 'run-end'; at: number; result: RunResult };

export type EngineEventKind = EngineEvent['kind'];
export type EventOf<K extends EngineEventKind> = Extract<EngineEvent, { kind: K }>;

/** A map with one handler per event kind; missing kinds do not compile. */
export type EventFormatters<T> = { [K in EngineEventKind]: (e: EventOf<K>) => T };

export type EventListener = (e: EngineEvent) => void;
