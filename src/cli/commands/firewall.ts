import type { CommandModule } from 'yargs';
import type { CliIo } from '../io.js';
import { firewallPlanCommand } from './firewall-plan.js';

/**
 * `firewall <subcommand>`: plan now; apply and rollback join here, one file
 * each (firewall-apply.ts, firewall-rollback.ts).
 */
export function firewallCommand(io: CliIo, _setExit: (code: number) => void): CommandModule {
  return {
    command: 'firewall <command>',
    describe: 'Firewall rules for ECE per host: plan (apply and rollback come next)',
    builder: (y) => y.command(firewallPlanCommand(io)).demandCommand(1, 'Name a firewall command: plan'),
    handler: () => {},
  };
}
