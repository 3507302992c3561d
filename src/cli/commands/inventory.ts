import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { inventoryOptions, type FleetArgs } from '../common-options.js';

interface InventoryArgs extends FleetArgs {
  list?: boolean;
  graph?: boolean;
  group?: string;
  host?: string;
  fleet?: boolean;
}

export function inventoryCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, InventoryArgs> {
  return {
    command: 'inventory [group]',
    describe: 'Show the inventory as ece-preflight reads it (ansible-inventory --list, --graph, --host)',
    builder: (y) =>
      inventoryOptions(y)
        .positional('group', { type: 'string', describe: 'With --graph: the group to start from (default all)' })
        .option('list', { type: 'boolean', describe: 'JSON in the shape of `ansible-inventory --list` (honours --limit)' })
        .option('graph', { type: 'boolean', describe: 'The group tree, as `ansible-inventory --graph [GROUP]`' })
        .option('host', { type: 'string', describe: "One host's vars, as `ansible-inventory --host NAME`" })
        .option('fleet', { type: 'boolean', describe: 'JSON of the resolved hosts: address, port, user, roles and where they came from (honours --limit)' })
        .example('$0 inventory --list -i hosts.ini', 'Compare with: ansible-inventory -i hosts.ini --list')
        .example('$0 inventory --graph directors -i prod/', 'The directors group, its children and hosts'),
    handler: async (argv) => {
      const actions = (['list', 'graph', 'host', 'fleet'] as const).filter((a) => argv[a] !== undefined && argv[a] !== false);
      if (actions.length === 0) throw new UsageError('inventory: No action selected, at least one of --list, --graph, --host or --fleet needs to be specified');
      if (actions.length > 1) throw new UsageError(`inventory: Conflicting options used, only one of --list, --graph, --host or --fleet can be used at the same time (got ${actions.map((a) => `--${a}`).join(', ')})`);
      if (argv.group !== undefined && !argv.graph) throw new UsageError(`inventory: a group (${argv.group}) is only for --graph`);
      // ansible-inventory ignores --limit with --graph and --host; we say so instead of ignoring it.
      if (argv.limit !== undefined && (argv.graph || argv.host !== undefined)) {
        throw new UsageError(`inventory: --limit applies to --list and --fleet; --graph and --host show the whole inventory (as ansible-inventory does)`);
      }
      // Loaded when the command runs, not at start-up.
      const [{ formatAnsibleList, toAnsibleList }, { formatAnsibleGraph, formatAnsibleHost }, { loadInventoryFromArgs }] = await Promise.all([
        import('../../inventory/to-ansible-list.js'),
        import('../../inventory/to-ansible-graph.js'),
        import('../load-fleet.js'),
      ]);
      const selected = loadInventoryFromArgs(argv, io);
      if (argv.list) io.stdout.write(formatAnsibleList(toAnsibleList(selected.model, selected.limited)) + '\n');
      else if (argv.graph) io.stdout.write(formatAnsibleGraph(selected.model, argv.group ?? 'all'));
      else if (argv.host !== undefined) io.stdout.write(formatAnsibleHost(selected.model, argv.host));
      else io.stdout.write(JSON.stringify(selected.resolveFleet(), null, 2) + '\n');
    },
  };
}
