import type { CommandModule } from 'yargs';
import { BACKEND_NAMES, type BackendName } from '../../firewall/types.js';
import { inventoryOptions } from '../common-options.js';
import type { FirewallPlanArgs } from './firewall-plan-run.js';
import type { CliIo } from '../io.js';


export function firewallPlanCommand(io: CliIo): CommandModule<object, FirewallPlanArgs> {
  return {
    command: 'plan',
    describe: 'Print, per host, the firewall rules its roles need and the script its backend would load, without connecting',
    builder: (y) =>
      inventoryOptions(y)
        .option('backend', { choices: BACKEND_NAMES, default: 'nftables' as BackendName, describe: 'Firewall to render for (apply detects it per host from facts)' })
        .option('json', { type: 'boolean', default: false, describe: 'Print rules and steps as JSON' })
        .option('controller', { type: 'string', describe: 'The controller address as the hosts see it, for the SSH rule (apply reads SSH_CLIENT on each host)' })
        .option('zone', { type: 'string', describe: 'firewalld zone (default: firewalld\'s default zone)' })
        .option('enable', { type: 'string', array: true, default: [] as string[], describe: 'Optional rules to add: ccs (9400/9443)' })
        .option('skip', { type: 'string', array: true, default: [] as string[], describe: 'Rules to leave out: docker, install-check, external, or a rule id (SSH from the controller is always kept)' })
        .option('first-host', { type: 'boolean', default: true, describe: 'The first host holds all roles (--no-first-host for a running installation)' })
        .example('$0 firewall plan -i inventories/example.ini', 'nftables rules per host of the example fleet')
        .example('$0 firewall plan -i hosts.ini --backend iptables --json', 'as JSON, for iptables'),
    handler: async (argv) => {
      // Loaded when the command runs, not at start-up.
      const { runFirewallPlan } = await import('./firewall-plan-run.js');
      runFirewallPlan(argv, io);
    },
  };
}
