import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { connectionOptions, inventoryOptions } from '../common-options.js';
import type { CliIo } from '../io.js';
import { runOptions, type RunArgs } from '../run-options.js';

interface PlayArgs extends RunArgs {
  playbook: string;
  syntaxCheck?: boolean;
  listTasks?: boolean;
}

/** `ece-preflight play PLAYBOOK`: ansible-playbook's shape, on our modules. */
export function playCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, PlayArgs> {
  return {
    command: 'play <playbook>',
    describe: 'Run a playbook (plays of tasks over hosts, as ansible-playbook): playbooks/preflight.yml, matrix.yml, facts.yml or yours',
    builder: (y) =>
      runOptions(connectionOptions(inventoryOptions(y)))
        .positional('playbook', { type: 'string', demandOption: true, describe: 'Playbook file (YAML list of plays)' })
        .option('syntax-check', { type: 'boolean', default: false, describe: 'Parse and validate the playbook, then exit (4 on an error, naming file and line)' })
        .option('list-tasks', { type: 'boolean', default: false, describe: 'List the tasks that would run (after --tags/--skip-tags), then exit' })
        .example('$0 play playbooks/matrix.yml -i hosts.ini', "The installer's 4-port check across every pair of hosts")
        .example('$0 play playbooks/facts.yml -i hosts.ini -b --json facts.json', 'Facts as root (firewall rules need it)')
        .example('$0 play site.yml -i hosts.ini --check --diff --tags firewall', 'What would change, without changing it') as unknown as Argv<PlayArgs>,
    handler: async (argv) => {
      // Loaded here, not at start-up: --version, --help and plan stay light (no engine, ssh2, ink).
      const { runPlaybookCommand } = await import('../run-play.js');
      await runPlaybookCommand(argv, io, setExit, {
        playbookFile: path.resolve(io.cwd, argv.playbook),
        syntaxCheck: argv.syntaxCheck,
        listTasks: argv.listTasks,
      });
    },
  };
}
