import type { Catalog } from '../catalog/types.js';
import type { FleetHost } from '../model/fleet.js';
import { MODULE_CATALOGUE, MODULES } from '../modules/index.js';
import type { Plan } from '../plan/types.js';
import { loadPlaybook } from '../playbook/parse.js';
import { shippedPlaybook } from '../playbook/shipped.js';
import type { Playbook } from '../playbook/types.js';
import type { Connection } from '../transport/connection.js';
import { LocalConnection } from '../transport/local.js';
import { CONTROLLER } from '../plan/types.js';
import type { EngineEvent } from './events.js';
import type { EngineOptions } from './options.js';
import { runPlaybook, type RunOptions } from './play-runner.js';
import type { RunResult } from './result.js';
import type { RunSummary } from './run-summary.js';

/**
 * The sweep as an engine call: playbooks/preflight.yml (or the playbook
 * given) over the plan's hosts, with the plan given rather than computed
 * from play vars. The CLI's `sweep` and the bench use this; both go through
 * the same play runner as `play`.
 */
export interface SweepInput {
  plan: Plan;
  catalog: Catalog;
  inventory: string;
  toolVersion: string;
  connect: (host: FleetHost) => Connection;
  options: EngineOptions & Partial<RunOptions>;
  emit: (e: EngineEvent) => void;
  signal?: AbortSignal;
  /** Default: playbooks/preflight.yml. */
  playbook?: Playbook;
  becomePassword?: string;
  /** The exit-code policy (the CLI's src/cli/exit-code.ts). */
  exitCodeOf: (summary: RunSummary) => number;
}

export async function runSweep(input: SweepInput): Promise<RunResult> {
  const playbook = input.playbook ?? (await loadPlaybook(shippedPlaybook('preflight'), MODULE_CATALOGUE));
  const hosts = input.plan.hosts.map((h) => h.host);
  return runPlaybook({
    playbook,
    fleet: { source: input.inventory, hosts },
    selectHosts: () => hosts.map((h) => h.name),
    extraVars: {},
    modules: MODULES,
    catalog: input.catalog,
    planFor: () => input.plan,
    connect: input.connect,
    controller: () => new LocalConnection(CONTROLLER),
    options: { check: false, diff: false, tags: {}, become: false, ...input.options },
    inventory: input.inventory,
    toolVersion: input.toolVersion,
    emit: input.emit,
    signal: input.signal,
    becomePassword: input.becomePassword,
    exitCodeOf: input.exitCodeOf,
  });
}
