import yaml from 'js-yaml';
import { ParseError } from '../errors.js';
import { ANSIBLE_YAML_SCHEMA } from './yaml-schema.js';

/**
 * A YAML node's line, kept beside the parsed value. js-yaml returns plain
 * values; its `listener` option reports every node as it opens and closes,
 * which is enough to rebuild a tree of lines and look keys up by path.
 */
export interface PosNode {
  /** 1-based line where the node starts. */
  line: number;
  kind?: string;
  result?: unknown;
  children: PosNode[];
}

export interface YamlWithLines {
  data: unknown;
  root: PosNode | undefined;
}

export function loadYamlWithLines(text: string, file: string): YamlWithLines {
  const top: PosNode = { line: 1, children: [] };
  const stack: PosNode[] = [top];
  let data: unknown;
  try {
    data = yaml.load(text, {
      filename: file,
      schema: ANSIBLE_YAML_SCHEMA,
      listener(event, state) {
        if (event === 'open') {
          const n: PosNode = { line: state.line + 1, children: [] };
          stack[stack.length - 1]!.children.push(n);
          stack.push(n);
        } else {
          const n = stack.pop()!;
          n.kind = state.kind ?? undefined;
          if (state.kind === 'scalar') n.result = state.result;
        }
      },
    });
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      throw new ParseError(`invalid YAML: ${e.reason}`, file, e.mark ? e.mark.line + 1 : undefined);
    }
    throw e;
  }
  return { data, root: top.children[0] };
}

/** Key and value nodes of a mapping node, by key text. */
export function mappingEntries(node: PosNode | undefined): Map<string, { key: PosNode; value: PosNode | undefined }> {
  const out = new Map<string, { key: PosNode; value: PosNode | undefined }>();
  if (!node || node.kind !== 'mapping' || node.children.length % 2 !== 0) return out;
  for (let i = 0; i < node.children.length; i += 2) {
    const key = node.children[i]!;
    out.set(String(key.result), { key, value: node.children[i + 1] });
  }
  return out;
}
