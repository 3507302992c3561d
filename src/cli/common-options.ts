import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { PlanOptions } from '../plan/types.js';
import type { HostKeyChecking } from '../transport/ssh-options.js';
import { ECE_CATALOG } from '../catalog/ece-catalog.js';
import { knownSkipIds, optionalFlags, SKIP_CATEGORIES } from '../plan/options.js';

/** What inventoryOptions() gives a handler: the strings as typed, for src/inventory/ to read. */
export interface FleetArgs {
  inventory?: string[];
  limit?: string;
  extraVars?: string[];
}

/** A repeatable string option: yargs gives one value or an array; never greedy (`-i a -i b`, not `-i a b`). */
const repeated = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

/** -i, --limit, -e: how every command that reads an inventory takes it, as Ansible does. */
export function inventoryOptions<T>(y: Argv<T>) {
  return y
    .option('inventory', {
      alias: 'i',
      type: 'string',
      coerce: repeated,
      describe:
        'Inventory: a file (INI or YAML), a folder of them, or a host list `h1,h2,`; repeatable, merged in order. group_vars/ and host_vars/ beside it are read. Default: ANSIBLE_INVENTORY, ansible.cfg [defaults] inventory, else localhost as an ECE first host',
    })
    .option('limit', { alias: 'l', type: 'string', describe: "Host pattern, as Ansible's: all, group, glob*, a:b or a,b, a:&b, a:!b, ~regex, @file" })
    .option('extra-vars', {
      alias: 'e',
      type: 'string',
      coerce: repeated,
      describe: "Variables above all inventory vars, as Ansible's -e: 'k=v k2=\'a b\'' (values stay strings), a YAML/JSON object, or @FILE; repeatable, later wins",
    });
}

/** What connectionOptions() gives a handler. */
export interface ConnectionArgs {
  user?: string;
  privateKey?: string;
  timeout?: number;
  forks?: number;
  hostKeyChecking?: HostKeyChecking;
  knownHosts?: string;
  verbose?: number;
  listHosts?: boolean;
}

/**
 * How every command that connects takes its connection settings, with
 * Ansible's names: -u, --private-key, -T (seconds), -f, -v counted (-vvv the
 * resolved SSH target of each host, -vvvv SSH protocol debug), --list-hosts.
 * Unset flags fall back to ANSIBLE_* variables and ansible.cfg
 * (src/cli/connection-settings.ts).
 */
export function connectionOptions<T>(y: Argv<T>) {
  return y
    .option('user', { alias: 'u', type: 'string', describe: 'SSH user for hosts without ansible_user (default: ANSIBLE_REMOTE_USER, ansible.cfg remote_user, ~/.ssh/config, you)' })
    .option('private-key', { alias: 'key-file', type: 'string', describe: 'SSH key for hosts without ansible_ssh_private_key_file (default: ANSIBLE_PRIVATE_KEY_FILE, ansible.cfg private_key_file)' })
    .option('timeout', { alias: ['T', 'connect-timeout'], type: 'number', describe: 'SSH connect timeout in seconds, as Ansible\'s -T (default: ANSIBLE_TIMEOUT, ansible.cfg timeout, else 10)' })
    .option('forks', { alias: 'f', type: 'number', describe: 'Hosts worked on in parallel (default: ANSIBLE_FORKS, ansible.cfg forks, else 50)' })
    .option('host-key-checking', {
      choices: ['strict', 'accept-new', 'off'] as const,
      describe: 'SSH host keys against known_hosts: refuse unknown (strict), record unknown (accept-new), or skip (off). Default: strict, or off where ANSIBLE_HOST_KEY_CHECKING / ansible.cfg host_key_checking is false',
    })
    .option('known-hosts', { type: 'string', describe: 'known_hosts file (default ~/.ssh/known_hosts, or UserKnownHostsFile from the inventory)' })
    .option('verbose', { alias: 'v', type: 'count', describe: '-v one line per probe; -vvv each SSH connection\'s target, user and key; -vvvv SSH protocol debug (stderr)' })
    .option('list-hosts', { type: 'boolean', describe: 'Print the hosts that would be worked on (after --limit) and exit, without connecting' });
}

/** What planFlagOptions() gives a handler. */
export interface PlanFlagArgs extends FleetArgs {
  ports?: string;
  sample?: number;
  pairs?: number;
  enable?: string[];
  skip?: string[];
  firstHost?: boolean;
  bandwidth?: boolean;
  preconditions?: boolean;
}

/** What the planner reads from flags. */
export function planFlagOptions<T>(y: Argv<T>) {
  return y
    .option('ports', { choices: ['sample', 'full'] as const, default: 'sample' as const, describe: 'Probe ranges sampled (first, last, spread) or in full' })
    .option('sample', { type: 'number', default: 3, describe: 'Interior ports sampled per range, besides first and last' })
    .option('pairs', { type: 'number', describe: 'Pair sampling for large fleets: each destination port probed from K hosts of each source role' })
    .option('enable', { type: 'string', array: true, default: [] as string[], describe: 'Optional checks to add: ccs (9400/9443)' })
    .option('skip', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Checks to skip: outbound, docker, install-check, external, container-only, ipv6, bandwidth, a rule id or a host requirement id (see plan --json)',
    })
    .option('bandwidth', {
      type: 'boolean',
      default: false,
      describe: 'Measure throughput between zones (ece_zone): one pair per pair of zones, a bounded transfer between host agents (2 s or 1 GiB; ece_bandwidth_seconds, ece_bandwidth_mb), under 10 Gbit/s warns',
    })
    .option('preconditions', {
      type: 'boolean',
      default: false,
      describe: "Also check what the ECE installer checks on each host: Docker and its socket, an install user with UID/GID >= 1000, the storage path (ece_storage_path) writable, the local port range clear of ECE's ports, firewalld not running",
    })
    .option('first-host', { type: 'boolean', default: true, describe: 'Treat the first host as the ECE first host (all roles); --no-first-host for a running installation' });
}

/** Plan options from flags; a --skip or --enable the catalog does not know is a typo, refused. */
export function planOptionsFrom(argv: PlanFlagArgs): PlanOptions {
  const skip = splitList(argv.skip);
  const enable = splitList(argv.enable);
  const knownSkip = new Set(knownSkipIds(ECE_CATALOG));
  for (const id of skip) {
    if (!knownSkip.has(id)) throw new UsageError(`--skip ${id}: not a check; use ${SKIP_CATEGORIES.join(', ')}, a rule id or a requirement id from \`plan --json\` (.rules[].id, .requirements[].requirement)`);
  }
  const flags = optionalFlags(ECE_CATALOG);
  for (const f of enable) {
    if (!flags.includes(f)) throw new UsageError(`--enable ${f}: not an optional check; known: ${flags.join(', ')}`);
  }
  if (argv.sample !== undefined && (!Number.isInteger(argv.sample) || argv.sample < 0 || argv.sample > 1000)) {
    throw new UsageError(`--sample must be a whole number from 0 to 1000, got ${argv.sample}`);
  }
  if (argv.pairs !== undefined && (!Number.isInteger(argv.pairs) || argv.pairs < 1)) {
    throw new UsageError(`--pairs must be a whole number of at least 1, got ${argv.pairs}`);
  }
  return {
    ports: argv.ports === 'full' ? 'full' : 'sample',
    sampleInterior: argv.sample ?? 3,
    pairsPerRole: argv.pairs,
    enable,
    skip,
    firstHost: argv.firstHost ?? true,
    ...(argv.bandwidth ? { bandwidth: true } : {}),
    ...(argv.preconditions ? { preconditions: true } : {}),
  };
}

/** `--skip a,b --skip c` -> [a, b, c] */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}
