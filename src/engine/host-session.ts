import type { FleetHost } from '../model/fleet.js';
import type { HostFacts } from '../tasks/facts-types.js';
import type { Connection } from '../transport/connection.js';
import type { HostState, Phase } from './events.js';
import type { HostAgent } from './host-agent.js';
import type { HostRecord } from './result.js';

/**
 * One host's life in a run: its connection (opened by the first task that
 * needs it, once), its agent session (facts, listeners and probes over one
 * exec for the whole play), what it reported, and where it is. The runner
 * owns it and closes it whatever happens.
 */
export class HostSession {
  state: HostState = 'pending';
  error?: string;
  errorKind?: string;
  /** The phase a failed host failed in. */
  phase?: Phase;
  facts?: HostFacts;
  agent?: HostAgent;
  /** What the listeners bound, found held (with the process) or failed on. */
  listeners?: HostRecord['listeners'];
  cleanup?: { ok: boolean; detail?: string };
  /** Results of `register:` and facts, for `when` and templates. */
  readonly registered: Record<string, unknown> = {};
  private connecting?: Promise<void>;

  constructor(
    readonly host: FleetHost,
    readonly conn: Connection,
  ) {}

  get name(): string {
    return this.host.name;
  }

  /** Connected and not failed: tasks may run here. */
  get usable(): boolean {
    return this.state !== 'unreachable' && this.state !== 'failed';
  }

  get connected(): boolean {
    return this.connecting !== undefined;
  }

  /** Connect once; every later call shares the first attempt (it throws HostUnreachableError). */
  connect(): Promise<void> {
    this.connecting ??= this.conn.connect();
    return this.connecting;
  }
}
