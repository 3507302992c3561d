import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { JunitPer } from '../../report/junit.js';
import type { CliIo } from '../io.js';
import type { ReportFormat } from '../write-reports.js';

interface ReportArgs {
  run?: string;
  format?: ReportFormat;
  output?: string;
  junitPer?: JunitPer;
}

export function reportCommand(io: CliIo, _setExit: (code: number) => void): CommandModule<object, ReportArgs> {
  return {
    command: 'report <run>',
    describe: 'Re-render a saved run (from sweep --json) as Markdown, HTML or JUnit',
    builder: (y) =>
      y
        .positional('run', { type: 'string', describe: 'RUN.json written by sweep --json' })
        .option('format', { choices: ['md', 'html', 'junit', 'json'] as const, default: 'md' as const, describe: 'Output format' })
        .option('output', { alias: 'o', type: 'string', describe: 'Write to FILE instead of stdout' })
        .option('junit-per', { choices: ['path', 'rule'] as const, default: 'path' as JunitPer, describe: 'With --format junit: a test case per path, or per rule and destination' })
        .example('$0 report run.json --format html -o run.html', 'An HTML report of a saved run')
        .example('$0 report run.json --format junit --junit-per rule', 'JUnit with one test case per rule and host'),
    handler: async (argv) => {
      // Loaded when the command runs, not at start-up.
      const [{ readRunResult }, { renderReport }] = await Promise.all([import('../../report/json.js'), import('../write-reports.js')]);
      const file = path.resolve(io.cwd, argv.run!);
      if (!existsSync(file)) throw new UsageError(`report: ${argv.run}: no such file`);
      const result = readRunResult(readFileSync(file, 'utf8'), argv.run);
      const text = renderReport(result, argv.format ?? 'md', { junitPer: argv.junitPer });
      if (argv.output) {
        writeFileSync(path.resolve(io.cwd, argv.output), text);
      } else io.stdout.write(text);
    },
  };
}
