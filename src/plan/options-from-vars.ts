import type { Catalog } from '../catalog/types.js';
import { defaultPlanOptions, knownSkipIds, optionalFlags, SKIP_CATEGORIES } from './options.js';
import type { PlanOptions } from './types.js';

/**
 * Plan options from a play's variables (sweep's flags arrive as these, -e
 * can set them, playbooks/preflight.yml gives the defaults):
 * ece_ports (sample|full), ece_sample, ece_pairs, ece_enable, ece_skip,
 * ece_first_host, ece_bandwidth. Pure; a bad value throws with the variable's name.
 */
export function planOptionsFromVars(vars: Record<string, unknown>, catalog: Catalog): PlanOptions {
  const base = defaultPlanOptions();
  const list = (name: string): string[] => {
    const v = vars[name];
    if (v === undefined || v === null || v === '') return [];
    const items = Array.isArray(v) ? v : String(v).split(',');
    return items.map((x) => String(x).trim()).filter(Boolean);
  };
  const int = (name: string, min: number): number | undefined => {
    const v = vars[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  const ports = vars.ece_ports ?? base.ports;
  if (ports !== 'sample' && ports !== 'full') throw new Error(`ece_ports must be sample or full, got ${JSON.stringify(ports)}`);
  const skip = list('ece_skip');
  const known = new Set(knownSkipIds(catalog));
  for (const id of skip) {
    if (!known.has(id)) throw new Error(`ece_skip: ${id} is not a check; use ${SKIP_CATEGORIES.join(', ')} or a rule id from \`plan --json\``);
  }
  const enable = list('ece_enable');
  const flags = optionalFlags(catalog);
  for (const f of enable) if (!flags.includes(f)) throw new Error(`ece_enable: ${f} is not an optional check; known: ${flags.join(', ')}`);
  const firstHost = vars.ece_first_host;
  const bandwidth = vars.ece_bandwidth;
  const preconditions = vars.ece_preconditions;
  const yes = (v: unknown) => v === true || v === 'true' || v === 'yes' || v === 1;
  return {
    ports,
    sampleInterior: int('ece_sample', 0) ?? base.sampleInterior,
    pairsPerRole: int('ece_pairs', 1),
    enable,
    skip,
    firstHost: firstHost === undefined ? base.firstHost : !(firstHost === false || firstHost === 'false' || firstHost === 'no' || firstHost === 0),
    ...(yes(bandwidth) ? { bandwidth: true } : {}),
    ...(yes(preconditions) ? { preconditions: true } : {}),
  };
}

/** The same options as play vars: what `sweep` passes so its flags reach the play. */
export function planOptionsToVars(o: PlanOptions): Record<string, unknown> {
  return {
    ece_ports: o.ports,
    ece_sample: o.sampleInterior,
    ...(o.pairsPerRole !== undefined ? { ece_pairs: o.pairsPerRole } : {}),
    ece_enable: o.enable,
    ece_skip: o.skip,
    ece_first_host: o.firstHost,
    ...(o.bandwidth ? { ece_bandwidth: true } : {}),
    ...(o.preconditions ? { ece_preconditions: true } : {}),
  };
}
