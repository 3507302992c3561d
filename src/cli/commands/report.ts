import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { JunitPer } from '../../report/junit.js';
import type { CliIo } from '../io.js';
import type { ReportFormat } from '../write-reports.js';

interface ReportArgs {
  run?: string;
  since?: string;
  stateDir?: string;
  format?: ReportFormat;
  output?: string;
  junitPer?: JunitPer;
}

export function reportCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, ReportArgs> {
  return {
    command: 'report <run>',
    describe: 'Re-render a saved run (sweep --json, or the run history) as Markdown, HTML or JUnit',
    builder: (y) =>
      y
        .positional('run', { type: 'string', describe: 'RUN.json written by --json, or last, last~1, ... from the run history' })
        .option('since', { type: 'string', describe: 'An earlier run (file, or last~1, ...): md and html then say what changed since it' })
        .option('state-dir', { type: 'string', describe: 'Run history folder for last, last~N (default .ece-preflight/ here)' })
        .option('format', { choices: ['md', 'html', 'junit', 'json'] as const, default: 'md' as const, describe: 'Output format' })
        .option('output', { alias: 'o', type: 'string', describe: 'Write to FILE instead of stdout' })
        .option('junit-per', { choices: ['path', 'rule'] as const, default: 'path' as JunitPer, describe: 'With --format junit: a test case per path, or per rule and destination' })
        .example('$0 report run.json --format html -o run.html', 'An HTML report of a saved run')
        .example('$0 report last --since last~1 -o window.md', 'The last run, with what changed since the one before')
        .example('$0 report run.json --format junit --junit-per rule', 'JUnit with one test case per rule and host'),
    handler: async (argv) => {
      // Loaded when the command runs, not at start-up.
      const [{ isRunRef, loadRun }, { renderReport }] = await Promise.all([import('../../state/run-history.js'), import('../write-reports.js')]);
      const stateDir = path.resolve(io.cwd, argv.stateDir ?? '.ece-preflight');
      const read = (ref: string) => {
        if (!isRunRef(ref) && !existsSync(path.resolve(io.cwd, ref))) throw new UsageError(`report: ${ref}: no such file`);
        return loadRun(stateDir, ref, io.cwd).result;
      };
      const result = read(argv.run!);
      const format = argv.format ?? 'md';
      const previous = argv.since !== undefined ? read(argv.since) : undefined;
      if (previous && format !== 'md' && format !== 'html') io.stderr.write(`[WARNING]: --since is for md and html reports; the ${format} report has no "Changes since" section\n`);
      const text = renderReport(result, format, { junitPer: argv.junitPer, ...(previous ? { previous } : {}) });
      if (argv.output) {
        writeFileSync(path.resolve(io.cwd, argv.output), text);
      } else io.stdout.write(text);
    },
  };
}
