import type { CommandModule } from 'yargs';
import path from 'node:path';
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
  sudoPassword?: string[];
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
        // lab/lab.ts defaultLabDir(), written out so that registering the command loads nothing of the lab
        .option('dir', { type: 'string', describe: 'Lab folder (inventory, keys, known_hosts, per-host state)', default: path.join(process.cwd(), '.lab') })
        .option('prefix', { type: 'string', describe: 'Name prefix for namespaces, veths and bridge', default: 'ecep' })
        .option('no-forwarding', { type: 'string', array: true, describe: 'Hosts whose sshd has AllowTcpForwarding no' })
        .option('sudo-password', { type: 'string', array: true, describe: "Hosts where the lab user's sudo asks for its password (NOPASSWD elsewhere)" })
        .option('ipv6', { type: 'boolean', describe: 'IPv6 on the lab bridge too: fd00:198:18::/64 (unique local, lab-only), host N at ::(10+N)' })
        .example('$0 lab up 6', 'Six hosts; then: $0 sweep -i .lab/inventory.yml')
        .example('$0 lab down', 'Remove namespaces, veths, bridge and sshd processes'),
    handler: async (argv) => {
      // Loaded when the command runs, not at start-up.
      const { labDown, labStatus, labUp } = await import('../../lab/lab.js');
      if (argv.action === 'up') {
        if (!argv.count || !Number.isInteger(argv.count) || argv.count < 1) throw new UsageError('lab up: give the number of hosts, e.g. `lab up 6`');
        const info = await labUp({
          hosts: argv.count,
          roles: argv.roles ? argv.roles : undefined,
          dir: argv.dir,
          prefix: argv.prefix,
          noForwarding: splitList(argv.noForwarding),
          sudoPassword: splitList(argv.sudoPassword),
          ...(argv.ipv6 ? { ipv6: true } : {}),
        });
        io.stdout.write(`lab up: ${info.hosts.length} hosts in ${(info.upMs / 1000).toFixed(1)} s\n`);
        if (info.login) io.stdout.write(`login: ${info.login.ms} ms (ssh ${info.login.host} true)\n`);
        if (info.login?.warning) io.stdout.write(`warning: ${info.login.warning}\n`);
        if (info.user) {
          const pw = info.user.passwordHosts;
          io.stdout.write(`user: ${info.user.name} (sudo without a password${pw.length ? `, except on ${pw.join(', ')}: password ${info.user.password}` : ''})\n`);
        }
        for (const h of info.hosts) io.stdout.write(`  ${h.name.padEnd(5)} ${h.address.padEnd(14)} ${h.address6 ? `${h.address6.padEnd(18)} ` : ''}${h.namespace.padEnd(12)} ${h.roles.join(',')}\n`);
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
          io.stdout.write(
            `${h.name.padEnd(5)} ${h.address.padEnd(14)} netns ${h.namespace ? 'yes' : 'MISSING'}  init ${h.initRunning ? 'yes' : 'DOWN'}  sshd ${h.sshdRunning ? `running (pid ${h.sshdPid})` : 'DOWN'}\n`,
          );
        }
        if (st.info?.login) io.stdout.write(`login at lab up: ${st.info.login.ms} ms (ssh ${st.info.login.host} true)${st.info.login.warning ? ` - ${st.info.login.warning}` : ''}\n`);
      }
    },
  };
}
