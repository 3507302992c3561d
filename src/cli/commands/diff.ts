import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { inventoryOptions, type FleetArgs } from '../common-options.js';
import type { CliIo } from '../io.js';

interface DiffArgs extends FleetArgs {
  runs?: string[];
  stateDir?: string;
  json?: boolean;
}

/**
 * `ece-preflight diff [A] [B]`: what changed between two saved runs (default
 * the last two), or, with -i, between the last run and the inventory as it
 * is now (hosts, roles, addresses: what a re-run would have to probe), and
 * per host the firewall rules to add and to remove between the two sides.
 */
export function diffCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, DiffArgs> {
  return {
    command: 'diff [runs..]',
    describe: 'What changed between two saved runs (default: the last two), or between the last run and the inventory now (-i)',
    builder: (y) =>
      inventoryOptions(y)
        .positional('runs', { type: 'string', array: true, describe: 'Run files, or last, last~1, ... (from the run history)' })
        .option('state-dir', { type: 'string', describe: 'Run history folder (default .ece-preflight/ beside the inventory)' })
        .option('json', { type: 'boolean', default: false, describe: 'Print the diff as JSON' })
        .example('$0 diff', 'The last two saved runs')
        .example('$0 diff -i hosts.ini', 'The last run against the inventory as it is now')
        .example('$0 diff last~3 last --json', 'Against an older run, as JSON') as unknown as Argv<DiffArgs>,
    handler: async (argv) => {
      // Loaded when the command runs, not at start-up.
      const [{ ECE_CATALOG }, { defaultPlanOptions }, { planSweep }, { defaultStateDir, loadRun }, { diffRuns, formatDiff, sideOfRun }, { loadFleetFromArgs }, { firewallInputsOf }] = await Promise.all([
        import('../../catalog/ece-catalog.js'),
        import('../../plan/options.js'),
        import('../../plan/plan-sweep.js'),
        import('../../state/run-history.js'),
        import('../../state/run-diff.js'),
        import('../load-fleet.js'),
        import('../../engine/build-result.js'),
      ]);
      const stateDir = argv.stateDir ? path.resolve(io.cwd, argv.stateDir) : defaultStateDir(io.cwd, argv.inventory?.[0]);
      const refs = argv.runs ?? [];
      let diff;
      if (argv.inventory?.length) {
        const last = loadRun(stateDir, refs[0] ?? 'last', io.cwd);
        const { fleet } = loadFleetFromArgs(argv, io);
        // The inventory's roles as the plan gives them (the first host holds all four), with the last run's plan options.
        const plan = planSweep(fleet, ECE_CATALOG, last.result.context?.planOptions ?? defaultPlanOptions());
        const now = { label: 'inventory now', hosts: plan.hosts.map((h) => ({ name: h.host.name, address: h.host.address, roles: h.roles, firewallInputs: firewallInputsOf(h.host) })), limit: argv.limit };
        const options = last.result.context?.planOptions ?? defaultPlanOptions();
        diff = diffRuns(sideOfRun(path.relative(io.cwd, last.file), last.result), now, { catalog: ECE_CATALOG, options });
      } else {
        const [a, b] = refs.length >= 2 ? [refs[0]!, refs[1]!] : refs.length === 1 ? [refs[0]!, 'last'] : ['last~1', 'last'];
        const A = loadRun(stateDir, a, io.cwd);
        const B = loadRun(stateDir, b, io.cwd);
        // The rules in force as the newer run had them (enable/skip), for both sides alike.
        const options = B.result.context?.planOptions ?? A.result.context?.planOptions ?? defaultPlanOptions();
        diff = diffRuns(sideOfRun(path.relative(io.cwd, A.file), A.result), sideOfRun(path.relative(io.cwd, B.file), B.result), { catalog: ECE_CATALOG, options });
      }
      io.stdout.write(argv.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
    },
  };
}
