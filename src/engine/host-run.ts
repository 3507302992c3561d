import type { FleetHost } from '../model/fleet.js';
import type { PlannedHost } from '../plan/types.js';
import type { Connection } from '../transport/connection.js';
import type { HostFacts } from '../tasks/facts-types.js';
import type { HostRecord } from './result.js';
import type { HostAgent } from './host-agent.js';
import type { HostState, Phase } from './events.js';

/** What the engine knows about one host while a run goes on. */
export class HostRun {
  state: HostState = 'pending';
  error?: string;
  errorKind?: string;
  /** The phase a failed host failed in. */
  phase?: Phase;
  facts?: HostFacts;
  /** The host's one session: facts, listeners, probes (engine/host-agent.ts). */
  agent?: HostAgent;
  /** What the listeners bound, found held (with the process) or failed on. */
  listeners?: HostRecord['listeners'];
  cleanup?: { ok: boolean; detail?: string };

  constructor(
    readonly planned: PlannedHost,
    readonly conn: Connection,
  ) {}

  get host(): FleetHost {
    return this.planned.host;
  }

  get name(): string {
    return this.planned.host.name;
  }

  /** Connected and not failed: work may go on here. */
  get usable(): boolean {
    return this.state !== 'pending' && this.state !== 'unreachable' && this.state !== 'failed';
  }
}
