import { ParseError } from '../errors.js';
import { expandHostKey } from './host-range.js';
import { InventoryBuilder, type InventoryModel } from './model.js';
import { isPlainObject } from './vars.js';
import { loadYamlWithLines, mappingEntries, type PosNode } from './yaml-positions.js';

/**
 * Ansible's YAML inventory plugin (plugins/inventory/yaml.py): top-level keys
 * are groups, each with optional `hosts`, `vars`, `children` mappings, nested
 * to any depth. Where Ansible only warns (an unknown key such as `host:`, a
 * group that is not a mapping) we stop: a silently dropped host is worse than
 * an error. Pure: takes the text, returns the model.
 */
export function parseYaml(text: string, file: string, builder = new InventoryBuilder(file)): InventoryModel {
  parseYamlInto(builder, text, file);
  return builder.finish();
}

/** Add one YAML source to a builder shared with other sources; the caller finishes it once, as Ansible reconciles once. */
export function parseYamlInto(builder: InventoryBuilder, text: string, file: string): void {
  const { data, root } = loadYamlWithLines(text, file);
  if (data === null || data === undefined || (isPlainObject(data) && Object.keys(data).length === 0)) {
    throw new ParseError('Parsed empty YAML file', file, 1);
  }
  if (!isPlainObject(data)) {
    throw new ParseError('YAML inventory has invalid structure, it should be a dictionary', file, root?.line ?? 1);
  }
  if (data['plugin']) throw new ParseError('Plugin configuration YAML file, not YAML inventory', file, 1);

  const parseGroup = (name: string, groupData: unknown, keyNode: PosNode | undefined, valueNode: PosNode | undefined): string => {
    const line = keyNode?.line;
    const fail = (msg: string, at = line): never => {
      throw new ParseError(msg, file, at);
    };
    if (groupData !== null && !isPlainObject(groupData)) {
      fail(`group ${name}: expected a mapping with hosts/vars/children, got ${describe(groupData)}`);
    }
    builder.addGroup(name, { file, line });
    if (groupData === null) return name;
    const entries = mappingEntries(valueNode);
    for (const [section, rawValue] of Object.entries(groupData as Record<string, unknown>)) {
      const at = entries.get(section);
      const sectionLine = at?.key.line ?? line;
      if (section !== 'vars' && section !== 'children' && section !== 'hosts') {
        fail(`group ${name}: unexpected key '${section}', only "vars", "children" and "hosts" are valid`, sectionLine);
      }
      // Ansible accepts a bare string as a one-entry mapping.
      const value = typeof rawValue === 'string' ? { [rawValue]: null } : rawValue;
      if (value === null) continue;
      if (!isPlainObject(value)) {
        fail(`Invalid "${section}" entry for "${name}" group, requires a dictionary, found ${describe(value)} instead`, sectionLine);
      }
      const inner = mappingEntries(at?.value);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const kLine = inner.get(k)?.key.line ?? sectionLine;
        if (section === 'vars') {
          builder.setGroupVar(name, k, v, { file, line: kLine });
        } else if (section === 'children') {
          const child = parseGroup(k, v, inner.get(k)?.key, inner.get(k)?.value);
          builder.addChild(name, child, { file, line: kLine });
        } else {
          let expanded: { hosts: string[]; port: number | undefined };
          try {
            expanded = expandHostKey(k);
          } catch (e) {
            return fail(`host ${k}: ${(e as Error).message}`, kLine);
          }
          if (v !== null && !isPlainObject(v)) {
            fail(`host ${k}: expected a mapping of host vars, got ${describe(v)}`, kLine);
          }
          const vars = (v ?? {}) as Record<string, unknown>;
          const varEntries = mappingEntries(inner.get(k)?.value);
          for (const h of expanded.hosts) {
            builder.addHost(h, name, expanded.port, { file, line: kLine });
            for (const [vk, vv] of Object.entries(vars)) {
              builder.setHostVar(h, vk, vv, { file, line: varEntries.get(vk)?.key.line ?? kLine });
            }
          }
        }
      }
    }
    return name;
  };

  const top = mappingEntries(root);
  for (const [name, groupData] of Object.entries(data)) {
    parseGroup(name, groupData, top.get(name)?.key, top.get(name)?.value);
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'nothing';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}
