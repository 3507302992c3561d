import { UsageError } from '../errors.js';
import type { Fleet } from '../model/fleet.js';
import { loadExtraVars } from './extra-vars.js';
import { toFleet, type HostDefaults } from './fleet.js';
import { limitHosts } from './limit.js';
import { loadEmbeddedDefault, readInventorySources } from './load.js';
import type { InventoryModel } from './model.js';

/** Everything a command says about its inventory, as the strings it was given. */
export interface InventoryRequest {
  /** -i values in order (or ANSIBLE_INVENTORY / ansible.cfg's); none: the embedded localhost. */
  sources?: readonly string[];
  /** -e values in order. */
  extraVars?: readonly string[];
  /** --limit */
  limit?: string;
  /** -u, --private-key, become from ansible.cfg: below the inventory's own vars. */
  hostDefaults?: HostDefaults;
  cwd: string;
  home?: string;
}

export interface SelectedInventory {
  /** The whole inventory, -e included. */
  model: InventoryModel;
  /**
   * The hosts to work on (--limit applied), resolved. A function: showing the
   * inventory (--list, --graph, --host) must work even where a host's vars
   * could not be used for a sweep (a vaulted ansible_host).
   */
  resolveFleet(): Fleet;
  /**
   * Every inventory host, --limit ignored: what firewall rules must allow
   * from (a limited apply changes fewer hosts, not fewer sources).
   */
  resolveAll(): Fleet;
  /** Host names chosen by --limit in inventory order; undefined without --limit. */
  limited?: string[];
  /** How to name the inventory in output. */
  source: string;
  /** Files read but left aside (vault-encrypted vars files), one line each. */
  notes: string[];
}

/** Sources -> model, -e on top, --limit -> the fleet to work on. */
export function selectInventory(req: InventoryRequest): SelectedInventory {
  const model = req.sources?.length ? readInventorySources(req.sources, { cwd: req.cwd, ...(req.home ? { home: req.home } : {}) }) : loadEmbeddedDefault().model;
  const extra = loadExtraVars(req.extraVars, { cwd: req.cwd });
  if (Object.keys(extra.vars).length) model.extraVars = extra;
  const source = model.source;
  const limited = req.limit !== undefined ? limitHosts(model, req.limit, { cwd: req.cwd }) : undefined;
  if (limited?.length === 0) throw new UsageError(`no hosts to work on (--limit '${req.limit}')`);
  const resolveFleet = (): Fleet => toFleet(model, source, req.hostDefaults, limited);
  const resolveAll = (): Fleet => (limited ? toFleet(model, source, req.hostDefaults) : resolveFleet());
  return { model, resolveFleet, resolveAll, ...(limited ? { limited } : {}), source, notes: [...model.notes] };
}
