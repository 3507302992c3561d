import type { Argv, CommandModule } from 'yargs';
import { ECE_CATALOG } from '../../catalog/ece-catalog.js';
import { planSweep } from '../../plan/plan-sweep.js';
import { runSweep } from '../../engine/sweep.js';
import { defaultEngineOptions, type EngineOptions } from '../../engine/options.js';
import type { EngineEvent } from '../../engine/events.js';
import type { RunResult } from '../../engine/result.js';
import { UsageError } from '../../errors.js';
import { connectionOptions, inventoryOptions, planFlagOptions, planOptionsFrom, type ConnectionArgs, type PlanFlagArgs } from '../common-options.js';
import { connectionSettingsFrom, formatListHosts } from '../connection-settings.js';
import { useColor, type CliIo } from '../io.js';
import { ansibleConfigOf, loadFleetFromArgs } from '../load-fleet.js';
import { connectionFactory, sshOptions } from '../connection-factory.js';
import { pickRenderer } from '../pick-renderer.js';
import { askKeyPassphrase } from '../passphrase-prompt.js';
import { formatOfFile, writeReports } from '../write-reports.js';
import { VERSION } from '../version.js';

interface SweepArgs extends PlanFlagArgs, ConnectionArgs {
  probeTimeout: number;
  concurrency: number;
  listenerTtl: number;
  json?: string;
  junit?: string;
  report?: string[];
  tui?: boolean;
  failOnExposed?: boolean;
}

export function sweepCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, SweepArgs> {
  return {
    command: 'sweep',
    describe: 'Connect to every host, open temporary listeners, probe the ECE port matrix, report',
    builder: (y) =>
      connectionOptions(planFlagOptions(inventoryOptions(y)))
        .option('probe-timeout', { type: 'number', default: defaultEngineOptions().probeTimeoutMs, describe: 'Probe timeout in ms: a silent port is tried twice, half the timeout each, then called filtered' })
        .option('concurrency', { type: 'number', default: defaultEngineOptions().probeConcurrency, describe: 'Probes in flight per source host' })
        .option('listener-ttl', { type: 'number', default: defaultEngineOptions().listenerTtlSec, describe: 'Hard lifetime of remote listeners, seconds' })
        .option('json', { type: 'string', describe: 'Write the whole result as JSON to FILE (docs/REPORT-SCHEMA.md)' })
        .option('junit', { type: 'string', describe: 'Write JUnit XML to FILE: one test case per required path' })
        .option('report', { type: 'string', array: true, describe: 'Write a report: FILE.md or FILE.html (repeatable)' })
        .option('tui', { type: 'boolean', default: true, describe: 'Live terminal UI on a TTY; --no-tui for plain lines' })
        .option('fail-on-exposed', { type: 'boolean', default: false, describe: 'Exit 2 when a local-only port (2375) is reachable from another host' })
        .example('$0 sweep', 'Check this machine as an ECE first host')
        .example('$0 sweep -i hosts.ini --limit directors --json run.json', 'Sweep the directors, keep the result')
        .example('$0 sweep -i prod/ -i extra.yml -u ops --limit "directors,!dc2*" --list-hosts', 'Which hosts, without connecting')
        .example('$0 sweep -i hosts.yml --ports full --report run.html', 'Every port of every range, HTML report') as unknown as Argv<SweepArgs>,
    // (yargs types kebab-case options without their camelCase twins; the values are there at run time)
    handler: async (argv) => {
      for (const [name, v, min] of [['probe-timeout', argv.probeTimeout, 10], ['concurrency', argv.concurrency, 1], ['listener-ttl', argv.listenerTtl, 10]] as const) {
        if (!Number.isFinite(v) || v < min) throw new UsageError(`--${name} must be a number of at least ${min}, got ${v}`);
      }
      const config = ansibleConfigOf(io);
      const settings = connectionSettingsFrom(argv, config, io);
      if (argv.timeout !== undefined && argv.timeout >= 300) {
        // Scripts written before the rename passed the probe timeout in ms here.
        io.stderr.write(`[WARNING]: --timeout ${argv.timeout} is the SSH connect timeout in seconds (as Ansible's -T); the probe timeout in ms is --probe-timeout\n`);
      }
      // A report that cannot be written is known now, not after a long sweep.
      for (const f of argv.report ?? []) formatOfFile(f);
      const { fleet, source } = loadFleetFromArgs(argv, io, config, settings.hostDefaults);
      if (settings.listHosts) {
        io.stdout.write(formatListHosts(fleet.hosts.map((h) => h.name)));
        return;
      }
      const plan = planSweep(fleet, ECE_CATALOG, planOptionsFrom(argv));
      const options: EngineOptions = {
        ...defaultEngineOptions(),
        forks: settings.forks,
        probeTimeoutMs: argv.probeTimeout,
        probeConcurrency: argv.concurrency,
        listenerTtlSec: argv.listenerTtl,
        failOnExposed: argv.failOnExposed ?? false,
      };
      const ssh = sshOptions(settings, io);
      const passphrase = await askKeyPassphrase(fleet, ssh, io);
      if (passphrase !== undefined) ssh.passphrase = passphrase;
      const ctl = new AbortController();
      // -vvv and up write SSH lines to stderr, which would tear the live UI: plain lines then.
      const renderer = pickRenderer(io, { tui: argv.tui !== false && settings.verbosity < 3, verbose: settings.verbosity >= 1, color: useColor(io), onQuit: () => ctl.abort() });
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
          connect: connectionFactory(ssh, { verbosity: settings.verbosity, io }),
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
