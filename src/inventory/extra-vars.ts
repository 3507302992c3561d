import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ParseError, UsageError } from '../errors.js';
import { isPlainObject } from './merge-vars.js';
import type { Origin, VarLayer } from './model.js';
import { parseKv } from './parse-kv.js';
import { isVaultFile } from './vault.js';
import { loadYamlWithLines, mappingEntries } from './yaml-positions.js';

/**
 * `-e` values as Ansible's load_extra_vars reads them, in order, later
 * replacing earlier top-level keys (hash_behaviour=replace):
 *   `@FILE`           a YAML or JSON file, relative to the working folder
 *   `{...}` / `[...]` YAML or JSON text (it must be a mapping)
 *   `k=v k2='a b'`    parse_kv: values stay strings (`3.10` is "3.10")
 * A value starting with `/` or `.` is refused, as Ansible does, so a file
 * name without `@` is not taken for a variable. Where Ansible would quietly
 * keep words without `=` as `_raw_params`, we refuse them: they set nothing.
 * Every problem is one UsageError line (exit 5) naming the -e value, or the
 * file and line.
 */
export function loadExtraVars(values: readonly string[] | undefined, opts: { cwd: string }): VarLayer {
  const layer: VarLayer = { vars: {}, varOrigins: {} };
  for (const item of values ?? []) {
    if (!item) continue;
    const { vars, origins } = readOne(item, opts.cwd);
    for (const [k, v] of Object.entries(vars)) {
      layer.vars[k] = v;
      layer.varOrigins[k] = origins[k] ?? { file: '--extra-vars' };
    }
  }
  return layer;
}

interface OneExtra {
  vars: Record<string, unknown>;
  origins: Record<string, Origin>;
}

function readOne(item: string, cwd: string): OneExtra {
  if (item.startsWith('@')) return readFile(item.slice(1), cwd);
  if (item[0] === '/' || item[0] === '.') throw new UsageError(`-e ${item}: a file name needs '@' in front (-e @${item}), as in Ansible`);
  if (item[0] === '[' || item[0] === '{') return fromYaml(item, '--extra-vars', `-e ${item}`);
  let kv: ReturnType<typeof parseKv>;
  try {
    kv = parseKv(item);
  } catch (e) {
    throw new UsageError(`-e ${item}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (kv.rawParams.length) {
    throw new UsageError(`-e ${item}: '${kv.rawParams[0]}' is not KEY=VALUE; give KEY=VALUE pairs, a YAML/JSON object, or @FILE`);
  }
  return { vars: kv.options, origins: {} };
}

function readFile(name: string, cwd: string): OneExtra {
  const path = resolve(cwd, name);
  if (!existsSync(path)) throw new UsageError(`-e @${name}: no such file (${path})`);
  if (statSync(path).isDirectory()) throw new UsageError(`-e @${name}: is a directory, not a vars file`);
  const text = readFileSync(path, 'utf8');
  if (isVaultFile(text)) throw new UsageError(`-e @${name}: vault-encrypted file; ece-preflight does not decrypt (encrypt single values with ansible-vault encrypt_string instead)`);
  return fromYaml(text, path, `-e @${name}`);
}

function fromYaml(text: string, file: string, label: string): OneExtra {
  let loaded: ReturnType<typeof loadYamlWithLines>;
  try {
    loaded = loadYamlWithLines(text, file);
  } catch (e) {
    // The YAML reader's ParseError already names file and line; -e problems are option errors (exit 5).
    throw new UsageError(`${label}: ${e instanceof ParseError ? e.message : String(e)}`);
  }
  const { data, root } = loaded;
  if (!isPlainObject(data)) {
    throw new UsageError(`${label}: Invalid extra vars data supplied, it could not be made into a dictionary (got ${data === null || data === undefined ? 'nothing' : Array.isArray(data) ? 'a list' : typeof data})`);
  }
  const entries = mappingEntries(root);
  const origins: Record<string, Origin> = {};
  for (const k of Object.keys(data)) origins[k] = { file, line: entries.get(k)?.key.line };
  return { vars: data, origins };
}
