import { readFile } from 'node:fs/promises';
import { ParseError, PlaybookError } from '../errors.js';
import { loadYamlWithLines, type PosNode } from '../inventory/yaml-positions.js';
import { PLAY_KEYWORDS, unsupportedPlayKeyword } from './keywords.js';
import type { ModuleCatalogue } from './module-schema.js';
import { describe, FieldReader, type Field } from './parse-fields.js';
import { TaskParser, type Inherited } from './parse-task.js';
import { closest } from './suggest.js';
import type { Play, Playbook, Serial } from './types.js';
import { childNode, keyNode } from './yaml-nodes.js';

export type { ModuleCatalogue, ModuleSchema } from './module-schema.js';

/**
 * A playbook as Ansible writes it: a YAML list of plays. Anything we would
 * run differently from Ansible is refused with a one-line error
 * `file:line: message` rather than ignored. Pure: the text in, the tree out.
 */
export function parsePlaybook(text: string, file: string, modules: ModuleCatalogue): Playbook {
  const { data, root } = loadYaml(text, file);
  const r = new FieldReader(file);
  if (data === null || data === undefined) r.fail('the playbook is empty: it should be a list of plays', 1);
  if (!Array.isArray(data)) return r.fail(`a playbook must be a list of plays, got ${describe(data)}`, root?.line ?? 1);
  const tasks = new TaskParser(r, modules);
  const plays = data.map((ds, i) => {
    const node = childNode(root, i, data);
    const line = node?.line ?? 1;
    if (typeof ds !== 'object' || ds === null || Array.isArray(ds)) r.fail(`each play must be a mapping, got ${describe(ds)}`, line);
    return parsePlay(r, tasks, ds as Record<string, unknown>, node, line);
  });
  return { file, plays };
}

/** Reads the file, then parsePlaybook. A missing file is a PlaybookError too. */
export async function loadPlaybook(file: string, modules: ModuleCatalogue): Promise<Playbook> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new PlaybookError(`cannot read the playbook: ${(e as Error).message}`, file);
  }
  return parsePlaybook(text, file, modules);
}

function loadYaml(text: string, file: string): ReturnType<typeof loadYamlWithLines> {
  try {
    return loadYamlWithLines(text, file);
  } catch (e) {
    // The inventory's loader throws its ParseError; the message after `file:line: ` is js-yaml's.
    if (e instanceof ParseError && !(e instanceof PlaybookError)) {
      const prefix = `${file}${e.line ? `:${e.line}` : ''}: `;
      const reason = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
      throw new PlaybookError(reason.split('\n')[0]!, file, e.line);
    }
    throw e;
  }
}

function parsePlay(r: FieldReader, tasks: TaskParser, ds: Record<string, unknown>, node: PosNode | undefined, line: number): Play {
  const f = new Map<string, Field>();
  for (const [key, value] of Object.entries(ds)) {
    const field: Field = { key, value, node: childNode(node, key, ds), line: keyNode(node, key)?.line ?? line };
    if (!(PLAY_KEYWORDS as readonly string[]).includes(key)) {
      const why = unsupportedPlayKeyword(key);
      if (why) r.fail(why, field.line);
      const hint = closest(key, PLAY_KEYWORDS);
      r.fail(`unknown play keyword '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`, field.line);
    }
    f.set(key, field);
  }
  const get = <T>(key: string, read: (field: Field) => T, fallback: T): T => (f.has(key) ? read(f.get(key)!) : fallback);

  const hosts = f.get('hosts');
  if (!hosts || hosts.value === null || hosts.value === '') r.fail("the play has no hosts: the field 'hosts' is required", hosts?.line ?? line);
  const pattern = hostPattern(r, hosts);
  const vars = get('vars', (x) => r.mapping(x), {});
  if (f.has('vars')) r.templates(f.get('vars')!);
  const becomeMethod = get('become_method', (x) => r.string(x), 'sudo');
  if (becomeMethod !== 'sudo') r.fail(`become_method: only sudo is supported, got '${becomeMethod}'`, f.get('become_method')!.line);
  const strategy = get('strategy', (x) => r.string(x), 'linear');
  if (strategy !== 'linear' && strategy !== 'free') r.fail(`strategy must be linear or free, got '${strategy}'`, f.get('strategy')!.line);
  const tags = get('tags', (x) => r.tags(x), []);

  const inherited: Inherited = {
    when: [],
    tags,
    become: get('become', (x) => r.bool(x), false),
    becomeUser: get('become_user', (x) => r.optString(x), undefined),
    ignoreErrors: get('ignore_errors', (x) => r.bool(x), false),
    // Play vars stay on the play: the engine layers them under task vars with the inventory's.
    vars: {},
  };
  const name = get('name', (x) => r.optString(x), undefined);
  return {
    line,
    name: name ?? pattern,
    hosts: pattern,
    vars,
    become: inherited.become,
    becomeUser: inherited.becomeUser,
    becomeMethod: 'sudo',
    gatherFacts: get('gather_facts', (x) => r.bool(x), true),
    tags,
    serial: get('serial', (x) => serial(r, x), undefined),
    anyErrorsFatal: get('any_errors_fatal', (x) => r.bool(x), false),
    ignoreErrors: inherited.ignoreErrors,
    strategy,
    preTasks: get('pre_tasks', (x) => tasks.items(x, inherited), []),
    tasks: get('tasks', (x) => tasks.items(x, inherited), []),
    postTasks: get('post_tasks', (x) => tasks.items(x, inherited), []),
  };
}

/** A pattern string, or a list of patterns joined with ',' as Ansible does. */
function hostPattern(r: FieldReader, f: Field): string {
  if (Array.isArray(f.value)) {
    const parts = f.value.map((p, i) => {
      if (typeof p !== 'string' && typeof p !== 'number') r.fail(`hosts must be a pattern or a list of patterns, got ${describe(p)}`, childNode(f.node, i, f.value)?.line ?? f.line);
      return String(p).trim();
    });
    if (!parts.length || parts.some((p) => !p)) r.fail('hosts: an empty pattern', f.line);
    return parts.join(',');
  }
  return r.string(f).trim();
}

/** An int (0 means all hosts at once, as in Ansible) or a percentage string. */
function serial(r: FieldReader, f: Field): Serial | undefined {
  const v = f.value;
  if (v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { kind: 'count', count: v };
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    if (m && Number(m[1]) > 0 && Number(m[1]) <= 100) return { kind: 'percent', percent: Number(m[1]) };
    if (/^\s*\d+\s*$/.test(v)) return { kind: 'count', count: Number(v) };
  }
  return r.fail(`serial must be a number of hosts or a percentage like '30%', got ${describe(v)}`, f.line);
}

/**
 * Hosts per batch for `serial`, as Ansible computes it: a percentage of the
 * play's hosts rounded down but at least 1; none or 0 means all at once.
 */
export function serialBatchSize(serial: Serial | undefined, hostCount: number): number {
  if (!serial || (serial.kind === 'count' && serial.count === 0)) return Math.max(hostCount, 1);
  if (serial.kind === 'count') return serial.count;
  return Math.max(1, Math.floor((serial.percent / 100) * hostCount));
}
