import pLimit from 'p-limit';
import type { Catalog } from '../catalog/types.js';
import { HostUnreachableError } from '../errors.js';
import type { Fleet, FleetHost } from '../model/fleet.js';
import type { HostContext, Module, ModuleResult, PlayContext, RunContext, TaskContext } from '../modules/types.js';
import type { Plan } from '../plan/types.js';
import { evalCondition } from '../playbook/expr.js';
import { selectedByTags, type TagFilter } from '../playbook/tags.js';
import { renderTemplate } from '../playbook/template.js';
import type { Block, Condition, Item, Play, Playbook, Task } from '../playbook/types.js';
import { serialBatchSize } from '../playbook/parse.js';
import { playUses } from '../playbook/uses-module.js';
import type { Connection } from '../transport/connection.js';
import { buildResult } from './build-result.js';
import type { EngineEvent, HostState, TaskStatus } from './events.js';
import { HostSession } from './host-session.js';
import type { EngineOptions } from './options.js';
import type { RunResult } from './result.js';
import type { RunSummary } from './run-summary.js';
import { emptyRecords } from './run-records.js';
import { addTaskStatus, emptyTaskCounts, type TaskCounts } from './task-counts.js';
import { closeSession } from './session-cleanup.js';

export interface RunOptions extends EngineOptions {
  check: boolean;
  diff: boolean;
  tags: TagFilter;
  /** -b: become for every task (a task's or play's own `become` also turns it on). */
  become: boolean;
  /** --serial N: hosts per batch, over the play's own `serial`. */
  serial?: number;
  becomeUser?: string;
}

export interface PlaybookRunInput {
  playbook: Playbook;
  /** The hosts to work on (--limit applied), in inventory order. */
  fleet: Fleet;
  /** Every inventory host (--limit ignored), for plans that must see the whole fleet (firewall sources); default: fleet's. */
  inventoryHosts?: FleetHost[];
  /** A play's `hosts:` pattern -> host names, as the inventory resolves it. */
  selectHosts: (pattern: string) => string[];
  /** -e: above every other variable, as in Ansible. */
  extraVars: Record<string, unknown>;
  modules: ReadonlyMap<string, Module<any, any>>;
  catalog: Catalog;
  /** The ECE plan for a play's hosts and vars (pure, computed once per play). */
  planFor: (hosts: FleetHost[], vars: Record<string, unknown>) => Plan;
  /** Makes a host's connection (ssh or local); the runner owns its life. */
  connect: (host: FleetHost) => Connection;
  /** The controller's own connection, for checks run from here. */
  controller: () => Connection;
  options: RunOptions;
  inventory: string;
  toolVersion: string;
  emit: (e: EngineEvent) => void;
  /** Abort: stop starting tasks, run the `always` sections, close every session (exit 99). */
  signal?: AbortSignal;
  /** sudo password for become (-K, ECE_PREFLIGHT_BECOME_PASS); never in argv or output. */
  becomePassword?: string;
  /** The exit-code policy, from the CLI layer (src/cli/exit-code.ts). */
  exitCodeOf: (summary: RunSummary) => number;
  /** `--changed`: the last run; checks between unchanged hosts are carried over from it. */
  baseline?: RunResult;
  /** The last saved run (for `run_diff`), whether or not --changed. */
  previous?: RunResult;
}

/** Modules whose work is the sweep: a play with them announces the plan's counts at start. */
const SWEEP_MODULES = new Set(['listen', 'probe', 'outbound']);

/**
 * Plays over hosts with Ansible's linear strategy: each task runs on every
 * host of the play (up to --forks at once) before the next task starts,
 * which is what "every listener up before any probe" needs. A failed or
 * unreachable host leaves the play, the others go on; `rescue` and `always`
 * run as Ansible runs them, `always` even after Ctrl-C; every session is
 * closed at the end whatever happened. The result is one RunResult.
 */
export async function runPlaybook(input: PlaybookRunInput): Promise<RunResult> {
  const { options, emit } = input;
  const signal = input.signal ?? new AbortController().signal;
  const startedAt = new Date();
  const limit = pLimit(options.forks);
  const records = emptyRecords();
  const run: RunContext = {
    catalog: input.catalog,
    options,
    controller: input.controller,
    newConnection: input.connect,
    emit: (e) => {
      if (e.kind === 'warning') records.warnings.push({ host: e.host, code: e.code, message: e.message });
      emit(e);
    },
    records,
    signal,
    becomePassword: input.becomePassword,
    baseline: input.baseline,
    previous: input.previous ?? input.baseline,
  };
  const sessions = new Map<string, HostSession>();
  /** Hosts of serial batches after a failed one: never touched, never called done. */
  const leftOut = new Set<string>();
  const counts = new Map<string, TaskCounts>();
  const sessionOf = (h: FleetHost): HostSession => {
    let s = sessions.get(h.name);
    if (!s) {
      s = new HostSession(h, input.connect(h));
      sessions.set(h.name, s);
      counts.set(h.name, emptyTaskCounts());
    }
    return s;
  };
  const setState = (s: HostSession, state: HostState) => {
    if (s.state === state) return;
    s.state = state;
    emit({ kind: 'host-state', host: s.name, state, at: Date.now() });
  };
  const onAbort = () => {
    for (const s of sessions.values()) s.agent?.kill();
  };
  signal.addEventListener('abort', onAbort);

  const plays = input.playbook.plays.map((play) => prepPlay(play, input));
  const allHosts = input.fleet.hosts.filter((h) => plays.some((p) => p.hosts.includes(h)));
  for (const h of allHosts) sessionOf(h);
  const sweepPlay = plays.find((p) => p.usesSweep);
  const sweepPlan = sweepPlay?.ctx.plan();
  emit({
    kind: 'run-start',
    at: startedAt.getTime(),
    inventory: input.inventory,
    hosts: allHosts.map((h) => ({ name: h.name, address: h.address, roles: planRoles(sweepPlan, h), rolesSource: h.rolesSource })),
    counts: {
      probes: sweepPlan?.probes.length ?? 0,
      listeners: sweepPlan?.hosts.reduce((n, h) => n + h.listeners.length, 0) ?? 0,
      outbound: sweepPlan?.outbound.length ?? 0,
    },
    exposuresFail: options.failOnExposed,
  });
  if (sweepPlan) for (const w of sweepPlan.warnings) run.emit({ kind: 'warning', host: w.host, code: w.code, message: w.message });

  try {
    for (const p of plays) {
      if (signal.aborted) break;
      emit({ kind: 'play-start', at: Date.now(), name: p.play.name, hosts: p.hosts.map((h) => h.name), check: options.check });
      const hosts = p.hosts.map(sessionOf);
      const items: Item[] = [
        ...(p.play.gatherFacts ? [gatherFactsTask(p.play)] : []),
        ...p.play.preTasks,
        ...p.play.tasks,
        ...p.play.postTasks,
      ];
      // serial: the play runs batch by batch; a batch in which a host failed stops the rest (a firewall change must not spread).
      const size = options.serial ?? serialBatchSize(p.play.serial, hosts.length);
      for (let i = 0; i < hosts.length; i += size) {
        const batch = hosts.slice(i, i + size);
        await runItems(items, batch, { inAlways: false }, p);
        const bad = batch.filter((s) => !s.usable).map((s) => s.name);
        if (bad.length && i + size < hosts.length) {
          for (const s of hosts.slice(i + size)) {
            leftOut.add(s.name);
            s.error = `not changed: ${bad.join(', ')} failed in an earlier serial batch`;
          }
          run.emit({ kind: 'warning', code: 'batch-failed', message: `serial: ${bad.join(', ')} failed in this batch; the ${hosts.length - i - size} hosts of later batches are left unchanged` });
          break;
        }
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Sessions close whatever happened: listeners stop, connections end.
    await Promise.all([...sessions.values()].map((s) => limit(() => closeSession(s, options, emit))));
    // A host no task had to connect to (all skipped) is done too; after Ctrl-C it was never reached.
    for (const s of sessions.values()) if (s.usable && !leftOut.has(s.name) && (s.state !== 'pending' || !signal.aborted)) setState(s, 'done');
  }

  const result = buildResult({
    input: { inventory: input.inventory, toolVersion: input.toolVersion, catalogVersion: input.catalog.version, failOnExposed: options.failOnExposed },
    sessions: [...sessions.values()],
    roles: (h) => planRoles(sweepPlan, h),
    records,
    taskCounts: Object.fromEntries(counts),
    startedAt,
    interrupted: signal.aborted,
    exitCodeOf: input.exitCodeOf,
    planOptions: sweepPlan?.options,
  });
  emit({ kind: 'run-end', at: Date.now(), result });
  return result;

  // ---- the strategy

  async function runItems(items: readonly Item[], hosts: HostSession[], mode: { inAlways: boolean }, p: PreppedPlay): Promise<void> {
    for (const item of items) {
      if (signal.aborted && !mode.inAlways) return;
      if (item.kind === 'task') await runTask(item, hosts, mode, p);
      else await runBlock(item, hosts, mode, p);
    }
  }

  /**
   * A block's tasks; hosts that fail in it run `rescue` (a host whose rescue
   * succeeds is rescued and goes on); every host that entered runs `always`,
   * failed or not (Ansible's semantics), even after an interrupt.
   */
  async function runBlock(block: Block, hosts: HostSession[], mode: { inAlways: boolean }, p: PreppedPlay): Promise<void> {
    const entered = hosts.filter((s) => s.usable);
    await runItems(block.block, entered, mode, p);
    const failed = entered.filter((s) => s.state === 'failed');
    if (block.rescue.length && failed.length && !signal.aborted) {
      for (const s of failed) reopen(s);
      await runItems(block.rescue, failed, mode, p);
      // As Ansible counts it: a rescued failure is `rescued`, no longer `failed`.
      for (const s of failed) {
        const c = counts.get(s.name)!;
        if (s.usable) counts.set(s.name, { ...c, failed: Math.max(0, c.failed - 1), rescued: c.rescued + 1 });
      }
    }
    if (block.always.length) await runItems(block.always, entered, { inAlways: true }, p);
  }

  /** A failed host gets another chance in `rescue`: it is usable again until something else fails. */
  function reopen(s: HostSession): void {
    s.error = undefined;
    s.phase = undefined;
    setState(s, 'task');
  }

  async function runTask(task: Task, hosts: HostSession[], mode: { inAlways: boolean }, p: PreppedPlay): Promise<void> {
    if (!selectedByTags(task.tags, options.tags)) return;
    const module = input.modules.get(task.module);
    if (!module) throw new Error(`module ${task.module} is not in the catalogue`); // the parser refuses it first
    // In `always`, failed hosts run too (not unreachable ones): cleanup is for them most of all.
    const targets = hosts.filter((s) => (mode.inAlways ? s.state !== 'unreachable' : s.usable));
    if (targets.length === 0) return;
    const name = task.name ?? task.action;
    emit({ kind: 'task-start', at: Date.now(), name, module: module.name, phase: module.phase, hosts: targets.map((s) => s.name) });
    const check = task.checkMode ?? options.check;
    const taskCtx: TaskContext = {
      run,
      play: p.ctx,
      name,
      check,
      diff: options.diff,
      hosts: targets.map((s) => s.name),
      isActive: (h) => sessions.get(h)?.usable ?? false,
      session: (h) => sessions.get(h),
    };
    const playVars = { ...p.ctx.vars, ...task.vars, ...input.extraVars };
    let shared: unknown;
    let taskArgs: unknown;
    const skipAll = check && module.checkMode === 'none' ? 'not supported in check mode' : undefined;
    if (!skipAll && (module.prepare || module.controller)) {
      try {
        // Task-wide work sees the play's vars only (no host is chosen yet).
        taskArgs = module.args.parse(renderTemplate(task.args, playVars));
        shared = module.prepare ? await module.prepare(taskCtx, taskArgs) : undefined;
      } catch (e) {
        for (const s of targets) finish(s, task, module, { status: 'failed', msg: `${p.file}:${task.line}: ${errorText(e)}` });
        return;
      }
    }
    const controllerPart = !skipAll && module.controller ? module.controller(taskCtx, taskArgs, shared) : Promise.resolve();
    await Promise.all([
      ...targets.map((s) =>
        limit(async () => {
          if (signal.aborted && !mode.inAlways) return;
          if (skipAll) return finish(s, task, module, { status: 'skipped', msg: skipAll });
          const result = await runOnHost(s, task, module, taskCtx, p, shared);
          finish(s, task, module, result);
        }),
      ),
      controllerPart.catch((e) => run.emit({ kind: 'warning', code: 'controller-task-failed', message: `${name}: ${errorText(e)}` })),
    ]);
  }

  async function runOnHost(s: HostSession, task: Task, module: Module<any, any>, taskCtx: TaskContext, p: PreppedPlay, shared: unknown): Promise<ModuleResult | 'unreachable'> {
    const vars = hostVars(s, p, task);
    try {
      if (!task.when.every((c) => holds(c, vars))) return { status: 'skipped', msg: 'Conditional result was False' };
    } catch (e) {
      return { status: 'failed', msg: `${p.file}:${task.line}: when: ${errorText(e)}` };
    }
    if (s.state !== 'failed') setState(s, module.phase);
    try {
      if (!s.connected || s.state === 'connect') {
        setState(s, 'connect');
        await s.connect();
        setState(s, module.phase);
      } else await s.connect();
    } catch (e) {
      s.error = e instanceof Error ? e.message : String(e);
      s.errorKind = e instanceof HostUnreachableError ? e.kind : 'error';
      return 'unreachable';
    }
    const ctx: HostContext = {
      vars,
      name: s.name,
      host: s.host,
      session: s,
      task: taskCtx,
      check: taskCtx.check,
      become: task.become || p.play.become || options.become || s.host.become,
      becomeUser: task.becomeUser ?? p.play.becomeUser ?? options.becomeUser,
    };
    const items = task.loop === undefined ? [undefined] : loopItems(task.loop, vars);
    const results: ModuleResult[] = [];
    for (const item of items) {
      const itemVars = item === undefined ? vars : { ...vars, item };
      let args: unknown;
      try {
        // Templates render per host; the schema then checks the final types.
        args = module.args.parse(renderTemplate(task.args, itemVars));
      } catch (e) {
        results.push({ status: 'failed', msg: `${p.file}:${task.line}: ${errorText(e)}` });
        continue;
      }
      try {
        results.push(judge(await module.run({ ...ctx, vars: itemVars }, args, shared), task, itemVars));
      } catch (e) {
        if (e instanceof HostUnreachableError) {
          s.error = e.message;
          s.errorKind = e.kind;
          return 'unreachable';
        }
        results.push({ status: 'failed', msg: errorText(e) });
      }
    }
    return task.loop === undefined ? results[0]! : mergeLoop(results);
  }

  /** changed_when / failed_when over the module's result, as Ansible applies them. */
  function judge(r: ModuleResult, task: Task, vars: Record<string, unknown>): ModuleResult {
    if (!task.changedWhen && !task.failedWhen) return r;
    const asRegistered = { ...vars, ...(task.register ? { [task.register]: registered(r) } : {}), result: registered(r) };
    let out = r;
    try {
      if (task.changedWhen && r.status !== 'failed' && r.status !== 'skipped') {
        out = { ...out, status: task.changedWhen.every((c) => holds(c, asRegistered)) ? 'changed' : 'ok' };
      }
      if (task.failedWhen && r.status !== 'skipped') {
        const fails = task.failedWhen.every((c) => holds(c, asRegistered));
        out = { ...out, status: fails ? 'failed' : out.status === 'failed' ? 'ok' : out.status };
      }
    } catch (e) {
      return { status: 'failed', msg: errorText(e) };
    }
    return out;
  }

  function finish(s: HostSession, task: Task, module: Module<any, any>, r: ModuleResult | 'unreachable'): void {
    const name = task.name ?? task.action;
    if (r === 'unreachable') {
      emit({ kind: 'task-result', host: s.name, task: name, module: module.name, status: 'unreachable', msg: s.error });
      bump(s.name, 'unreachable');
      if (s.state !== 'unreachable') {
        s.state = 'unreachable';
        emit({ kind: 'host-unreachable', host: s.name, error: s.error ?? 'unreachable', errorKind: s.errorKind ?? 'error' });
        emit({ kind: 'host-state', host: s.name, state: 'unreachable', at: Date.now() });
      }
      return;
    }
    const ignored = r.status === 'failed' && task.ignoreErrors;
    emit({ kind: 'task-result', host: s.name, task: name, module: module.name, status: r.status, msg: r.msg, diff: options.diff ? r.diff : undefined, ignored: ignored || undefined });
    bump(s.name, ignored ? 'ignored' : r.status);
    if (task.register) s.registered[task.register] = registered(r);
    if (r.status === 'failed' && !ignored && s.state !== 'failed') {
      s.error = r.msg ?? 'failed';
      s.phase = module.phase;
      s.state = 'failed';
      emit({ kind: 'host-failed', host: s.name, phase: module.phase, error: s.error });
      emit({ kind: 'host-state', host: s.name, state: 'failed', at: Date.now() });
    }
  }

  function bump(host: string, status: TaskStatus | 'ignored'): void {
    counts.set(host, addTaskStatus(counts.get(host) ?? emptyTaskCounts(), status));
  }

  /** Inventory vars < play vars < task vars < facts and registered results < -e, as Ansible orders them. */
  function hostVars(s: HostSession, p: PreppedPlay, task: Task): Record<string, unknown> {
    return {
      ...s.host.vars,
      ...p.ctx.vars,
      ...task.vars,
      inventory_hostname: s.name,
      ansible_host: s.host.sshAddress ?? s.host.address,
      group_names: s.host.groups,
      ece_roles: s.host.roles,
      ...(s.facts ? { ansible_facts: s.facts } : {}),
      ...s.registered,
      ...input.extraVars,
    };
  }
}

// ---- pure helpers

interface PreppedPlay {
  play: Play;
  file: string;
  hosts: FleetHost[];
  ctx: PlayContext;
  usesSweep: boolean;
}

function prepPlay(play: Play, input: PlaybookRunInput): PreppedPlay {
  const names = new Set(input.selectHosts(play.hosts));
  const hosts = input.fleet.hosts.filter((h) => names.has(h.name));
  const everyHost = (input.inventoryHosts ?? input.fleet.hosts).filter((h) => names.has(h.name));
  const vars = { ...play.vars, ...input.extraVars };
  let plan: Plan | undefined;
  let fullPlan: Plan | undefined;
  return {
    play,
    file: input.playbook.file,
    hosts,
    ctx: {
      name: play.name,
      hosts,
      vars,
      plan: () => (plan ??= input.planFor(hosts, vars)),
      fullPlan: () => (fullPlan ??= everyHost.length === hosts.length ? (plan ??= input.planFor(hosts, vars)) : input.planFor(everyHost, vars)),
    },
    usesSweep: playUses(play, SWEEP_MODULES),
  };
}

/** The roles the plan gave a host (the first host holds all four), else its own. */
function planRoles(plan: Plan | undefined, h: FleetHost) {
  return plan?.hosts.find((p) => p.host.name === h.name)?.roles ?? h.roles;
}

/** Ansible's implicit first task of a play with gather_facts. */
function gatherFactsTask(play: Play): Task {
  return {
    kind: 'task',
    line: play.line,
    name: 'Gathering Facts',
    action: 'facts',
    module: 'facts',
    args: {},
    when: [],
    tags: ['always'],
    register: undefined,
    become: play.become,
    becomeUser: play.becomeUser,
    ignoreErrors: false,
    changedWhen: undefined,
    failedWhen: undefined,
    checkMode: false,
    vars: {},
    loop: undefined,
    noLog: false,
    delegateTo: undefined,
  };
}

function holds(c: Condition, vars: Record<string, unknown>): boolean {
  return evalCondition(c.ast, vars);
}

function loopItems(loop: unknown[] | string, vars: Record<string, unknown>): unknown[] {
  const items = typeof loop === 'string' ? renderTemplate(loop, vars) : loop;
  if (!Array.isArray(items)) throw new Error(`loop: expected a list, got ${typeof items}`);
  return items;
}

/** What `register:` stores: Ansible's shape (changed, failed, skipped, msg) plus the module's data. */
function registered(r: ModuleResult): Record<string, unknown> {
  return {
    ...(r.data ?? {}),
    changed: r.status === 'changed',
    failed: r.status === 'failed',
    skipped: r.status === 'skipped',
    ...(r.msg !== undefined ? { msg: r.msg } : {}),
  };
}

/** A loop's results as one: failed if any item failed, changed if any changed. */
function mergeLoop(results: ModuleResult[]): ModuleResult {
  const status = results.some((r) => r.status === 'failed')
    ? 'failed'
    : results.some((r) => r.status === 'changed')
      ? 'changed'
      : results.every((r) => r.status === 'skipped')
        ? 'skipped'
        : 'ok';
  const failed = results.find((r) => r.status === 'failed');
  return { status, msg: failed?.msg ?? `${results.length} items`, data: { results: results.map(registered) } };
}

function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'issues' in e && Array.isArray((e as { issues: unknown[] }).issues)) {
    const issue = (e as { issues: { path: (string | number)[]; message: string }[] }).issues[0]!;
    return `${issue.path.join('.') || 'args'}: ${issue.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}
