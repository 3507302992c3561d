/**
 * A vars mapping and the two pure helpers over it. Its own file because
 * model.ts (a dict var set twice is merged) and merge-vars.ts (host var
 * precedence, which walks the model's groups) both need them: kept in
 * merge-vars.ts, the two files imported each other.
 */
export type Vars = Record<string, unknown>;

/** A mapping, not a list, null or a value object such as VaultValue (which must never be merged into). */
export function isPlainObject(v: unknown): v is Vars {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Ansible's merge_hash with list_merge=replace: dicts merge recursively, the rest is replaced. */
export function mergeHash(a: Vars, b: Vars): Vars {
  const out: Vars = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? mergeHash(prev, v) : v;
  }
  return out;
}
