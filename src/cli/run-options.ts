import type { Argv } from 'yargs';
import { defaultEngineOptions } from '../engine/options.js';
import type { ConnectionArgs, FleetArgs } from './common-options.js';

/** The flags every command that runs plays shares (sweep, play): Ansible's names where Ansible has them. */
export interface RunArgs extends FleetArgs, ConnectionArgs {
  probeTimeout: number;
  concurrency: number;
  listenerTtl: number;
  json?: string;
  junit?: string;
  junitPer?: 'path' | 'rule';
  report?: string[];
  tui?: boolean;
  failOnExposed?: boolean;
  tags?: string[];
  skipTags?: string[];
  check?: boolean;
  diff?: boolean;
  become?: boolean;
  becomeUser?: string;
  askBecomePass?: boolean;
  stateDir?: string;
  save?: boolean;
  changed?: boolean;
  serial?: number;
}

export function runOptions<T>(y: Argv<T>) {
  return y
    .option('probe-timeout', { type: 'number', default: defaultEngineOptions().probeTimeoutMs, describe: 'Probe timeout in ms: a port silent at half of it gets a second attempt beside the first; silent at its end, it is called filtered' })
    .option('concurrency', { type: 'number', default: defaultEngineOptions().probeConcurrency, describe: 'Probes in flight per source host' })
    .option('listener-ttl', { type: 'number', default: defaultEngineOptions().listenerTtlSec, describe: 'Hard lifetime of remote listeners, seconds' })
    .option('tags', { alias: 't', type: 'string', array: true, describe: 'Only tasks with these tags (comma-separated or repeated), as ansible-playbook' })
    .option('skip-tags', { type: 'string', array: true, describe: 'Skip tasks with these tags' })
    .option('check', { alias: 'C', type: 'boolean', default: false, describe: 'Change nothing: modules that cannot simulate are skipped, saying so' })
    .option('diff', { alias: 'D', type: 'boolean', default: false, describe: 'Show what changing tasks change (with --check: would change)' })
    .option('become', { alias: 'b', type: 'boolean', describe: 'Run tasks with sudo (sudo -n unless a password is given)' })
    .option('become-user', { type: 'string', describe: 'User to become (default root)' })
    .option('ask-become-pass', { alias: 'K', type: 'boolean', default: false, describe: 'Ask for the sudo password (or set ECE_PREFLIGHT_BECOME_PASS); it goes to sudo on stdin, never in argv' })
    .option('json', { type: 'string', describe: 'Write the whole result as JSON to FILE (docs/REPORT-SCHEMA.md)' })
    .option('junit', { type: 'string', describe: 'Write JUnit XML to FILE: one test case per required path' })
    .option('junit-per', { choices: ['path', 'rule'] as const, default: 'path' as const, describe: 'JUnit test cases per path, or per rule and destination (large fleets: a rule fails when any of its paths does)' })
    .option('report', { type: 'string', array: true, describe: 'Write a report: FILE.md or FILE.html (repeatable)' })
    .option('tui', { type: 'boolean', default: true, describe: 'Live terminal UI on a TTY; --no-tui for plain lines' })
    .option('fail-on-exposed', { type: 'boolean', default: false, describe: 'Exit 2 when a local-only port (2375) is reachable from another host' })
    .option('state-dir', { type: 'string', describe: 'Run history folder (default .ece-preflight/ beside the inventory)' })
    .option('save', { type: 'boolean', default: true, describe: 'Keep this run in the run history (--no-save: do not)' })
    .option('serial', { type: 'number', describe: "Hosts per batch, as a play's serial: a batch in which a host fails stops the rest" })
    .option('changed', { type: 'boolean', default: false, describe: 'Probe only paths touching a host whose roles, address or firewall changed since the last saved run; carry the rest over' });
}
