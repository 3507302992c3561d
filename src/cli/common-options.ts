import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { PlanOptions } from '../plan/types.js';
import { ECE_CATALOG } from '../catalog/ece-catalog.js';
import { knownSkipIds, optionalFlags, SKIP_CATEGORIES } from '../plan/options.js';

/** What inventoryOptions() gives a handler. */
export interface FleetArgs {
  inventory?: string;
  limit?: string;
  extraVars?: string[];
}

/** What planFlagOptions() gives a handler. */
export interface PlanFlagArgs extends FleetArgs {
  ports?: string;
  sample?: number;
  pairs?: number;
  enable?: string[];
  skip?: string[];
  firstHost?: boolean;
}

/** -i, --limit, -e: how every command that reads an inventory takes it. */
export function inventoryOptions<T>(y: Argv<T>) {
  return y
    .option('inventory', {
      alias: 'i',
      type: 'string',
      describe: 'Ansible inventory (INI or YAML; group_vars/ and host_vars/ beside it are read). Default: localhost as an ECE first host',
    })
    .option('limit', { alias: 'l', type: 'string', describe: "Host pattern, as Ansible's: all, group, glob*, a:b, a:&b, a:!b, ~regex" })
    .option('extra-vars', {
      alias: 'e',
      type: 'string',
      array: true,
      describe: 'KEY=VALUE set on every host, above all inventory vars (e.g. -e ece_registry=198.18.0.11:443)',
    });
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
      describe: 'Checks to skip: outbound, docker, install-check, external, or a rule id (see plan --json)',
    })
    .option('first-host', { type: 'boolean', default: true, describe: 'Treat the first host as the ECE first host (all roles); --no-first-host for a running installation' });
}

/** Plan options from flags; a --skip or --enable the catalog does not know is a typo, refused. */
export function planOptionsFrom(argv: PlanFlagArgs): PlanOptions {
  const skip = splitList(argv.skip);
  const enable = splitList(argv.enable);
  const knownSkip = new Set(knownSkipIds(ECE_CATALOG));
  for (const id of skip) {
    if (!knownSkip.has(id)) throw new UsageError(`--skip ${id}: not a check; use ${SKIP_CATEGORIES.join(', ')} or a rule id from \`plan --json\` (.rules[].id)`);
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
  };
}

/** `--skip a,b --skip c` -> [a, b, c] */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** -e KEY=VALUE pairs; a value that parses as JSON (numbers, lists) is taken as such, like Ansible. */
export function parseExtraVars(values: string[] | undefined): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const item of values ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--extra-vars: expected KEY=VALUE, got '${item}'`);
    const key = item.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`--extra-vars: '${key}' is not a valid variable name`);
    const raw = item.slice(eq + 1);
    let value: unknown = raw;
    if (/^[[{\d"]|^(true|false|null)$/.test(raw)) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    vars[key] = value;
  }
  return vars;
}
