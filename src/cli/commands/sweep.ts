import type { Argv, CommandModule } from 'yargs';
import { ECE_CATALOG } from '../../catalog/ece-catalog.js';
import { planSweep } from '../../plan/plan-sweep.js';
import { runSweep } from '../../engine/sweep.js';
import { defaultEngineOptions, type EngineOptions } from '../../engine/options.js';
import type { EngineEvent } from '../../engine/events.js';
import type { RunResult } from '../../engine/result.js';
import { UsageError } from '../../errors.js';
import { inventoryOptions, planFlagOptions, planOptionsFrom, type PlanFlagArgs } from '../common-options.js';
import { useColor, type CliIo } from '../io.js';
import { loadFleetFromArgs } from '../load-fleet.js';
import { connectionFactory, sshOptions, type HostKeyChecking } from '../connection-factory.js';
import { pickRenderer } from '../pick-renderer.js';
import { askKeyPassphrase } from '../passphrase-prompt.js';
import { formatOfFile, writeReports } from '../write-reports.js';
import { VERSION } from '../version.js';

interface SweepArgs extends PlanFlagArgs {
  forks: number;
  timeout: number;
  concurrency: number;
  listenerTtl: number;
  connectTimeout: number;
  hostKeyChecking: HostKeyChecking;
  knownHosts?: string;
  json?: string;
  junit?: string;
  report?: string[];
  tui?: boolean;
  verbose?: boolean;
  failOnExposed?: boolean;
}

export function sweepCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, SweepArgs> {
  return {
    command: 'sweep',
    describe: 'Connect to every host, open temporary listeners, probe the ECE port matrix, report',
    builder: (y) =>
      planFlagOptions(inventoryOptions(y))
        .option('forks', { alias: 'f', type: 'number', default: defaultEngineOptions().forks, describe: 'Hosts worked on in parallel' })
        .option('timeout', { type: 'number', default: defaultEngineOptions().probeTimeoutMs, describe: 'Probe timeout in ms: a silent port is tried twice, half the timeout each, then called filtered' })
        .option('concurrency', { type: 'number', default: defaultEngineOptions().probeConcurrency, describe: 'Probes in flight per source host' })
        .option('listener-ttl', { type: 'number', default: defaultEngineOptions().listenerTtlSec, describe: 'Hard lifetime of remote listeners, seconds' })
        .option('connect-timeout', { type: 'number', default: 10, describe: 'SSH connect timeout, seconds' })
        .option('host-key-checking', {
          choices: ['strict', 'accept-new', 'off'] as const,
          default: 'strict' as const,
          describe: 'SSH host keys against known_hosts: refuse unknown (strict), record unknown (accept-new), or skip (off)',
        })
        .option('known-hosts', { type: 'string', describe: 'known_hosts file (default ~/.ssh/known_hosts, or UserKnownHostsFile from the inventory)' })
        .option('json', { type: 'string', describe: 'Write the whole result as JSON to FILE (docs/REPORT-SCHEMA.md)' })
        .option('junit', { type: 'string', describe: 'Write JUnit XML to FILE: one test case per required path' })
        .option('report', { type: 'string', array: true, describe: 'Write a report: FILE.md or FILE.html (repeatable)' })
        .option('tui', { type: 'boolean', default: true, describe: 'Live terminal UI on a TTY; --no-tui for plain lines' })
        .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Plain output: one line per probe, not only failures' })
        .option('fail-on-exposed', { type: 'boolean', default: false, describe: 'Exit 2 when a local-only port (2375) is reachable from another host' })
        .example('$0 sweep', 'Check this machine as an ECE first host')
        .example('$0 sweep -i hosts.ini --limit directors --json run.json', 'Sweep the directors, keep the result')
        .example('$0 sweep -i hosts.yml --ports full --report run.html', 'Every port of every range, HTML report') as unknown as Argv<SweepArgs>,
    // (yargs types kebab-case options without their camelCase twins; the values are there at run time)
    handler: async (argv) => {
      for (const [name, v, min] of [['forks', argv.forks, 1], ['timeout', argv.timeout, 10], ['concurrency', argv.concurrency, 1], ['listener-ttl', argv.listenerTtl, 10], ['connect-timeout', argv.connectTimeout, 1]] as const) {
        if (!Number.isFinite(v) || v < min) throw new UsageError(`--${name} must be a number of at least ${min}, got ${v}`);
      }
      // A report that cannot be written is known now, not after a long sweep.
      for (const f of argv.report ?? []) formatOfFile(f);
      const { fleet, source } = loadFleetFromArgs(argv, io);
      const plan = planSweep(fleet, ECE_CATALOG, planOptionsFrom(argv));
      const options: EngineOptions = {
        ...defaultEngineOptions(),
        forks: argv.forks,
        probeTimeoutMs: argv.timeout,
        probeConcurrency: argv.concurrency,
        listenerTtlSec: argv.listenerTtl,
        failOnExposed: argv.failOnExposed ?? false,
      };
      const ssh = sshOptions(argv, io);
      const passphrase = await askKeyPassphrase(fleet, ssh, io);
      if (passphrase !== undefined) ssh.passphrase = passphrase;
      const ctl = new AbortController();
      const renderer = pickRenderer(io, { tui: argv.tui !== false, verbose: argv.verbose ?? false, color: useColor(io), onQuit: () => ctl.abort() });
      // First Ctrl-C: stop and clean up remote listeners. Second: leave now.
      let interrupts = 0;
      const onSignal = () => {
        interrupts++;
        if (interrupts === 1) {
          io.stderr.write('\nInterrupted: stopping probes and removing remote listeners (Ctrl-C again to quit now)\n');
          ctl.abort();
        } else {
          process.exit(99);
        }
      };
      io.signals?.on('SIGINT', onSignal);
      io.signals?.on('SIGTERM', onSignal);
      let result: RunResult;
      try {
        result = await runSweep({
          plan,
          catalog: ECE_CATALOG,
          inventory: source,
          toolVersion: VERSION,
          connect: connectionFactory(ssh),
          options,
          emit: (e: EngineEvent) => renderer.handle(e),
          signal: ctl.signal,
        });
      } finally {
        io.signals?.off('SIGINT', onSignal);
        io.signals?.off('SIGTERM', onSignal);
        await renderer.done();
      }
      writeReports(result, { json: argv.json, junit: argv.junit, report: argv.report }, io);
      setExit(result.exitCode);
    },
  };
}
