import { z } from 'zod';
import { armScript, disarmScript, restoreScript, saveScript, stateDir } from '../firewall/confirm-timer.js';
import { backendFor, controllerAddressFromSshClient, desiredRules, shellQuote } from '../firewall/index.js';
import { FirewallBackendError, type BackendName, type Change, type FirewallBackend, type Rule, type Step } from '../firewall/types.js';
import { templatable } from '../playbook/module-schema.js';
import type { Connection } from '../transport/connection.js';
import { connectionFor } from './agent-session.js';
import type { HostContext, Module, ModuleResult } from './types.js';

const args = z.strictObject({
  /** present: our rules exactly as the plan needs them; absent: none of ours; rollback: the rules saved before the last change. */
  state: templatable(z.enum(['present', 'absent', 'rollback'])).default('present'),
  /** auto: from the host's facts (a running firewalld or ufw, else nftables or iptables, whichever holds rules or exists). */
  backend: templatable(z.enum(['auto', 'nftables', 'iptables', 'firewalld', 'ufw'])).default('auto'),
  /** Seconds before the host restores its saved rules by itself unless the change was confirmed over a new connection. */
  confirm_timeout: templatable(z.number().int().min(5).max(3600)).default(60),
  /** The controller's address as the hosts see it, where SSH_CLIENT would be wrong (NAT, a bastion); also the var ece_controller_address. */
  controller_address: z.string().optional(),
  /** Where the saved rules and the timer live on the host. */
  state_dir: z.string().regex(/^\/[A-Za-z0-9._/-]+$/).default('/var/lib/ece-preflight'),
});
type Args = z.infer<typeof args>;
/** After templates are rendered the schema has checked the real values (a leftover `{{` fails there). */
type BackendChoice = 'auto' | BackendName;

/**
 * The firewall a host's roles need, applied commit-confirmed: read the
 * host's rules (with become), render only what differs (a second apply is
 * `ok`, changed=0), and when something differs: save the whole ruleset, arm
 * a rollback timer on the host itself, apply, then log in over a NEW SSH
 * connection (the established one survives any rules through conntrack). If
 * that login fails, the saved rules come back at once (and the timer would
 * have done it had the controller died); if it works, the timer is disarmed.
 * Under --check it renders and diffs and changes nothing.
 */
export const firewallModule: Module<Args> = {
  name: 'firewall',
  description: 'Apply the ECE firewall rules the roles need (commit-confirmed), remove them, or roll back',
  args,
  checkMode: 'full',
  phase: 'task',
  async run(ctx, a) {
    const conn = connectionFor(ctx);
    const backend = pickBackend(ctx, a.backend as BackendChoice);
    if (typeof backend === 'string') return { status: 'failed', msg: backend };
    const dir = stateDir(ctx.name, a.state_dir);
    if (a.state === 'rollback') return rollback(ctx, conn, backend, dir);

    const read = await exec(conn, backend.readCommand);
    if (read.code !== 0) return { status: 'failed', msg: `cannot read the ${backend.name} rules (nothing changed): ${lastLine(read.stderr) || `exit ${read.code}`}` };
    let change: Change;
    let desired: Rule[] = [];
    try {
      const current = backend.parse(read.stdout);
      if (a.state === 'absent') change = backend.removeAll(current);
      else {
        const fromVars = ctx.vars['ece_controller_address'];
        // SSH_CLIENT is read without sudo, which resets the environment.
        const controller = a.controller_address ?? (typeof fromVars === 'string' && fromVars ? fromVars : await controllerAddress(ctx.session.conn));
        // The whole fleet's plan: with --limit, the other hosts still need their paths to this one.
        const sets = desiredRules(ctx.task.play.fullPlan(), ctx.task.run.catalog, { controllerAddress: (h) => (h.name === ctx.name ? controller : undefined) });
        desired = sets.find((s) => s.host === ctx.name)?.rules ?? [];
        const kept = keptZooKeeperRules(ctx, current.ours, desired);
        if (kept.length) {
          desired = [...desired, ...kept];
          ctx.task.run.emit({
            kind: 'warning',
            host: ctx.name,
            code: 'zookeeper-kept-open',
            message: `${ctx.name} no longer holds the director role, but ZooKeeper keeps running there until ECE is reinstalled on it: its ${kept.length} ZooKeeper rules stay open (remove them with --remove after the reinstall)`,
          });
        }
        change = backend.render(desired, current);
      }
    } catch (e) {
      if (e instanceof FirewallBackendError || e instanceof Error) return { status: 'failed', msg: `${backend.name}: ${e.message} (nothing changed)` };
      throw e;
    }
    const diff = { before: formatRules(change.diff.remove.concat(change.diff.keep)), after: formatRules(change.diff.add.concat(change.diff.keep)) };
    const summary = `${change.diff.add.length} rules to add, ${change.diff.remove.length} to remove (${backend.name})`;
    if (change.steps.length === 0) return { status: 'ok', msg: `rules already in place (${change.diff.keep.length}, ${backend.name})`, data: { backend: backend.name } };
    if (ctx.check) return { status: 'changed', msg: `would apply: ${summary}`, diff, data: { backend: backend.name, steps: change.steps.map((s) => s.description) } };

    const confirmSec = Number(a.confirm_timeout);
    const saved = await conn.exec(saveScript(dir, backend.snapshot));
    if (saved.code !== 0) return { status: 'failed', msg: `cannot save the current rules (nothing changed): ${lastLine(saved.stderr)}` };
    const armed = await conn.exec(armScript(dir, backend.snapshot, confirmSec));
    if (armed.code !== 0) return { status: 'failed', msg: `cannot arm the rollback timer (nothing changed): ${lastLine(armed.stderr)}` };
    for (const step of change.steps) {
      const r = await exec(conn, step);
      if (r.code !== 0) {
        const back = await undo(conn, backend, dir);
        return { status: 'failed', msg: `${backend.name} refused "${step.description}": ${lastLine(r.stderr) || `exit ${r.code}`}; ${back}` };
      }
    }
    const login = await newLogin(ctx);
    if (login !== true) {
      const back = await undo(conn, backend, dir);
      return { status: 'failed', msg: `a new SSH connection failed after the change (${login}); ${back}`, diff };
    }
    await conn.exec(disarmScript(dir));
    for (const step of change.persist ?? []) {
      const r = await exec(conn, step);
      if (r.code !== 0) return { status: 'failed', msg: `applied and confirmed, but not made permanent: ${lastLine(r.stderr)}`, diff };
    }
    return { status: 'changed', msg: `applied and confirmed over a new connection: ${summary}`, diff, data: { backend: backend.name } };
  },
};

/**
 * A host that lost the director role still runs ZooKeeper until ECE is
 * reinstalled there (shared/DESIGN.md): the rules we opened for its
 * ZooKeeper ports stay, with a warning, instead of cutting the ensemble.
 */
function keptZooKeeperRules(ctx: HostContext, ours: readonly Rule[], desired: readonly Rule[]): Rule[] {
  const planned = ctx.task.play.fullPlan().hosts.find((h) => h.host.name === ctx.name);
  if (!planned || planned.roles.includes('director')) return [];
  const wanted = new Set(desired.map((r) => JSON.stringify(r)));
  return ours.filter((r) => /\bdirector-zk-/.test(r.comment) && !wanted.has(JSON.stringify(r)));
}

function pickBackend(ctx: HostContext, forced: BackendChoice): FirewallBackend | string {
  let name: BackendName;
  if (forced !== 'auto') name = forced;
  else {
    const seen = ctx.session.facts?.firewall?.backend;
    if (!seen) return 'no facts to choose a firewall backend from: gather facts first, or give backend';
    // A host with no firewall tool at all gets nftables, the default on current distributions.
    name = seen === 'none' ? 'nftables' : seen;
  }
  try {
    return backendFor(name);
  } catch (e) {
    return (e as Error).message;
  }
}

async function exec(conn: Connection, step: Step) {
  return conn.exec(step.argv.map(shellQuote).join(' '), step.stdin !== undefined ? { stdin: step.stdin } : {});
}

/** The controller as this host sees it: the first word of SSH_CLIENT (undefined on a local connection). */
async function controllerAddress(conn: Connection): Promise<string | undefined> {
  const r = await conn.exec('printf %s "$SSH_CLIENT"');
  return r.stdout.trim() ? controllerAddressFromSshClient(r.stdout) : undefined;
}

/** A NEW connection, logged in, running a command: true, or why not. */
async function newLogin(ctx: HostContext): Promise<true | string> {
  if (ctx.host.connection === 'local') return true;
  const fresh = ctx.task.run.newConnection(ctx.host);
  try {
    await fresh.connect();
    const r = await fresh.exec('true', { timeoutMs: 10_000 });
    return r.code === 0 ? true : `exit ${r.code ?? r.signal}`;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await fresh.close().catch(() => {});
  }
}

/** Back to the saved rules now, over the connection that is still up, and stop the timer. */
async function undo(conn: Connection, backend: FirewallBackend, dir: string): Promise<string> {
  const r = await conn.exec(restoreScript(dir, backend.snapshot));
  await conn.exec(disarmScript(dir));
  return r.code === 0 ? 'the earlier rules are back' : `restoring failed too (${lastLine(r.stderr)}): the host's timer will restore them`;
}

async function rollback(ctx: HostContext, conn: Connection, backend: FirewallBackend, dir: string): Promise<ModuleResult> {
  if (ctx.check) return { status: 'changed', msg: `would restore the rules saved before the last change (${backend.name})` };
  const r = await conn.exec(restoreScript(dir, backend.snapshot));
  if (r.code !== 0) return { status: 'failed', msg: `rollback: ${lastLine(r.stderr) || `exit ${r.code}`}` };
  await conn.exec(disarmScript(dir));
  return { status: 'changed', msg: `restored the rules saved before the last change (${backend.name})` };
}

function formatRules(rules: Rule[]): string {
  return rules.map((r) => `${r.action} ${r.family} tcp ${r.ports[0] === r.ports[1] ? r.ports[0] : `${r.ports[0]}-${r.ports[1]}`} from ${r.source}  # ${r.comment}`).join('\n') + (rules.length ? '\n' : '');
}

const lastLine = (s: string): string => s.trim().split('\n').pop() ?? '';
