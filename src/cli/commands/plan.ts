import type { CommandModule } from 'yargs';
import { ECE_CATALOG } from '../../catalog/ece-catalog.js';
import { planSweep } from '../../plan/plan-sweep.js';
import { summarizePlan } from '../../plan/summary.js';
import { inventoryOptions, planFlagOptions, planOptionsFrom, type PlanFlagArgs } from '../common-options.js';
import type { CliIo } from '../io.js';
import { loadFleetFromArgs } from '../load-fleet.js';
import { formatPlanSummary } from '../format-plan.js';

interface PlanArgs extends PlanFlagArgs {
  json?: boolean;
}

export function planCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, PlanArgs> {
  return {
    command: 'plan',
    describe: 'Show what a sweep would check (role matrix, listeners and probes per host) without connecting',
    builder: (y) =>
      planFlagOptions(inventoryOptions(y))
        .option('json', { type: 'boolean', default: false, describe: 'Print the whole plan as JSON' })
        .example('$0 plan -i inventories/example.ini', 'The expected matrix of the example fleet'),
    handler: (argv) => {
      const { fleet, source } = loadFleetFromArgs(argv, io);
      const plan = planSweep(fleet, ECE_CATALOG, planOptionsFrom(argv));
      if (argv.json) {
        io.stdout.write(JSON.stringify(plan, null, 2) + '\n');
        return;
      }
      io.stdout.write(formatPlanSummary(source, plan, summarizePlan(plan)));
    },
  };
}
