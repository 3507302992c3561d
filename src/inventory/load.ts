import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { ParseError } from '../errors.js';
import type { Fleet } from '../model/fleet.js';
import { toFleet } from './fleet.js';
import { isHostList, parseHostListInto } from './host-list.js';
import { inventoryDirEntries } from './inventory-dir.js';
import { EMBEDDED_LOCALHOST_SOURCE, EMBEDDED_LOCALHOST_YAML } from './localhost.js';
import { InventoryBuilder, type InventoryModel } from './model.js';
import { parseIniInto } from './parse-ini.js';
import { parseYaml, parseYamlInto } from './parse-yaml.js';
import { expandUserPath } from './paths.js';
import { readVarsFolders } from './vars-folders.js';
import { isVaultFile } from './vault.js';

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
 * Read one inventory file and its group_vars/ and host_vars/ folders, then
 * resolve the fleet. A missing file is a ParseError (exit 4), as Ansible
 * fails to parse it.
 */
export function loadInventory(path: string): LoadedInventory {
  return loadInventorySources([path], { cwd: process.cwd() });
}

export interface SourceOptions {
  /** Relative sources are resolved against this folder. */
  cwd: string;
  /** For `~` (default: the process's home). */
  home?: string;
}

/**
 * Several inventory sources merged as Ansible's InventoryManager does: each
 * source in order (a file, a folder of files, or a `h1,h2,` host list) adds
 * to one inventory, reconciled once at the end (orphan groups join `all`
 * then, which fixes the order `--list` prints); then group_vars/ and
 * host_vars/ beside each file source, or inside each folder source, in
 * source order. The only inventory code that touches the filesystem.
 */
export function loadInventorySources(sources: readonly string[], opts: SourceOptions): LoadedInventory {
  const model = readInventorySources(sources, opts);
  return { model, fleet: toFleet(model, model.source) };
}

/** The model alone: resolving hosts is left to the caller (after --limit, so excluded hosts cannot fail it). */
export function readInventorySources(sources: readonly string[], opts: SourceOptions): InventoryModel {
  const label = sources.join(', ');
  const builder = new InventoryBuilder(label);
  const varsBases: string[] = [];
  for (const source of sources) {
    if (isHostList(source, (p) => existsSync(resolve(opts.cwd, p)))) {
      parseHostListInto(builder, source);
      continue;
    }
    const path = resolve(opts.cwd, expandUserPath(source, opts.home));
    if (!existsSync(path)) throw new ParseError('inventory file not found', path);
    if (statSync(path).isDirectory()) {
      parseDirInto(builder, path);
      varsBases.push(path);
    } else {
      parseFileInto(builder, path);
      varsBases.push(dirname(path));
    }
  }
  const model = builder.finish();
  for (const base of varsBases) readVarsFolders(model, base);
  return model;
}

function parseDirInto(builder: InventoryBuilder, dir: string): void {
  for (const entry of inventoryDirEntries(dir)) {
    if (statSync(entry).isDirectory()) parseDirInto(builder, entry);
    else parseFileInto(builder, entry);
  }
}

function parseFileInto(builder: InventoryBuilder, path: string): void {
  const text = readFileSync(path, 'utf8');
  if (isVaultFile(text)) {
    throw new ParseError('vault-encrypted inventory file: ece-preflight does not decrypt; encrypt single values with `ansible-vault encrypt_string` instead', path, 1);
  }
  if (text.startsWith('#!')) {
    throw new ParseError('looks like an inventory script; ece-preflight runs none: save its output with `ansible-inventory -i SCRIPT --list --yaml > inventory.yml`', path, 1);
  }
  if (detectFormat(path, text) === 'yaml') parseYamlInto(builder, text, path);
  else parseIniInto(builder, text, path);
}

/** The inventory used when none is given: localhost, connection local, all four roles. */
export function loadEmbeddedDefault(): LoadedInventory {
  const model = parseYaml(EMBEDDED_LOCALHOST_YAML, EMBEDDED_LOCALHOST_SOURCE);
  return { model, fleet: toFleet(model, EMBEDDED_LOCALHOST_SOURCE) };
}
