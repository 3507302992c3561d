import { ECE_CATALOG } from '../catalog/ece-catalog.js';
import { defaultEngineOptions } from '../engine/options.js';
import { runPlaybook } from '../engine/play-runner.js';
import type { RunResult } from '../engine/result.js';
import { EXIT, UsageError } from '../errors.js';
import { selectHosts } from '../inventory/patterns.js';
import { MODULE_CATALOGUE, MODULES } from '../modules/index.js';
import type { FleetHost } from '../model/fleet.js';
import { planOptionsFromVars } from '../plan/options-from-vars.js';
import { planSweep } from '../plan/plan-sweep.js';
import { CONTROLLER } from '../plan/types.js';
import { formatTaskListing, listTasks } from '../playbook/list-tasks.js';
import { JUNIT_PER, type JunitPer } from '../report/junit.js';
import { loadPlaybook } from '../playbook/parse.js';
import { playbookUses } from '../playbook/uses-module.js';
import type { Playbook } from '../playbook/types.js';
import { LocalConnection } from '../transport/local.js';
import { JumpPool } from '../transport/jump-pool.js';
import { splitList } from './common-options.js';
import { connectionFactory, sshOptions } from './connection-factory.js';
import { connectionSettingsFrom, formatListHosts } from './connection-settings.js';
import { exitCodeOf } from './exit-code.js';
import { useColor, type CliIo } from './io.js';
import { defaultStateDir, listRuns, loadRun, saveRun } from '../state/run-history.js';
import path from 'node:path';
import { ansibleConfigOf, loadFleetFromArgs } from './load-fleet.js';
import { askKeyPassphrase, promptHidden } from './passphrase-prompt.js';
import { pickRenderer } from './pick-renderer.js';
import { withSshTargets } from './ssh-targets.js';
import { checkAllowedTargets } from './target-guard.js';
import { VERSION } from './version.js';
import { formatOfFile, writeReports } from './write-reports.js';
import type { RunArgs } from './run-options.js';

// The flags live in run-options.ts, which loads nothing heavy (commands register them at start-up).
export { runOptions, type RunArgs } from './run-options.js';

/** Modules whose plan must see every inventory host, whatever --limit says (the firewall's sources; run_diff's hosts removed). */
const WHOLE_INVENTORY_MODULES: ReadonlySet<string> = new Set(['firewall', 'run_diff']);
const RUN_DIFF: ReadonlySet<string> = new Set(['run_diff']);

/**
 * One path for every run of plays: `play` with a playbook of the user's,
 * `sweep` with playbooks/preflight.yml and its flags as play vars. Reads the
 * inventory and settings, answers --list-hosts / --list-tasks /
 * --syntax-check without connecting, runs, renders, writes the reports and
 * sets the exit code from the result.
 */
export async function runPlaybookCommand(
  argv: RunArgs,
  io: CliIo,
  setExit: (code: number) => void,
  opts: {
    playbookFile: string;
    vars?: Record<string, unknown>;
    listTasks?: boolean;
    syntaxCheck?: boolean;
    /** sweep: `ansible all --list-hosts`'s shape (one list), not ansible-playbook's (per play). */
    flatListHosts?: boolean;
  },
): Promise<void> {
  for (const [name, v, min] of [['probe-timeout', argv.probeTimeout, 10], ['concurrency', argv.concurrency, 1], ['listener-ttl', argv.listenerTtl, 10]] as const) {
    if (!Number.isFinite(v) || v < min) throw new UsageError(`--${name} must be a number of at least ${min}, got ${v}`);
  }
  const config = ansibleConfigOf(io);
  const settings = connectionSettingsFrom(argv, config, io);
  if (argv.timeout !== undefined && argv.timeout >= 300) {
    // Scripts written before the rename passed the probe timeout in ms here.
    io.stderr.write(`[WARNING]: --timeout ${argv.timeout} is the SSH connect timeout in seconds (as Ansible's -T); the probe timeout in ms is --probe-timeout\n`);
  }
  // A report that cannot be written is known now, not after a long run.
  for (const f of argv.report ?? []) formatOfFile(f);
  // The playbook is read before anything connects: a bad one is exit 4 with file:line.
  const playbook = await loadPlaybook(opts.playbookFile, MODULE_CATALOGUE);
  const tags = { tags: splitList(argv.tags), skipTags: splitList(argv.skipTags) };
  if (opts.syntaxCheck) {
    io.stdout.write(`\nplaybook: ${opts.playbookFile}\n`);
    return;
  }
  if (opts.listTasks) {
    io.stdout.write(formatTaskListing(opts.playbookFile, listTasks(playbook, tags)));
    return;
  }
  const selected = loadFleetFromArgs(argv, io, config, settings.hostDefaults);
  const { model } = selected;
  let { fleet } = selected;
  const hostsOfPlay = (pattern: string): Set<string> => new Set(selectHosts(model, pattern));
  if (settings.listHosts) {
    io.stdout.write(opts.flatListHosts ? formatListHosts(fleet.hosts.map((h) => h.name)) : listHostsPerPlay(playbook, opts.playbookFile, fleet.hosts, hostsOfPlay));
    return;
  }
  // Where SSH really goes (ssh -G) before the plan: probe addresses and reports depend on it.
  const ssh = sshOptions(settings, io);
  // A firewall must allow from the whole inventory (--limit narrows the hosts changed, not the sources):
  // only then is every host resolved, once; otherwise hosts outside --limit stay unread (their vars cannot stop the run).
  let inventoryHosts: FleetHost[];
  if (selected.limited && playbookUses(playbook, WHOLE_INVENTORY_MODULES)) {
    const all = await withSshTargets(selected.resolveAll(), ssh, io);
    const keep = new Set(selected.limited);
    fleet = { ...all, hosts: all.hosts.filter((h) => keep.has(h.name)) };
    inventoryHosts = all.hosts;
  } else {
    fleet = await withSshTargets(fleet, ssh, io);
    inventoryHosts = fleet.hosts;
  }
  const extraVars = { ...(opts.vars ?? {}), ...(model.extraVars?.vars ?? {}) };
  const planFor = (hosts: FleetHost[], vars: Record<string, unknown>) => {
    let options;
    try {
      options = planOptionsFromVars(vars, ECE_CATALOG);
    } catch (e) {
      throw new UsageError(`${opts.playbookFile}: ${(e as Error).message}`);
    }
    const plan = planSweep({ ...fleet, hosts }, ECE_CATALOG, options);
    // Test suites: nothing outside loopback and the lab, refused before anything connects.
    checkAllowedTargets(plan, io.env['ECE_PREFLIGHT_ALLOWED_TARGETS'], ssh.targets);
    return plan;
  };
  const passphrase = await askKeyPassphrase(fleet, ssh, io);
  if (passphrase !== undefined) ssh.passphrase = passphrase;
  const becomePassword = await becomePasswordOf(argv, io);
  const stateDir = argv.stateDir ? path.resolve(io.cwd, argv.stateDir) : defaultStateDir(io.cwd, argv.inventory?.[0] ?? selected.source);
  // --changed compares with the last saved run; without one there is nothing to carry over.
  const baseline = argv.changed ? loadRun(stateDir, 'last', io.cwd).result : undefined;
  // run_diff compares the inventory with the last saved run; none (a first run) is said by the task, not an error.
  const lastRun = playbookUses(playbook, RUN_DIFF) ? previousRun(stateDir, io, baseline, 'run_diff has no last run to compare with') : baseline;
  // Hosts behind one bastion share one connection to it, for the whole run.
  const jumps = new JumpPool(ssh);
  const ctl = new AbortController();
  // -vvv and up write SSH lines to stderr, which would tear the live UI: plain lines then.
  const renderer = await pickRenderer(io, { tui: argv.tui !== false && settings.verbosity < 3, verbose: settings.verbosity >= 1, color: useColor(io), onQuit: () => ctl.abort() });
  // First Ctrl-C: stop, run the `always` tasks, close every session. Second: leave now.
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write('\nInterrupted: stopping, running cleanup tasks and removing remote listeners (Ctrl-C again to quit now)\n');
      ctl.abort();
    } else {
      process.exit(99);
    }
  };
  io.signals?.on('SIGINT', onSignal);
  io.signals?.on('SIGTERM', onSignal);
  let result: RunResult;
  try {
    result = await runPlaybook({
      playbook,
      fleet,
      inventoryHosts,
      selectHosts: (pattern) => [...hostsOfPlay(pattern)],
      extraVars,
      modules: MODULES,
      catalog: ECE_CATALOG,
      planFor,
      connect: connectionFactory({ ...ssh, jump: jumps.provider }, { verbosity: settings.verbosity, io }),
      controller: () => new LocalConnection(CONTROLLER),
      options: {
        ...defaultEngineOptions(),
        forks: settings.forks,
        probeTimeoutMs: argv.probeTimeout,
        probeConcurrency: argv.concurrency,
        listenerTtlSec: argv.listenerTtl,
        failOnExposed: argv.failOnExposed ?? false,
        check: argv.check ?? false,
        diff: argv.diff ?? false,
        tags,
        become: argv.become ?? config.become?.value ?? false,
        becomeUser: argv.becomeUser ?? settings.becomeUser,
        ...(argv.serial !== undefined ? { serial: positiveInt('--serial', argv.serial) } : {}),
      },
      inventory: selected.source,
      toolVersion: VERSION,
      emit: (e) => renderer.handle(e),
      signal: ctl.signal,
      becomePassword,
      exitCodeOf,
      baseline,
      ...(lastRun ? { previous: lastRun } : {}),
    });
  } finally {
    io.signals?.off('SIGINT', onSignal);
    io.signals?.off('SIGTERM', onSignal);
    await renderer.done();
    await jumps.closeAll();
  }
  result.context = { ...result.context, playbook: path.relative(io.cwd, opts.playbookFile) || opts.playbookFile, ...(argv.limit !== undefined ? { limit: argv.limit } : {}) };
  // The report's "Changes since the last run": the last saved run before this one, passed in explicitly.
  const previous = (argv.report ?? []).some((f) => ['md', 'html'].includes(formatOfFile(f))) ? previousRun(stateDir, io, lastRun, 'the report has no "Changes since the last run"') : undefined;
  // The run history streams the JSON to its file (~100 ms for 35,000 checks; never ~11 MB of text at
  // once), and a --json report is a copy of that file, not a second rendering.
  let saved: string | undefined;
  if (argv.save !== false) {
    try {
      saved = saveRun(stateDir, result);
      io.stderr.write(`Saved run: ${path.relative(io.cwd, saved) || saved}\n`);
    } catch (e) {
      io.stderr.write(`ERROR: cannot save the run in ${stateDir}: ${(e as Error).message.split('\n')[0]}\n`);
    }
  }
  const unwritten = writeReports(result, { json: argv.json, junit: argv.junit, report: argv.report }, io, {
    junitPer: argv.junitPer,
    ...(previous ? { previous } : {}),
    ...(saved ? { jsonFrom: saved } : {}),
  });
  // The run's own code wins; a clean run whose report could not be written is not clean for CI (5: environment).
  setExit(result.exitCode === 0 && unwritten > 0 ? EXIT.usage : result.exitCode);
}

/** The last saved run, if the history has one; one warning line (never a failed run) when it cannot be read. */
function previousRun(stateDir: string, io: CliIo, loaded: RunResult | undefined, without: string): RunResult | undefined {
  if (loaded) return loaded;
  if (listRuns(stateDir).length === 0) return undefined;
  try {
    return loadRun(stateDir, 'last', io.cwd).result;
  } catch (e) {
    io.stderr.write(`[WARNING]: ${without}: ${(e as Error).message.split('\n')[0]}\n`);
    return undefined;
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`${name} must be a whole number of at least 1, got ${v}`);
  return v;
}

/** -K asks on the terminal; ECE_PREFLIGHT_BECOME_PASS serves scripts. Never a flag value (argv is public). */
async function becomePasswordOf(argv: RunArgs, io: CliIo): Promise<string | undefined> {
  const fromEnv = io.env['ECE_PREFLIGHT_BECOME_PASS'];
  if (fromEnv !== undefined) return fromEnv;
  if (!argv.askBecomePass) return undefined;
  if (!io.stdin?.isTTY) throw new UsageError('-K/--ask-become-pass needs a terminal; set ECE_PREFLIGHT_BECOME_PASS instead');
  return promptHidden(io, 'BECOME password: ');
}

/** ansible-playbook --list-hosts: each play with its pattern and hosts. */
function listHostsPerPlay(playbook: Playbook, file: string, fleet: FleetHost[], hostsOfPlay: (p: string) => Set<string>): string {
  const out = ['', `playbook: ${file}`];
  playbook.plays.forEach((play, i) => {
    const names = hostsOfPlay(play.hosts);
    const hosts = fleet.filter((h) => names.has(h.name)).map((h) => h.name);
    out.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(', ')}]`, `    pattern: ['${play.hosts}']`);
    out.push(...formatListHosts(hosts).trimEnd().split('\n').map((l) => `  ${l}`));
  });
  return out.join('\n') + '\n';
}
