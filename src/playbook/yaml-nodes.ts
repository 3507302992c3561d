import { mappingEntries, type PosNode } from '../inventory/yaml-positions.js';

/**
 * Walking the line tree of src/inventory/yaml-positions.ts beside the data.
 * One quirk of js-yaml's listener: an item of a block sequence that is a
 * scalar or a flow collection is reported twice, an outer node of the same
 * kind holding the real one. We look through that wrapper.
 */

function unwrapItem(n: PosNode | undefined, value: unknown): PosNode | undefined {
  if (!n || n.children.length !== 1) return n;
  const inner = n.children[0]!;
  if (inner.kind !== n.kind) return n;
  if (n.kind === 'scalar' || n.kind === 'mapping') return inner;
  // A real one-item list of lists looks like the wrapper; tell them apart by the data.
  if (n.kind === 'sequence' && !(Array.isArray(value) && value.length === 1 && Array.isArray(value[0]))) return inner;
  return n;
}

/** The node of `key` in a mapping, or of item `key` in a sequence. */
export function childNode(node: PosNode | undefined, key: string | number, parentValue: unknown): PosNode | undefined {
  if (!node) return undefined;
  if (node.kind === 'mapping') return mappingEntries(node).get(String(key))?.value;
  if (node.kind === 'sequence' && typeof key === 'number' && Array.isArray(parentValue)) {
    return unwrapItem(node.children[key], parentValue[key]);
  }
  return undefined;
}

/** The node of a mapping's key (its line is where a keyword is written). */
export function keyNode(node: PosNode | undefined, key: string): PosNode | undefined {
  return node?.kind === 'mapping' ? mappingEntries(node).get(key)?.key : undefined;
}

/** The deepest node along `path` that exists (a missing key leaves the parent). */
export function nodeAtPath(node: PosNode | undefined, value: unknown, path: readonly PropertyKey[]): PosNode | undefined {
  let cur = node;
  let v = value;
  for (const k of path) {
    if (typeof k === 'symbol') break;
    const next = childNode(cur, k, v);
    if (!next) break;
    cur = next;
    v = Array.isArray(v) ? v[k as number] : typeof v === 'object' && v !== null && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
  }
  return cur;
}
