import type { FleetHost } from '../model/fleet.js';
import type { PlannedHost } from '../plan/types.js';
import type { Connection, RunningCommand } from '../transport/connection.js';
import type { HostFacts } from '../tasks/facts-types.js';
import type { ListenerReport } from '../tasks/listener-script.js';
import type { HostState } from './events.js';

/** What the engine knows about one host while a run goes on. */
export class HostRun {
  state: HostState = 'pending';
  error?: string;
  errorKind?: string;
  facts?: HostFacts;
  listener?: RunningCommand;
  listenerReport?: ListenerReport;
  listenerExited = false;
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
