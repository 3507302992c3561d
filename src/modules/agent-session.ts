import { HostAgent } from '../engine/host-agent.js';
import { BecomeConnection, becomeFailure } from '../transport/become.js';
import type { Connection } from '../transport/connection.js';
import type { HostContext } from './types.js';

/** The host's connection, wrapped in sudo when the task asks for become. */
export function connectionFor(ctx: HostContext): Connection {
  const conn = ctx.session.conn;
  return ctx.become ? new BecomeConnection(conn, { user: ctx.becomeUser, password: ctx.task.run.becomePassword }) : conn;
}

/**
 * The host's one agent session (facts, listeners, probes), started by the
 * first task that needs it, with that task's become. Later tasks share it.
 */
export function agentOf(ctx: HostContext): HostAgent {
  ctx.session.agent ??= new HostAgent(connectionFor(ctx), [], ctx.task.run.options.listenerTtlSec);
  return ctx.session.agent;
}

/** Why the agent is gone, with sudo's complaint turned into words. */
export async function agentFailure(agent: HostAgent): Promise<string> {
  const r = await agent.done;
  return becomeFailure(r.stderr) ?? (await agent.failure());
}
