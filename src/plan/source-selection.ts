import { ROLES, type Role } from '../model/roles.js';

/** Index that stands for the controller in source lists; sorts before every host. */
export const CONTROLLER_INDEX = -1;

/** Host indices (fleet order) per role, plus hosts with no role, for picking probe sources. */
export interface SourceGroups {
  byRole: Record<Role, Int32Array>;
  noRole: Int32Array;
  all: Int32Array;
}

export function sourceGroups(planned: Role[][]): SourceGroups {
  const lists: Record<Role, number[]> = { director: [], coordinator: [], proxy: [], allocator: [] };
  const noRole: number[] = [];
  planned.forEach((roles, i) => {
    if (roles.length === 0) noRole.push(i);
    for (const r of roles) lists[r].push(i);
  });
  const byRole = Object.fromEntries(ROLES.map((r) => [r, Int32Array.from(lists[r])])) as Record<Role, Int32Array>;
  return { byRole, noRole: Int32Array.from(noRole), all: Int32Array.from(planned.keys()) };
}

/**
 * Picks k members of a group to probe destination `dest`. The window starts
 * at dest*k and wraps, so consecutive destinations get disjoint sources and
 * the probing load spreads evenly over the group. The destination itself is
 * passed over while the group has k others: a host probing itself only tests
 * its loopback path, which says little about the firewall.
 */
export function pickSources(group: Int32Array, k: number, dest: number, out: number[]): void {
  const m = group.length;
  if (m <= k) {
    for (const g of group) out.push(g);
    return;
  }
  let i = (dest * k) % m;
  for (let step = 0, taken = 0; step < m && taken < k; step++, i = i + 1 === m ? 0 : i + 1) {
    const g = group[i]!;
    if (g === dest) continue;
    out.push(g);
    taken++;
  }
}

/**
 * Sources for a must-be-closed local port (2375): other hosts that try to
 * reach it. `count` of them, the ones after `dest` in fleet order, so every
 * host is a prober of someone and the choice is stable between runs.
 */
export function otherHosts(n: number, dest: number, count: number): Int32Array {
  const c = Math.min(count, n - 1);
  const out = new Int32Array(Math.max(c, 0));
  for (let j = 0; j < c; j++) out[j] = (dest + 1 + j) % n;
  return out.sort();
}

/** Sorted, de-duplicated copy. */
export function sortedUnique(values: number[]): Int32Array {
  const arr = Int32Array.from(values).sort();
  let w = 0;
  for (let r = 0; r < arr.length; r++) if (r === 0 || arr[r] !== arr[w - 1]) arr[w++] = arr[r]!;
  return arr.subarray(0, w);
}
