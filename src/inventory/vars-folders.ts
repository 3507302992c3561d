import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ParseError } from '../errors.js';
import type { InventoryModel, Origin, VarLayer, VarsDir } from './model.js';
import { isVaultFile } from './vault.js';
import { isPlainObject } from './vars.js';
import { loadYamlWithLines, mappingEntries } from './yaml-positions.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/**
 * Ansible's host_group_vars plugin for one inventory source folder: for each
 * group and host in the model, the first of group_vars/NAME, NAME.yml,
 * NAME.yaml, NAME.json; a directory NAME/ contributes all its files (sorted,
 * recursively, hidden and `~` backup files skipped). Later files replace
 * earlier top-level keys. Call it once per source, in source order, after
 * every source is parsed: Ansible looks the names up in the whole inventory.
 */
export function readVarsFolders(model: InventoryModel, baseDir: string): void {
  const dir: VarsDir = { dir: baseDir, groups: new Map(), hosts: new Map() };
  for (const name of model.groups.keys()) {
    const layer = readVarsFor(model, join(baseDir, 'group_vars'), name);
    if (layer) dir.groups.set(name, layer);
  }
  for (const name of model.hosts.keys()) {
    const layer = readVarsFor(model, join(baseDir, 'host_vars'), name);
    if (layer) dir.hosts.set(name, layer);
  }
  model.varsDirs.push(dir);
}

function readVarsFor(model: InventoryModel, dir: string, name: string): VarLayer | undefined {
  // Names like /path/to/chroot are not looked up, as in Ansible.
  if (name.startsWith('/') || !existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  let files: string[] = [];
  for (const ext of EXTENSIONS) {
    const p = join(dir, name + ext);
    if (!existsSync(p)) continue;
    files = statSync(p).isDirectory() ? filesUnder(p) : [p];
    break;
  }
  if (files.length === 0) return undefined;
  const layer: VarLayer = { vars: {}, varOrigins: {} };
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (isVaultFile(text)) {
      // The usual group_vars/all/vault.yml: secrets we have no use for. Ansible
      // would need the vault password; we read the rest and say what we left.
      model.notes.push(`${f}: vault-encrypted vars file not read (ece-preflight does not decrypt; its variables are unset here)`);
      continue;
    }
    const { data, root } = loadYamlWithLines(text, f);
    if (data === null || data === undefined) continue;
    if (!isPlainObject(data)) {
      throw new ParseError(`vars file must hold a mapping of variables, not ${Array.isArray(data) ? 'a list' : typeof data}`, f, root?.line ?? 1);
    }
    const entries = mappingEntries(root);
    for (const [k, v] of Object.entries(data)) {
      layer.vars[k] = v;
      const origin: Origin = { file: f, line: entries.get(k)?.key.line };
      layer.varOrigins[k] = origin;
    }
  }
  return layer;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = join(dir, entry);
    const ext = extname(entry);
    const st = statSync(full);
    if (st.isDirectory() && !ext) out.push(...filesUnder(full));
    else if (st.isFile() && (!ext || EXTENSIONS.includes(ext))) out.push(full);
  }
  return out;
}
