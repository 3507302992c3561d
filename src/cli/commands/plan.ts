import type { CommandModule } from 'yargs';
import { connectionOptions, inventoryOptions, planFlagOptions, type ConnectionArgs, type PlanFlagArgs } from '../common-options.js';
import type { CliIo } from '../io.js';

interface PlanArgs extends PlanFlagArgs, ConnectionArgs {
  json?: boolean;
}

export function planCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, PlanArgs> {
  return {
    command: 'plan',
    describe: 'Show what a sweep would check (role matrix, listeners and probes per host) without connecting',
    builder: (y) =>
      connectionOptions(planFlagOptions(inventoryOptions(y)))
        .option('json', { type: 'boolean', default: false, describe: 'Print the whole plan as JSON' })
        .example('$0 plan -i inventories/example.ini', 'The expected matrix of the example fleet'),
    handler: async (argv) => {
      // Loaded when the command runs, not at start-up.
      const [{ ECE_CATALOG }, { planSweep }, { summarizePlan }, { planOptionsFrom }, { ansibleConfigOf, loadFleetFromArgs }, { formatPlanSummary }, { sshOptions }, { connectionSettingsFrom }, { withSshTargets }] =
        await Promise.all([
          import('../../catalog/ece-catalog.js'),
          import('../../plan/plan-sweep.js'),
          import('../../plan/summary.js'),
          import('../common-options.js'),
          import('../load-fleet.js'),
          import('../format-plan.js'),
          import('../ssh-settings.js'),
          import('../connection-settings.js'),
          import('../ssh-targets.js'),
        ]);
      const config = ansibleConfigOf(io);
      const settings = connectionSettingsFrom(argv, config, io);
      const loaded = loadFleetFromArgs(argv, io, config, settings.hostDefaults);
      const { source } = loaded;
      // Where SSH goes after ssh_config (ssh -G, local) and where hosts are probed: shown per host.
      const fleet = await withSshTargets(loaded.fleet, sshOptions(settings, io), io);
      const plan = planSweep(fleet, ECE_CATALOG, planOptionsFrom(argv));
      if (argv.json) {
        io.stdout.write(JSON.stringify(plan, null, 2) + '\n');
        return;
      }
      io.stdout.write(formatPlanSummary(source, plan, summarizePlan(plan)));
    },
  };
}
