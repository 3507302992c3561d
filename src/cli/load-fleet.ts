import path from 'node:path';
import { loadEmbeddedDefault, loadInventory, type LoadedInventory } from '../inventory/load.js';
import { toFleet } from '../inventory/fleet.js';
import { selectHosts } from '../inventory/patterns.js';
import type { InventoryModel } from '../inventory/model.js';
import type { Fleet } from '../model/fleet.js';
import { UsageError } from '../errors.js';
import { parseExtraVars, type FleetArgs } from './common-options.js';
import type { CliIo } from './io.js';

/** -i (or the embedded localhost), -e, --limit -> the fleet to work on. */
export function loadFleetFromArgs(argv: FleetArgs, io: CliIo): LoadedInventory & { source: string } {
  const loaded = argv.inventory ? loadInventory(path.resolve(io.cwd, argv.inventory)) : loadEmbeddedDefault();
  const source = argv.inventory ?? loaded.fleet.source;
  const extra = parseExtraVars(argv.extraVars);
  let fleet: Fleet = Object.keys(extra).length ? toFleet(withExtraVars(loaded.model, extra), source) : { ...loaded.fleet, source };
  if (argv.limit !== undefined) {
    const keep = new Set(selectHosts(loaded.model, argv.limit));
    fleet = { ...fleet, hosts: fleet.hosts.filter((h) => keep.has(h.name)) };
  }
  if (fleet.hosts.length === 0) throw new UsageError(`no hosts to work on${argv.limit ? ` (--limit '${argv.limit}')` : ''}`);
  return { model: loaded.model, fleet, source };
}

/** Extra vars win over everything in the inventory, as Ansible's -e does. */
function withExtraVars(model: InventoryModel, extra: Record<string, unknown>): InventoryModel {
  const hostVarsFiles = new Map(model.hostVarsFiles);
  const origins = Object.fromEntries(Object.keys(extra).map((k) => [k, { file: '--extra-vars' }]));
  for (const name of model.hosts.keys()) {
    const layer = hostVarsFiles.get(name);
    hostVarsFiles.set(name, {
      vars: { ...(layer?.vars ?? {}), ...extra },
      varOrigins: { ...(layer?.varOrigins ?? {}), ...origins },
    });
  }
  return { ...model, hostVarsFiles };
}
