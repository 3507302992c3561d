import type { Argv, CommandModule } from 'yargs';
import { connectionOptions, inventoryOptions, planFlagOptions, type PlanFlagArgs } from '../common-options.js';
import type { CliIo } from '../io.js';
import { runOptions, type RunArgs } from '../run-options.js';

type SweepArgs = PlanFlagArgs & RunArgs;

/**
 * `sweep` is playbooks/preflight.yml run through the same path as `play`:
 * its plan flags become the play's vars (ece_ports, ece_skip, ...).
 */
export function sweepCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, SweepArgs> {
  return {
    command: 'sweep',
    describe: 'Connect to every host, open temporary listeners, probe the ECE port matrix, report (playbooks/preflight.yml)',
    builder: (y) =>
      runOptions(connectionOptions(planFlagOptions(inventoryOptions(y))))
        .example('$0 sweep', 'Check this machine as an ECE first host')
        .example('$0 sweep -i hosts.ini --limit directors --json run.json', 'Sweep the directors, keep the result')
        .example('$0 sweep -i prod/ -i extra.yml -u ops --limit "directors,!dc2*" --list-hosts', 'Which hosts, without connecting')
        .example('$0 sweep -i hosts.yml --ports full --report run.html', 'Every port of every range, HTML report') as unknown as Argv<SweepArgs>,
    // (yargs types kebab-case options without their camelCase twins; the values are there at run time)
    handler: async (argv) => {
      // Loaded here, not at start-up: --version, --help and plan stay light (no engine, ssh2, ink).
      const [{ planOptionsToVars }, { shippedPlaybook }, { planOptionsFrom }, { runPlaybookCommand }] = await Promise.all([
        import('../../plan/options-from-vars.js'),
        import('../../playbook/shipped.js'),
        import('../common-options.js'),
        import('../run-play.js'),
      ]);
      // Checked here, not in the play: a typo in --skip is a usage error (exit 5) before anything runs.
      const vars = planOptionsToVars(planOptionsFrom(argv));
      await runPlaybookCommand(argv, io, setExit, { playbookFile: shippedPlaybook('preflight'), vars, flatListHosts: true });
    },
  };
}
