import type { Argv, CommandModule } from 'yargs';
import { connectionOptions, inventoryOptions } from '../common-options.js';
import type { CliIo } from '../io.js';
import { runOptions, type RunArgs } from '../run-options.js';

interface ApplyArgs extends RunArgs {
  backend?: string;
  confirmTimeout?: number;
  remove?: boolean;
  persist?: boolean;
}

/** Shared by apply and rollback: playbooks/firewall.yml, with become on, its vars from the flags. */
async function runFirewall(argv: ApplyArgs, io: CliIo, setExit: (code: number) => void, state: 'present' | 'absent' | 'rollback') {
  // Loaded when the command runs, not at start-up.
  const [{ shippedPlaybook }, { runPlaybookCommand }] = await Promise.all([import('../../playbook/shipped.js'), import('../run-play.js')]);
  return runPlaybookCommand({ ...argv, become: argv.become ?? true }, io, setExit, {
    playbookFile: shippedPlaybook('firewall'),
    vars: {
      ece_firewall_state: state,
      ece_firewall_backend: argv.backend ?? 'auto',
      ece_firewall_confirm_timeout: argv.confirmTimeout ?? 60,
      ...(argv.persist ? { ece_firewall_persist: true } : {}),
    },
  });
}

/** `firewall apply`: the rules each host's roles need, commit-confirmed; --check --diff shows them and changes nothing. */
export function firewallApplyCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, ApplyArgs> {
  return {
    command: 'apply',
    describe: 'Apply the ECE rules per host (saved first, rollback armed on the host, confirmed over a new SSH connection)',
    builder: (y) =>
      runOptions(connectionOptions(inventoryOptions(y)))
        .option('backend', { choices: ['auto', 'nftables', 'iptables', 'firewalld', 'ufw'], default: 'auto', describe: "Firewall to write to (auto: from each host's facts)" })
        .option('confirm-timeout', { type: 'number', default: 60, describe: 'Seconds after which a host restores its saved rules by itself unless the change was confirmed' })
        .option('remove', { type: 'boolean', default: false, describe: 'Remove every rule of ours instead (same confirm steps)' })
        .option('persist', {
          type: 'boolean',
          default: false,
          describe: "After confirmation, make the rules survive a reboot the backend's way (nft: /etc/nftables.conf or /etc/sysconfig/nftables.conf; iptables: /etc/iptables/rules.v4|v6 or /etc/sysconfig/iptables; firewalld: --permanent); -e ece_firewall_persist_file=PATH to choose the file",
        })
        .example('$0 firewall apply -i hosts.ini --check --diff', 'What would change, changing nothing')
        .example('$0 firewall apply -i hosts.ini --serial 5', 'Five hosts at a time; a failed batch stops the rest')
        .example('$0 firewall apply -i hosts.ini --persist', 'Confirmed changes written where the firewall loads them at boot') as unknown as Argv<ApplyArgs>,
    handler: (argv) => runFirewall(argv, io, setExit, argv.remove ? 'absent' : 'present'),
  };
}

/** `firewall rollback`: back to the rules each host saved before the last apply. */
export function firewallRollbackCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, ApplyArgs> {
  return {
    command: 'rollback',
    describe: 'Restore the rules each host saved before the last apply',
    builder: (y) =>
      runOptions(connectionOptions(inventoryOptions(y)))
        .option('backend', { choices: ['auto', 'nftables', 'iptables', 'firewalld', 'ufw'], default: 'auto', describe: 'Firewall the saved rules belong to' }) as unknown as Argv<ApplyArgs>,
    handler: (argv) => runFirewall(argv, io, setExit, 'rollback'),
  };
}
