import { ParseError } from '../errors.js';
import { isRole } from '../model/roles.js';
import { specFrom, specHas, specTo } from './ports.js';
import type { Catalog, PortSpec } from './types.js';

/** Seed tables a rule may cite ('design' = a DESIGN.md reading, not the seed). */
export const SEED_TABLES = ['inbound-1', 'inbound-2', 'outbound', 'intro', 'zookeeper-note', 'multi-dc', 'design'] as const;

/**
 * Checks a catalog at load time and returns it. A hand-written check rather
 * than a schema library: the shape is small and the invariants that matter
 * (unique ids, sane ports, every rule traceable, closed ports never also
 * required open) are cross-field ones a schema would not express anyway.
 */
export function validateCatalog(catalog: Catalog): Catalog {
  const problems: string[] = [];
  const ids = new Set<string>();
  const checkId = (id: string): void => {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) problems.push(`bad id '${id}'`);
    if (ids.has(id)) problems.push(`duplicate id '${id}'`);
    ids.add(id);
  };
  const checkSpec = (id: string, spec: PortSpec): void => {
    const from = specFrom(spec);
    const to = specTo(spec);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 65535 || from > to) {
      problems.push(`${id}: bad port ${JSON.stringify(spec)}`);
    }
  };
  const checkSeed = (id: string, seed: { table: string; text: string }[]): void => {
    if (seed.length === 0) problems.push(`${id}: no seed reference`);
    for (const s of seed) {
      if (!(SEED_TABLES as readonly string[]).includes(s.table)) problems.push(`${id}: unknown seed table '${s.table}'`);
      if (s.text.trim() === '') problems.push(`${id}: empty seed text`);
    }
  };

  for (const rule of catalog.inbound) {
    checkId(rule.id);
    checkSeed(rule.id, rule.seed);
    if (rule.ports.length === 0) problems.push(`${rule.id}: no ports`);
    for (const spec of rule.ports) checkSpec(rule.id, spec);
    if (rule.sources.length === 0) problems.push(`${rule.id}: no sources`);
    if (rule.dest !== 'all') for (const r of rule.dest) if (!isRole(r)) problems.push(`${rule.id}: unknown role '${r}'`);
    for (const s of rule.sources) {
      if (s.kind === 'roles') for (const r of s.roles) if (!isRole(r)) problems.push(`${rule.id}: unknown source role '${r}'`);
      if (s.kind === 'local' && rule.expect !== 'closed') problems.push(`${rule.id}: a local-only port must expect closed`);
    }
  }
  // A port that must be closed from other hosts cannot also be required open:
  // the planner relies on this to give every (from, to, port) one expectation.
  for (const closed of catalog.inbound.filter((r) => r.expect === 'closed')) {
    for (const open of catalog.inbound.filter((r) => r.expect === 'open')) {
      for (const c of closed.ports) {
        for (const o of open.ports) {
          if (specHas(o, specFrom(c)) || specHas(c, specFrom(o))) problems.push(`${closed.id} and ${open.id} share a port`);
        }
      }
    }
  }
  for (const rule of catalog.outbound) {
    checkId(rule.id);
    checkSeed(rule.id, rule.seed);
    for (const p of rule.ports) checkSpec(rule.id, p);
    if (rule.ports.length === 0 && !rule.endpointPort) problems.push(`${rule.id}: no ports`);
  }
  for (const req of catalog.requirements) {
    checkId(req.id);
    checkSeed(req.id, req.seed);
  }
  for (const spec of catalog.containerOnlyPorts) checkSpec('containerOnlyPorts', spec);
  if (catalog.containerOnly) {
    checkId(catalog.containerOnly.id);
    checkSeed(catalog.containerOnly.id, catalog.containerOnly.seed);
  }
  // A container-only port must never be required open (it is never a rule to open).
  for (const open of catalog.inbound.filter((r) => r.expect === 'open')) {
    for (const c of catalog.containerOnlyPorts) {
      for (const o of open.ports) if (specHas(o, specFrom(c)) || specHas(c, specFrom(o))) problems.push(`${open.id} opens container-only port ${JSON.stringify(c)}`);
    }
  }

  if (problems.length > 0) throw new ParseError(`catalog ${catalog.version}: ${problems.join('; ')}`);
  return catalog;
}
