import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { ParseError } from '../errors.js';
import type { Fleet } from '../model/fleet.js';
import { toFleet } from './fleet.js';
import { EMBEDDED_LOCALHOST_SOURCE, EMBEDDED_LOCALHOST_YAML } from './localhost.js';
import type { InventoryModel } from './model.js';
import { parseIni } from './parse-ini.js';
import { parseYaml } from './parse-yaml.js';
import { readVarsFolders } from './vars-folders.js';

export interface LoadedInventory {
  model: InventoryModel;
  fleet: Fleet;
}

const YAML_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);

/**
 * Which parser Ansible would use. Its yaml plugin only accepts .yml/.yaml/.json
 * or no extension, and is tried before ini; for files without an extension we
 * look at the text instead of trying both, so the error shown is the one for
 * the format the file is evidently written in.
 */
export function detectFormat(path: string, text: string): 'yaml' | 'ini' {
  const ext = extname(path).toLowerCase();
  if (YAML_EXTENSIONS.has(ext)) return 'yaml';
  if (ext) return 'ini';
  return looksLikeYaml(text) ? 'yaml' : 'ini';
}

function looksLikeYaml(text: string): boolean {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line === '---' || line.startsWith('{')) return true;
    // INI starts with a [section] or a host line; YAML with `key:`.
    return /^[^\s[=]+:(\s|$)/.test(line) && !line.includes('=');
  }
  return false;
}

/**
 * Read an inventory file and its group_vars/ and host_vars/ folders, then
 * resolve the fleet. The only inventory code that touches the filesystem.
 * A missing file is a ParseError (exit 4), as Ansible fails to parse it.
 */
export function loadInventory(path: string): LoadedInventory {
  if (!existsSync(path)) throw new ParseError('inventory file not found', path);
  if (statSync(path).isDirectory()) {
    throw new ParseError('inventory is a directory; give the inventory file inside it', path);
  }
  const text = readFileSync(path, 'utf8');
  const model = detectFormat(path, text) === 'yaml' ? parseYaml(text, path) : parseIni(text, path);
  readVarsFolders(model, dirname(path));
  return { model, fleet: toFleet(model, path) };
}

/** The inventory used when none is given: localhost, connection local, all four roles. */
export function loadEmbeddedDefault(): LoadedInventory {
  const model = parseYaml(EMBEDDED_LOCALHOST_YAML, EMBEDDED_LOCALHOST_SOURCE);
  return { model, fleet: toFleet(model, EMBEDDED_LOCALHOST_SOURCE) };
}
