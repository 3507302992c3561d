import type { CommandModule } from 'yargs';
import { formatAnsibleList, toAnsibleList } from '../../inventory/to-ansible-list.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { inventoryOptions, type FleetArgs } from '../common-options.js';
import { loadFleetFromArgs } from '../load-fleet.js';

interface InventoryArgs extends FleetArgs {
  list?: boolean;
  fleet?: boolean;
}

export function inventoryCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, InventoryArgs> {
  return {
    command: 'inventory',
    describe: 'Show the inventory as ece-preflight reads it',
    builder: (y) =>
      inventoryOptions(y)
        .option('list', { type: 'boolean', describe: 'JSON in the shape of `ansible-inventory --list`, to compare with Ansible' })
        .option('fleet', { type: 'boolean', describe: 'JSON of the resolved hosts: address, port, user, roles and where they came from' })
        .example('$0 inventory --list -i hosts.ini', 'Compare with: ansible-inventory -i hosts.ini --list'),
    handler: (argv) => {
      if (!argv.list && !argv.fleet) throw new UsageError('inventory: give --list or --fleet');
      const { model, fleet } = loadFleetFromArgs(argv, io);
      if (argv.list) io.stdout.write(formatAnsibleList(toAnsibleList(model)) + '\n');
      else io.stdout.write(JSON.stringify(fleet, null, 2) + '\n');
    },
  };
}
