import pLimit from 'p-limit';
import type { Fleet, FleetHost, SshView } from '../model/fleet.js';
import { oneLine } from '../transport/one-line.js';
import type { SshTarget } from '../transport/ssh-options.js';
import { resolveOptionsOf, resolveTarget } from '../transport/ssh-resolve.js';
import type { SshOptions } from '../transport/ssh.js';
import type { CliIo } from './io.js';

export interface ResolvedFleet {
  /** The fleet with each SSH host's `ssh` view, and `address` from ssh_config where the inventory gave none. */
  fleet: Fleet;
  /** For SshOptions.targets: connections reuse these instead of asking OpenSSH again. */
  targets: Map<string, SshTarget | Error>;
  /** What the built-in parser could not honour (no OpenSSH client), once each. */
  warnings: string[];
}

/**
 * Every SSH host's target as OpenSSH would reach it (`ssh -G`, local, nothing
 * contacted), before the plan is made: the plan probes a host named only by
 * an ssh_config alias at its HostName, and plans and reports show where SSH
 * really goes. A host whose settings cannot be resolved keeps its error (it
 * fails with it when connected; the plan shows it).
 */
export async function resolveSshTargets(fleet: Fleet, opts: SshOptions): Promise<ResolvedFleet> {
  const limit = pLimit(16);
  const targets = new Map<string, SshTarget | Error>();
  const warnings = new Set<string>();
  const hosts = await Promise.all(
    fleet.hosts.map((h) =>
      limit(async (): Promise<FleetHost> => {
        if (h.connection !== 'ssh') return h;
        try {
          const t = await resolveTarget(h, resolveOptionsOf(opts));
          targets.set(h.name, t);
          for (const n of t.notes ?? []) warnings.add(n);
          const out: FleetHost = { ...h, ssh: sshView(t) };
          // No ece_host_ip and no ansible_host: other hosts reach the name where SSH does (issue: aliases).
          if (h.addressSource === 'name' && t.hostname !== h.address) {
            out.address = t.hostname;
            out.addressSource = 'ssh_config';
          }
          return out;
        } catch (e) {
          const err = new Error(oneLine((e as Error).message));
          targets.set(h.name, err);
          const view: SshView = { target: '?', resolvedBy: 'ssh -G', error: err.message };
          return { ...h, ssh: view };
        }
      }),
    ),
  );
  return { fleet: { ...fleet, hosts }, targets, warnings: [...warnings] };
}

export function sshView(t: SshTarget): SshView {
  const view: SshView = { target: `${t.user}@${t.hostname}:${t.port}`, hostname: t.hostname, resolvedBy: t.resolvedBy ?? 'built-in parser' };
  if (t.proxyCommand) view.via = `ProxyCommand ${t.proxyCommand}`;
  else if (t.jumps.length) view.via = `${t.jumps.map((j) => `${j.user ? `${j.user}@` : ''}${j.host}${j.port ? `:${j.port}` : ''}`).join(' -> ')}`;
  return view;
}

/** resolveSshTargets for a run: connections reuse the answers (opts.targets), warnings go to stderr. */
export async function withSshTargets(fleet: Fleet, opts: SshOptions, io: CliIo): Promise<Fleet> {
  const r = await resolveSshTargets(fleet, opts);
  opts.targets = r.targets;
  for (const w of r.warnings) io.stderr.write(`[WARNING]: ${w}\n`);
  return r.fleet;
}
