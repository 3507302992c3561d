import { z } from 'zod';
import type { PosNode } from '../inventory/yaml-positions.js';
import { freeFormOption, parseKeyValues, splitFreeForm } from './free-form.js';
import type { ModuleSchema } from './module-schema.js';
import { describe, formatPath, type Field, type FieldReader } from './parse-fields.js';
import { closest } from './suggest.js';
import { childNode, keyNode, nodeAtPath } from './yaml-nodes.js';

/**
 * A task's module arguments: the module's value (a mapping, Ansible's
 * free form, or key=value words) merged over `args:`, then checked with the
 * module's zod schema. An error names the argument and points at its line.
 */

/** Where each argument was written, for errors. */
interface ArgSource {
  value: unknown;
  node: PosNode | undefined;
  keyLine: number | undefined;
}

export function moduleArgs(r: FieldReader, schema: ModuleSchema, moduleField: Field, argsField: Field | undefined): Record<string, unknown> {
  const mod = schema.name;
  const sources = new Map<string, ArgSource>();
  const args: Record<string, unknown> = {};
  const put = (k: string, value: unknown, node: PosNode | undefined, keyLine: number | undefined): void => {
    Object.defineProperty(args, k, { value, enumerable: true, writable: true, configurable: true });
    sources.set(k, { value, node, keyLine });
  };

  // `args:` first: Ansible lets the module's own arguments override it.
  if (argsField) {
    const a = r.mapping(argsField);
    for (const [k, v] of Object.entries(a)) put(k, v, childNode(argsField.node, k, a), keyNode(argsField.node, k)?.line);
  }

  const value = moduleField.value;
  const valueLine = moduleField.node?.line ?? moduleField.line;
  if (typeof value === 'string' && schema.freeForm) {
    if (schema.freeForm === 'shell') {
      put('cmd', value, moduleField.node, valueLine);
    } else {
      put('argv', commandWords(r, mod, value, valueLine), moduleField.node, valueLine);
    }
  } else if (typeof value === 'string') {
    const kv = parseKeyValues(value);
    if ('bad' in kv) {
      r.fail(`module '${mod}' takes key=value arguments or a mapping; '${kv.bad}' is not key=value`, valueLine);
    }
    for (const [k, v] of Object.entries(kv.args)) put(k, v, moduleField.node, valueLine);
  } else if (value !== null) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      r.fail(`module '${mod}' takes a mapping of arguments${schema.freeForm ? ' or a command line' : ''}, got ${describe(value)}`, valueLine);
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      put(k, v, childNode(moduleField.node, k, value), keyNode(moduleField.node, k)?.line);
    }
  }

  if (schema.freeForm === 'command' && Object.hasOwn(args, 'cmd')) {
    const cmd = sources.get('cmd')!;
    if (Object.hasOwn(args, 'argv')) r.fail(`module '${mod}': give either cmd or argv, not both`, cmd.keyLine ?? valueLine);
    if (typeof args['cmd'] !== 'string') r.fail(`module '${mod}': argument 'cmd': must be a string, got ${describe(args['cmd'])}`, cmd.node?.line ?? valueLine);
    const words = commandWords(r, mod, args['cmd'] as string, cmd.node?.line ?? valueLine);
    delete args['cmd'];
    sources.delete('cmd');
    put('argv', words, cmd.node, cmd.keyLine);
  }

  for (const [k, src] of sources) {
    r.templates({ key: k, value: src.value, node: src.node, line: src.keyLine ?? valueLine }, `argument '${k}' of module '${mod}'`);
  }

  const parsed = schema.args.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    reportIssue(r, schema, issue, args, sources, valueLine);
  }
  return args;
}

function commandWords(r: FieldReader, mod: string, text: string, line: number): string[] {
  let words: string[];
  try {
    words = splitFreeForm(text);
  } catch (e) {
    return r.fail(`module '${mod}': cannot split the command line: ${(e as Error).message}`, line);
  }
  if (!words.length) r.fail(`module '${mod}': the command line is empty`, line);
  const opt = freeFormOption(words);
  if (opt) {
    r.fail(`module '${mod}': '${opt}' in the command line is not supported (Ansible would read it as an option): write ${opt.split('=')[0]}: under args:`, line);
  }
  return words;
}

type Issue = z.core.$ZodIssue;

function reportIssue(r: FieldReader, schema: ModuleSchema, issue: Issue, args: Record<string, unknown>, sources: Map<string, ArgSource>, moduleLine: number): never {
  const mod = schema.name;
  const [first, ...rest] = issue.path;
  const src = typeof first === 'string' ? sources.get(first) : undefined;
  const lineOf = (): number => (src ? (nodeAtPath(src.node, src.value, rest)?.line ?? src.keyLine ?? moduleLine) : moduleLine);

  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys[0]!;
    const inner = issue.path.length === 0;
    const at = inner ? sources.get(unknown)?.keyLine : keyNode(src ? nodeAtPath(src.node, src.value, rest) : undefined, unknown)?.line;
    const known = shapeKeys(schema.args);
    const hint = inner ? closest(unknown, known) : undefined;
    const where = inner ? '' : ` in '${formatPath(issue.path)}'`;
    r.fail(`module '${mod}': unknown argument '${unknown}'${where}${hint ? ` (did you mean '${hint}'?)` : ''}`, at ?? lineOf());
  }
  if (issue.path.length === 1 && typeof first === 'string' && !Object.hasOwn(args, first)) {
    r.fail(`module '${mod}': missing required argument '${first}'`, moduleLine);
  }
  const name = issue.path.length ? `argument '${formatPath(issue.path)}'` : 'arguments';
  r.fail(`module '${mod}': ${name}: ${issueMessage(issue)}`, lineOf());
}

/** A templatable() union fails with "Invalid input": say what the real type wanted. */
function issueMessage(issue: Issue): string {
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const firstBranch = issue.errors[0]![0];
    if (firstBranch) return `${issueMessage(firstBranch)} (or a {{ template }})`;
  }
  return issue.message;
}

function shapeKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
