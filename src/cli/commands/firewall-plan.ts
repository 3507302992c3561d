import type { CommandModule } from 'yargs';
import { ECE_CATALOG } from '../../catalog/ece-catalog.js';
import { controllerAddressFromSshClient } from '../../firewall/address.js';
import { backendFor } from '../../firewall/backends.js';
import { desiredRules } from '../../firewall/desired.js';
import { firewallPlanJson, formatFirewallPlan, type HostFirewallPlan } from '../../firewall/format-plan.js';
import { BACKEND_NAMES, FirewallBackendError, type BackendName, type CurrentRules } from '../../firewall/types.js';
import { UsageError } from '../../errors.js';
import { planSweep } from '../../plan/plan-sweep.js';
import { inventoryOptions, planOptionsFrom, type FleetArgs } from '../common-options.js';
import type { CliIo } from '../io.js';
import { loadFleetFromArgs } from '../load-fleet.js';

interface FirewallPlanArgs extends FleetArgs {
  backend: BackendName;
  json?: boolean;
  controller?: string;
  zone?: string;
  enable?: string[];
  skip?: string[];
  firstHost?: boolean;
}

/** A host with nothing of ours and no input chain: what `plan` renders against, since it does not connect. */
const NOTHING_YET: CurrentRules = { ours: [], placements: [], foreign: { defaultDeny: false, inputChains: [], notes: [] } };

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
    handler: (argv) => {
      const { fleet, source } = loadFleetFromArgs(argv, io);
      const plan = planSweep(fleet, ECE_CATALOG, planOptionsFrom(argv));
      let controller: string | undefined;
      if (argv.controller !== undefined) {
        try {
          controller = controllerAddressFromSshClient(argv.controller);
        } catch {
          throw new UsageError(`--controller: not an IP address: ${JSON.stringify(argv.controller)}`);
        }
      }
      let backend;
      try {
        backend = backendFor(argv.backend, argv.zone !== undefined ? { firewalldZone: argv.zone } : {});
      } catch (err) {
        if (err instanceof FirewallBackendError) throw new UsageError(`--zone: ${err.message}`);
        throw err;
      }
      const sets = desiredRules(plan, ECE_CATALOG, { controllerAddress: () => controller });
      const hosts: HostFirewallPlan[] = sets.map((set, i) => ({
        host: set.host,
        roles: plan.hosts[i]!.roles,
        backend: argv.backend,
        rules: set.rules,
        warnings: set.warnings,
        change: backend.render(set.rules, NOTHING_YET),
      }));
      io.stdout.write(argv.json ? JSON.stringify(firewallPlanJson(source, argv.backend, hosts), null, 2) + '\n' : formatFirewallPlan(source, argv.backend, hosts));
    },
  };
}
