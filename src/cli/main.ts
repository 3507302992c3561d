import { EXIT, ParseError, UsageError, EnvironmentError, InterruptedError } from '../errors.js';
import { processIo, type CliIo } from './io.js';
import { printable } from '../report/printable.js';
import { VERSION } from './version.js';
import { sweepCommand } from './commands/sweep.js';
import { playCommand } from './commands/play.js';
import { diffCommand } from './commands/diff.js';
import { planCommand } from './commands/plan.js';
import { inventoryCommand } from './commands/inventory.js';
import { labCommand } from './commands/lab.js';
import { reportCommand } from './commands/report.js';
import { firewallCommand } from './commands/firewall.js';

/**
 * The CLI, exported so tests drive it in-process with fake streams. Commands
 * throw typed errors; this is the one place that turns them into exit codes
 * (0 ok, 2 failed, 3 unreachable, 4 parse, 5 usage, 99 interrupted).
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // `--version` alone is answered before yargs loads (~80 ms of start-up): what yargs would print.
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout.write(VERSION + '\n');
    return EXIT.ok;
  }
  const { default: yargs } = await import('yargs');
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => (exitCode = code);
  const parser = yargs(argv)
    .scriptName('ece-preflight')
    .usage('$0 <command> [options]\n\nMake a fleet of hosts ready for Elastic Cloud Enterprise networking.')
    .command(sweepCommand(io, setExit))
    .command(playCommand(io, setExit))
    .command(diffCommand(io, setExit))
    .command(planCommand(io, setExit))
    .command(inventoryCommand(io, setExit))
    .command(labCommand(io, setExit))
    .command(reportCommand(io, setExit))
    .command(firewallCommand(io, setExit))
    .demandCommand(1, 'Name a command: sweep, play, diff, plan, inventory, firewall, lab or report (see --help).')
    .strict()
    .recommendCommands()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .epilogue(
      'Exit codes: 0 ok, 2 a host failed a check, 3 unreachable hosts, 4 parse error in inventory or playbook, 5 bad options, 99 interrupted.',
    )
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  // yargs renders the whole help text each time a command starts (usage.cacheHelpMessage, in
  // case the handler shows help): ~40 ms of string-width and cliui on every run. No handler of
  // ours shows help (errors print one line and point to --help), so the cache is never read.
  const usage = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
  try {
    // Output of --help/--version goes through our stdout, not the console.
    await parser.parseAsync(argv, {}, (err, _argv, output) => {
      if (output && !err) io.stdout.write(output + '\n');
    });
    return exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof ParseError || err instanceof UsageError || err instanceof EnvironmentError || err instanceof InterruptedError) {
    // Messages quote inventory and host text: shown, never obeyed by the terminal.
    io.stderr.write(`ERROR: ${printable(err.message)}\n`);
    if (err instanceof UsageError) io.stderr.write('Run with --help for usage.\n');
    return err.exitCode;
  }
  const e = err as Error;
  io.stderr.write(`INTERNAL ERROR: ${e?.stack ?? String(err)}\nThis is a bug in ece-preflight: please report it with the command you ran.\n`);
  return EXIT.internal;
}
