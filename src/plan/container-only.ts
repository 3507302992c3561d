import { expandSpec, mergeSpecs, specFrom, specTo } from '../catalog/ports.js';
import type { Catalog, InboundRule, PortSpec } from '../catalog/types.js';

/**
 * The catalog's container-only ports as a must-be-closed rule the planner
 * probes like 2375 (from other hosts, ranges sampled), but never listens for:
 * an exposure there is something else answering. Ports another catalog rule
 * already checks (2375, docker-2375) stay that rule's, so each (from, to,
 * port) keeps one expectation. Not part of `plan.rules`: the firewall reads
 * `containerOnlyPorts` itself. Undefined when the catalog has none.
 */
export function containerOnlyRule(catalog: Catalog): InboundRule | undefined {
  const meta = catalog.containerOnly;
  if (!meta || catalog.containerOnlyPorts.length === 0) return undefined;
  const taken = new Set(catalog.inbound.flatMap((r) => r.ports.flatMap(expandSpec)));
  const ports: PortSpec[] = [];
  for (const spec of mergeSpecs(catalog.containerOnlyPorts)) {
    // Cut the spec around ports another rule checks.
    let from: number | undefined;
    for (let p = specFrom(spec); p <= specTo(spec) + 1; p++) {
      const free = p <= specTo(spec) && !taken.has(p);
      if (free && from === undefined) from = p;
      if (!free && from !== undefined) {
        ports.push(from === p - 1 ? from : { from, to: p - 1 });
        from = undefined;
      }
    }
  }
  if (ports.length === 0) return undefined;
  return {
    id: meta.id,
    dest: 'all',
    ports,
    protocol: 'tcp',
    tls: 'plain',
    purpose: meta.purpose,
    sources: [{ kind: 'local' }],
    expect: 'closed',
    tags: [meta.id],
    ...(meta.note ? { note: meta.note } : {}),
    seed: meta.seed,
  };
}
