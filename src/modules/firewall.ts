import { z } from 'zod';
import type { HostAgent } from '../engine/host-agent.js';
import { TIMED_OUT, withTimeout } from '../engine/with-timeout.js';
import { HostUnreachableError } from '../errors.js';
import { notPersisted, persistPlan } from '../firewall/persist.js';
import { describeLost, lost, pathsToVerify, answers } from '../firewall/verify-paths.js';
import { CONTROLLER, type Plan, type Probe } from '../plan/types.js';
import { FIREWALL_FACTS_COMMAND, parseFacts } from '../tasks/facts.js';
import { probeFromController } from '../tasks/probe-from-controller.js';
import type { ProbeOutcome } from '../tasks/probe-outcome.js';
import { armScript, disarmScript, restoreScript, saveScript, stateDir } from '../firewall/confirm-timer.js';
import { backendFor, controllerAddressFromSshClient, desiredRules, shellQuote } from '../firewall/index.js';
import { FirewallBackendError, type BackendName, type Change, type FirewallBackend, type Rule, type Step } from '../firewall/types.js';
import { templatable } from '../playbook/module-schema.js';
import type { Connection } from '../transport/connection.js';
import { connectionFor } from './agent-session.js';
import type { HostContext, Module, ModuleResult, TaskContext } from './types.js';

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
  /** After the change is confirmed, make it survive a reboot the backend's own way (firewall/persist.ts). */
  persist: templatable(z.boolean()).default(false),
  /** Where --persist writes (nftables file, or iptables' IPv4 file); empty: the distribution's, detected on the host. */
  persist_file: z.string().default(''),
  /** Before disarming, re-probe the host's required paths (controller and the play's hosts with an agent); a path lost is rolled back. */
  verify_paths: templatable(z.boolean()).default(true),
});
type Args = z.infer<typeof args>;
/** After templates are rendered the schema has checked the real values (a leftover `{{` fails there). */
type BackendChoice = 'auto' | BackendName;

/** What the task learnt before any host changed: each host's paths to verify, and how they answered then. */
interface Shared {
  paths: Map<string, Probe[]>;
  /** Started by prepare, awaited by each host just before it saves and changes anything: it overlaps the hosts' reads. */
  before: Promise<Map<string, ProbeOutcome>>;
  /** Hosts whose agent holds listeners for the check (closed when the host's task ends). */
  listening: Set<string>;
}

const truthy = (v: unknown): boolean => v === true || v === 'true' || v === 'True' || v === 'yes';

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
export const firewallModule: Module<Args, Shared | undefined> = {
  name: 'firewall',
  description: 'Apply the ECE firewall rules the roles need (commit-confirmed), remove them, or roll back',
  args,
  checkMode: 'full',
  phase: 'task',
  async prepare(task, a) {
    // `absent` closes the paths on purpose (the new SSH login still guards it); rollback restores a saved state.
    if (task.check || a.state !== 'present' || !truthy(a.verify_paths)) return undefined;
    return pathsBefore(task);
  },
  async run(ctx, a, shared) {
    try {
      const r = await apply(ctx, a, shared);
      if (r.status === 'changed' && !ctx.check) await refreshFirewallFacts(ctx);
      return r;
    } finally {
      if (shared?.listening.has(ctx.name) && ctx.session.agent?.alive) await withTimeout(ctx.session.agent.closeListeners(), ctx.task.run.options.stepTimeoutMs);
    }
  },
};

async function apply(ctx: HostContext, a: Args, shared: Shared | undefined): Promise<ModuleResult> {
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
      const sets = desiredRules(withTestAddresses(ctx.task.play.fullPlan(), ctx.vars['ece_firewall_test_address_override']), ctx.task.run.catalog, { controllerAddress: (h) => (h.name === ctx.name ? controller : undefined) });
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
  const summary = `${change.diff.add.length} ${change.diff.add.length === 1 ? 'rule' : 'rules'} to add, ${change.diff.remove.length} to remove (${backend.name})`;
  if (change.steps.length === 0) {
    const inPlace = `rules already in place (${change.diff.keep.length}, ${backend.name})`;
    // --persist after an apply without it: the rules in force (confirmed then) are written now.
    if (!truthy(a.persist) || ctx.check) return { status: 'ok', msg: inPlace, data: { backend: backend.name } };
    const p = await persist(conn, backend, change, a.persist_file);
    if (p.failed) return { status: 'failed', msg: `${inPlace}, but not made permanent: ${p.failed}` };
    return { status: p.wrote ? 'changed' : 'ok', msg: `${inPlace}; ${p.msg}`, data: { backend: backend.name, persisted: true } };
  }
  if (ctx.check) return { status: 'changed', msg: `would apply: ${summary}`, diff, data: { backend: backend.name, steps: change.steps.map((s) => s.description) } };

  const confirmSec = Number(a.confirm_timeout);
  let before: Map<string, ProbeOutcome> | undefined;
  if (shared) {
    try {
      before = await shared.before;
    } catch (e) {
      ctx.task.run.emit({ kind: 'warning', host: ctx.name, code: 'firewall-paths-unchecked', message: `the required paths could not be probed before the change (${(e as Error).message}): confirmed by a new SSH login only` });
    }
  }
  const saved = await conn.exec(saveScript(dir, backend.snapshot));
  if (saved.code !== 0) return { status: 'failed', msg: `cannot save the current rules (nothing changed): ${lastLine(saved.stderr)}` };
  const armedAt = Date.now();
  const armed = await conn.exec(armScript(dir, backend.snapshot, confirmSec));
  if (armed.code !== 0) return { status: 'failed', msg: `cannot arm the rollback timer (nothing changed): ${lastLine(armed.stderr)}` };
  for (const step of change.steps) {
    const r = await exec(conn, step);
    if (r.code !== 0) {
      const back = await undo(conn, backend, dir);
      return { status: 'failed', msg: `${backend.name} refused "${step.description}": ${lastLine(r.stderr) || `exit ${r.code}`}; ${back}` };
    }
  }
  // Everything that confirms the change must end before the host's timer fires (a margin for the disarm).
  const budget = () => armedAt + confirmSec * 1000 - 1500 - Date.now();
  const login = await newLogin(ctx);
  if (login !== true) {
    const back = await undo(conn, backend, dir);
    return { status: 'failed', msg: `a new SSH connection failed after the change (${login}); ${back}`, diff };
  }
  let verified = '';
  if (shared && before) {
    const v = await withTimeout(verifyPaths(ctx, shared.paths.get(ctx.name) ?? [], before), Math.max(0, budget()));
    if (v === TIMED_OUT) {
      const back = await undo(conn, backend, dir);
      return { status: 'failed', msg: `the required paths could not be re-probed within --confirm-timeout (${confirmSec} s); ${back}`, diff };
    }
    if (v.lost.length) {
      const back = await undo(conn, backend, dir);
      return { status: 'failed', msg: `a required path that answered before the change no longer does: ${describeLost(v.lost)}; ${back}`, diff, data: { backend: backend.name, lost: v.lost.map((l) => l.probe.id) } };
    }
    verified = `, ${v.checked} required path${v.checked === 1 ? '' : 's'} re-probed`;
  }
  const disarmed = await conn.exec(disarmScript(dir));
  if (disarmed.stdout.trim() !== 'disarmed') {
    return { status: 'failed', msg: `the host's timer restored the earlier rules before the change was confirmed (raise --confirm-timeout above ${confirmSec} s)`, diff };
  }
  let kept: string;
  if (truthy(a.persist)) {
    const p = await persist(conn, backend, change, a.persist_file);
    if (p.failed) return { status: 'failed', msg: `applied and confirmed, but not made permanent (they last until reboot): ${p.failed}`, diff };
    kept = p.msg;
  } else kept = notPersisted(backend.name);
  return {
    status: 'changed',
    msg: `applied and confirmed over a new connection${verified}: ${summary}; ${kept}`,
    diff,
    data: { backend: backend.name, persisted: truthy(a.persist) },
  };
}

/**
 * The rules changed: read the firewall facts again (as root, as the change
 * ran), so that the run's report and saved run hold the firewall as it was
 * left, not as the run's first task found it (a later `--changed` run
 * compares them). Left as they were when the read fails: the task's own
 * result already says what happened.
 */
async function refreshFirewallFacts(ctx: HostContext): Promise<void> {
  if (!ctx.session.facts) return;
  const r = await withTimeout(
    connectionFor(ctx).exec(FIREWALL_FACTS_COMMAND).catch(() => undefined),
    ctx.task.run.options.stepTimeoutMs,
  );
  const firewall = r !== TIMED_OUT && r?.code === 0 ? parseFacts(r.stdout).firewall : undefined;
  if (firewall) ctx.session.facts = { ...ctx.session.facts, firewall };
}

/** Run the backend's persist steps; `wrote` false when every file already held exactly these rules. */
async function persist(conn: Connection, backend: FirewallBackend, change: Change, file: string): Promise<{ msg: string; wrote: boolean; failed?: string }> {
  let plan;
  try {
    plan = persistPlan(backend.name, change, file || undefined);
  } catch (e) {
    return { msg: '', wrote: false, failed: (e as Error).message };
  }
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const step of plan.steps) {
    const r = await exec(conn, step);
    if (r.code !== 0) return { msg: '', wrote: false, failed: lastLine(r.stderr) || `exit ${r.code}` };
    if (backend.name !== 'nftables' && backend.name !== 'iptables') continue;
    for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
      const m = /^unchanged (.*)$/.exec(line);
      if (m) unchanged.push(m[1]!);
      else written.push(line);
    }
  }
  const wrote = backend.name === 'firewalld' ? plan.steps.length > 0 : written.length > 0;
  const files = [written.length ? ` ${written.join(', ')}` : '', unchanged.length ? ` (already so: ${unchanged.join(', ')})` : ''].join('');
  return { msg: `permanent: ${plan.done}${files}`, wrote };
}

/**
 * Every host's required paths, probed before any of them changes: listeners
 * on the ports (the host's agent), then one batch per source (the
 * controller, and each play host with an agent), all at once.
 */
function pathsBefore(task: TaskContext): Shared {
  const plan = task.play.fullPlan();
  const agentOfHost = (h: string): HostAgent | undefined => {
    const agent = task.session(h)?.agent;
    return agent?.alive && task.isActive(h) ? agent : undefined;
  };
  const paths = new Map<string, Probe[]>();
  for (const dest of task.hosts) if (task.isActive(dest)) paths.set(dest, pathsToVerify(plan, dest, (from) => agentOfHost(from) !== undefined));
  const listening = new Set<string>();
  const before = (async () => {
    await Promise.all(
      [...paths].map(async ([dest, list]) => {
        const agent = agentOfHost(dest);
        const sshPort = task.session(dest)?.host.port;
        const ports = [...new Set(list.filter((p) => !(p.from === CONTROLLER && p.port === sshPort)).map((p) => p.port))];
        if (!agent || ports.length === 0) return;
        listening.add(dest);
        await withTimeout(agent.listen(ports).catch(otherHostLost), task.run.options.stepTimeoutMs);
      }),
    );
    return probeAll(task, [...paths.values()].flat(), agentOfHost);
  })();
  before.catch(() => {}); // each host that needs it awaits it and says why it failed
  return { paths, before, listening };
}

/** After the change: the paths to this host that answered before, again. */
async function verifyPaths(ctx: HostContext, paths: Probe[], before: Map<string, ProbeOutcome>): Promise<{ checked: number; lost: { probe: Probe; before: ProbeOutcome; after: ProbeOutcome }[] }> {
  const task = ctx.task;
  const agentOfHost = (h: string) => {
    const agent = task.session(h)?.agent;
    return agent?.alive ? agent : undefined;
  };
  const todo = paths.filter((p) => answers(before.get(p.id) ?? 'error') && (p.from === CONTROLLER || agentOfHost(p.from)));
  const after = await probeAll(task, todo, agentOfHost);
  const lostPaths = todo.flatMap((p) => {
    const b = before.get(p.id)!;
    const n = after.get(p.id) ?? 'error';
    return lost(b, n) ? [{ probe: p, before: b, after: n }] : [];
  });
  return { checked: todo.length, lost: lostPaths };
}

/** Probe paths, grouped by source: the controller in-process (new connections from here), hosts through their agents. */
async function probeAll(task: TaskContext, probes: Probe[], agentOfHost: (h: string) => HostAgent | undefined): Promise<Map<string, ProbeOutcome>> {
  const out = new Map<string, ProbeOutcome>();
  const { probeTimeoutMs: timeoutMs, probeConcurrency } = task.run.options;
  // One round per source: a filtered path costs one timeout, and these lists are short (one port per rule and source).
  const concurrencyFor = (n: number) => Math.min(256, Math.max(probeConcurrency, n));
  const bySource = new Map<string, Probe[]>();
  for (const p of probes) {
    const list = bySource.get(p.from);
    if (list) list.push(p);
    else bySource.set(p.from, [p]);
  }
  await Promise.all(
    [...bySource].map(async ([from, list]) => {
      if (from === CONTROLLER) {
        await probeFromController(
          list.map((p, i) => ({ id: String(i), address: p.address, port: p.port })),
          { timeoutMs, concurrency: concurrencyFor(list.length), signal: task.run.signal },
          (id, r) => out.set(list[Number(id)]!.id, r.outcome),
        );
        return;
      }
      const agent = agentOfHost(from);
      if (!agent) return;
      await agent.runBatch(list, { timeoutMs, concurrency: concurrencyFor(list.length) }, (p, r) => out.set(p.id, r.outcome)).catch(otherHostLost);
    }),
  );
  return out;
}

/**
 * Another host's agent whose connection dropped (HostAgent throws
 * HostUnreachableError for it): its paths stay unanswered here, which the
 * path check reads as `error`. The host being changed is not unreachable
 * because a peer is.
 */
function otherHostLost(e: unknown): undefined {
  if (e instanceof HostUnreachableError) return undefined;
  throw e;
}

/**
 * Test only (ece_firewall_test_address_override: {host: address}): render
 * the rules as if those hosts had other addresses, i.e. a rule set that is
 * wrong for a peer, to prove the path check rolls it back.
 */
function withTestAddresses(plan: Plan, override: unknown): Plan {
  if (typeof override !== 'object' || override === null) return plan;
  const map = override as Record<string, unknown>;
  return { ...plan, hosts: plan.hosts.map((p) => (typeof map[p.host.name] === 'string' ? { ...p, host: { ...p.host, address: map[p.host.name] as string } } : p)) };
}

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
