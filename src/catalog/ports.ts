import type { PortSpec } from './types.js';

export function specFrom(spec: PortSpec): number {
  return typeof spec === 'number' ? spec : spec.from;
}

export function specTo(spec: PortSpec): number {
  return typeof spec === 'number' ? spec : spec.to;
}

/** Every port of a spec, ascending. */
export function expandSpec(spec: PortSpec): number[] {
  const out: number[] = [];
  for (let p = specFrom(spec); p <= specTo(spec); p++) out.push(p);
  return out;
}

/**
 * The ports of a range a sweep tests. 'full': every port. 'sample': first,
 * last and `interior` ports spread evenly between them (floor(i*len/(k+1))
 * from the start, so 18000-18999 with 3 gives 18250, 18500, 18750).
 * Deterministic on purpose: two runs probe the same ports and can be diffed.
 */
export function sampleSpec(spec: PortSpec, mode: 'sample' | 'full', interior: number): number[] {
  const from = specFrom(spec);
  const to = specTo(spec);
  const len = to - from + 1;
  if (mode === 'full' || len <= interior + 2) return expandSpec(spec);
  const picked = new Set<number>([from, to]);
  for (let i = 1; i <= interior; i++) picked.add(from + Math.floor((i * len) / (interior + 1)));
  return [...picked].sort((a, b) => a - b);
}

/** Sort and merge overlapping or adjacent specs: [22, 20-21, 23] -> [{20..23}]. */
export function mergeSpecs(specs: Iterable<PortSpec>): PortSpec[] {
  const ranges = [...specs].map((s) => [specFrom(s), specTo(s)] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [from, to] of ranges) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged.map(([from, to]) => (from === to ? from : { from, to }));
}

/** Compact display: "2112, 12191-12201". */
export function formatSpecs(specs: Iterable<PortSpec>): string {
  return mergeSpecs(specs)
    .map((s) => (typeof s === 'number' ? String(s) : `${s.from}-${s.to}`))
    .join(', ');
}

/** Does the spec contain this port? */
export function specHas(spec: PortSpec, port: number): boolean {
  return port >= specFrom(spec) && port <= specTo(spec);
}
