import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ParseError } from '../errors.js';
import type { InventoryModel, Origin, VarLayer } from './model.js';
import { isPlainObject } from './vars.js';
import { loadYamlWithLines, mappingEntries } from './yaml-positions.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/**
 * Ansible's host_group_vars plugin: for each group and host in the model,
 * the first of group_vars/NAME, NAME.yml, NAME.yaml, NAME.json; a directory
 * NAME/ contributes all its files (sorted, recursively, hidden and `~` backup
 * files skipped). Later files replace earlier top-level keys.
 */
export function readVarsFolders(model: InventoryModel, baseDir: string): void {
  for (const name of model.groups.keys()) {
    const layer = readVarsFor(join(baseDir, 'group_vars'), name);
    if (layer) model.groupVarsFiles.set(name, layer);
  }
  for (const name of model.hosts.keys()) {
    const layer = readVarsFor(join(baseDir, 'host_vars'), name);
    if (layer) model.hostVarsFiles.set(name, layer);
  }
}

function readVarsFor(dir: string, name: string): VarLayer | undefined {
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
