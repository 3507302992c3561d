import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Fleet } from '../model/fleet.js';
import type { InventoryModel } from './model.js';
import { patternMatches, selectHosts, splitHostPattern } from './patterns.js';

/**
 * `--limit` as InventoryManager.subset reads it: split_host_pattern (commas
 * separate; only a pattern with no comma is split on ':'), and `@FILE` parts
 * name a file with one pattern per line (Ansible's retry files), relative to
 * the working folder. Returns the chosen host names in inventory order.
 *
 * `a,b:!c` is split by Ansible into `a` and `b:!c`: the colon is NOT a
 * separator once a comma is present, so `b:!c` matches nothing and Ansible
 * warns and skips it (checked against ansible 2.14 --list-hosts, see
 * test/fixtures/inventory/patterns/). We select exactly what Ansible selects
 * and, where Ansible would skip such a part, refuse with a line that says why
 * and how to write it, rather than sweep fewer hosts than meant.
 */
export function limitHosts(model: InventoryModel, limit: string, opts: { cwd: string }): string[] {
  const parts: string[] = [];
  for (const p of splitHostPattern(limit)) {
    if (p.startsWith('@')) parts.push(...readLimitFile(p.slice(1), opts.cwd));
    else parts.push(p);
  }
  if (parts.length === 0) throw new UsageError(`--limit '${limit}': no host pattern in it`);
  if (limit.includes(',')) {
    for (const p of parts) {
      // Only a part that a comma-less pattern would have split (not `group[1:2]`, not an address).
      if (splitHostPattern(p).length > 1 && !patternMatches(model, p)) {
        const meant = limit.split(',').flatMap((x) => splitHostPattern(x)).join(',');
        throw new UsageError(
          `--limit '${limit}': the part '${p}' matches nothing: once a pattern has a ',' Ansible does not split on ':' (it would warn and skip '${p}'); write --limit '${meant}'`,
        );
      }
    }
  }
  return selectHosts(model, parts);
}

/** The fleet restricted to --limit, keeping fleet order. */
export function limitFleetHosts(fleet: Fleet, model: InventoryModel, limit: string, opts: { cwd: string }): Fleet {
  const chosen = new Set(limitHosts(model, limit, opts));
  return { ...fleet, hosts: fleet.hosts.filter((h) => chosen.has(h.name)) };
}

function readLimitFile(name: string, cwd: string): string[] {
  const path = resolve(cwd, name);
  if (!existsSync(path)) throw new UsageError(`--limit @${name}: Unable to find limit file ${path}`);
  if (!statSync(path).isFile()) throw new UsageError(`--limit @${name}: Limit starting with "@" must be a file, not a directory: ${path}`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
