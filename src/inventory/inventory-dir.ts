import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which entries of an inventory directory Ansible reads (inventory/manager.py
 * IGNORED): not hidden files, not group_vars/, host_vars/ or vars_plugins/,
 * and not files ending in INVENTORY_IGNORE_EXTS (REJECT_EXTS plus .orig,
 * .ini, .cfg, .retry). Yes, `.ini` files inside a directory are skipped:
 * Ansible reads `hosts.ini` given alone but not from a folder.
 */
const IGNORED = /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;

export function isIgnoredInventoryEntry(name: string): boolean {
  return IGNORED.test(name);
}

/** The entries to parse, full paths, in Ansible's order (sorted by name); sub-folders are walked by the caller. */
export function inventoryDirEntries(dir: string): string[] {
  return readdirSync(dir)
    .sort(byCodePoint)
    .filter((name) => !isIgnoredInventoryEntry(name))
    .map((name) => join(dir, name));
}

/** Python sorts file names by code point, not by UTF-16 unit as Array.sort does. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}
