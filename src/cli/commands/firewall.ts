import type { CommandModule } from 'yargs';
import type { CliIo } from '../io.js';
import { firewallPlanCommand } from './firewall-plan.js';
import { firewallApplyCommand, firewallRollbackCommand } from './firewall-apply.js';

/**
 * `firewall <subcommand>`: plan (pure, no connection), apply and rollback
 * (playbooks/firewall.yml through the play runner).
 */
export function firewallCommand(io: CliIo, setExit: (code: number) => void): CommandModule {
  return {
    command: 'firewall <command>',
    describe: 'Firewall rules for ECE per host: plan, apply (commit-confirmed), rollback',
    builder: (y) =>
      y
        .command(firewallPlanCommand(io))
        .command(firewallApplyCommand(io, setExit))
        .command(firewallRollbackCommand(io, setExit))
        .demandCommand(1, 'Name a firewall command: plan, apply or rollback'),
    handler: () => {},
  };
}
