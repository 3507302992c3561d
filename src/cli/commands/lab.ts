import type { CommandModule } from 'yargs';
import { defaultLabDir, labDown, labStatus, labUp } from '../../lab/lab.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { splitList } from '../common-options.js';

interface LabArgs {
  action?: 'up' | 'down' | 'status';
  count?: number;
  roles?: string[];
  dir: string;
  prefix: string;
  noForwarding?: string[];
}

export function labCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, LabArgs> {
  return {
    command: 'lab <action> [count]',
    describe: 'A lab of real OpenSSH hosts in network namespaces on 198.18.0.0/24 (root; up N | down | status)',
    builder: (y) =>
      y
        .positional('action', { choices: ['up', 'down', 'status'] as const, describe: 'up N: create N hosts; down: remove all; status' })
        .positional('count', { type: 'number', describe: 'Hosts to create (up)' })
        .option('roles', {
          type: 'string',
          array: true,
          describe: "Roles per host in order, e.g. --roles director,coordinator proxy allocator (default: a spread)",
        })
        .option('dir', { type: 'string', describe: 'Lab folder (inventory, keys, known_hosts, per-host state)', default: defaultLabDir() })
        .option('prefix', { type: 'string', describe: 'Name prefix for namespaces, veths and bridge', default: 'ecep' })
        .option('no-forwarding', { type: 'string', array: true, describe: 'Hosts whose sshd has AllowTcpForwarding no' })
        .example('$0 lab up 6', 'Six hosts; then: $0 sweep -i .lab/inventory.yml')
        .example('$0 lab down', 'Remove namespaces, veths, bridge and sshd processes'),
    handler: async (argv) => {
      if (argv.action === 'up') {
        if (!argv.count || !Number.isInteger(argv.count) || argv.count < 1) throw new UsageError('lab up: give the number of hosts, e.g. `lab up 6`');
        const info = await labUp({
          hosts: argv.count,
          roles: argv.roles ? argv.roles : undefined,
          dir: argv.dir,
          prefix: argv.prefix,
          noForwarding: splitList(argv.noForwarding),
        });
        io.stdout.write(`lab up: ${info.hosts.length} hosts in ${(info.upMs / 1000).toFixed(1)} s\n`);
        for (const h of info.hosts) io.stdout.write(`  ${h.name.padEnd(5)} ${h.address.padEnd(14)} ${h.namespace.padEnd(12)} ${h.roles.join(',')}\n`);
        io.stdout.write(`inventory: ${info.inventoryFile}\nssh: ssh -F ${info.sshConfigFile} h1\nnext: ece-preflight sweep -i ${info.inventoryFile}\n`);
      } else if (argv.action === 'down') {
        await labDown(argv.dir, { prefix: argv.prefix });
        io.stdout.write(`lab down: removed the lab in ${argv.dir}\n`);
      } else {
        const st = await labStatus(argv.dir);
        if (!st.up) {
          io.stdout.write(`no lab in ${st.dir}\n`);
          return;
        }
        for (const h of st.hosts) {
          io.stdout.write(`${h.name.padEnd(5)} ${h.address.padEnd(14)} netns ${h.namespace ? 'yes' : 'MISSING'}  sshd ${h.sshdRunning ? `running (pid ${h.sshdPid})` : 'DOWN'}\n`);
        }
      }
    },
  };
}
