/**
 * ECE versions are dotted numbers ("2.4.1", "3.8"); anything after a '-' or
 * '+' (pre-release, build) is ignored: the catalog's ranges are about releases.
 */
function parts(version: string): number[] {
  return version
    .split(/[-+]/)[0]!
    .split('.')
    .map((p) => Number.parseInt(p, 10))
    .map((n) => (Number.isFinite(n) ? n : 0));
}

export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Is `version` inside the inclusive range? An unknown version is inside: the
 * planner would rather check one port or requirement too many than miss one
 * the host needs (the inventory can set ece_version to narrow it).
 */
export function inVersionRange(version: string | undefined, range: { min?: string; max?: string } | undefined): boolean {
  if (!range || version === undefined || version === '') return true;
  if (range.min !== undefined && compareVersions(version, range.min) < 0) return false;
  if (range.max !== undefined && compareVersions(version, range.max) > 0) return false;
  return true;
}
