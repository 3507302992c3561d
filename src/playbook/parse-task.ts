import type { PosNode } from '../inventory/yaml-positions.js';
import { BLOCK_KEYWORDS, TASK_KEYWORDS, unsupportedTaskKeyword } from './keywords.js';
import type { ModuleCatalogue, ModuleSchema } from './module-schema.js';
import { moduleArgs } from './parse-module-args.js';
import { describe, type Field, type FieldReader } from './parse-fields.js';
import { closest } from './suggest.js';
import { hasTemplate } from './template-parse.js';
import type { Block, Condition, Item, Task } from './types.js';
import { childNode, keyNode } from './yaml-nodes.js';

/** What a task inherits from its play and enclosing blocks (Ansible's parent chain). */
export interface Inherited {
  when: Condition[];
  tags: string[];
  become: boolean;
  becomeUser: string | undefined;
  ignoreErrors: boolean;
  vars: Record<string, unknown>;
}

const MODULE_PREFIXES = ['ansible.builtin.', 'ece.'];

export function shortModuleName(key: string): string {
  const p = MODULE_PREFIXES.find((x) => key.startsWith(x));
  return p ? key.slice(p.length) : key;
}

export class TaskParser {
  constructor(
    private readonly r: FieldReader,
    private readonly modules: ModuleCatalogue,
  ) {}

  /** A `tasks:`-style list. */
  items(list: Field, inherited: Inherited): Item[] {
    const values = this.r.list(list);
    return values.map((v, i) => {
      const node = childNode(list.node, i, values);
      const line = node?.line ?? list.line;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return this.r.fail(`each entry of ${list.key} must be a task (a mapping), got ${describe(v)}`, line);
      }
      const ds = v as Record<string, unknown>;
      return Object.hasOwn(ds, 'block') ? this.block(ds, node, line, inherited) : this.task(ds, node, line, inherited);
    });
  }

  private fields(ds: Record<string, unknown>, node: PosNode | undefined, line: number): Map<string, Field> {
    const out = new Map<string, Field>();
    for (const [key, value] of Object.entries(ds)) {
      out.set(key, { key, value, node: childNode(node, key, ds), line: keyNode(node, key)?.line ?? line });
    }
    return out;
  }

  private block(ds: Record<string, unknown>, node: PosNode | undefined, line: number, outer: Inherited): Block {
    const f = this.fields(ds, node, line);
    for (const [key, field] of f) {
      if ((BLOCK_KEYWORDS as readonly string[]).includes(key)) continue;
      const why = unsupportedTaskKeyword(key);
      if (why) this.r.fail(why, field.line);
      const hint = closest(key, BLOCK_KEYWORDS);
      this.r.fail(`unknown block keyword '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}: a block holds tasks, not a module`, field.line);
    }
    const when = f.has('when') ? this.r.conditions(f.get('when')!) : [];
    const tags = f.has('tags') ? this.r.tags(f.get('tags')!) : [];
    if (f.has('vars')) this.r.templates(f.get('vars')!);
    const inner = this.inherit(outer, f, when, tags);
    return {
      kind: 'block',
      line,
      name: this.r.optString(f.get('name')),
      when,
      tags,
      block: this.items(f.get('block')!, inner),
      rescue: f.has('rescue') ? this.items(f.get('rescue')!, inner) : [],
      always: f.has('always') ? this.items(f.get('always')!, inner) : [],
    };
  }

  private inherit(outer: Inherited, f: Map<string, Field>, when: Condition[], tags: string[]): Inherited {
    return {
      when: [...outer.when, ...when],
      tags: [...outer.tags, ...tags],
      become: f.has('become') ? this.r.bool(f.get('become')!) : outer.become,
      becomeUser: f.has('become_user') ? this.r.optString(f.get('become_user')) : outer.becomeUser,
      ignoreErrors: f.has('ignore_errors') ? this.r.bool(f.get('ignore_errors')!) : outer.ignoreErrors,
      vars: f.has('vars') ? { ...outer.vars, ...this.r.mapping(f.get('vars')!) } : outer.vars,
    };
  }

  private task(ds: Record<string, unknown>, node: PosNode | undefined, line: number, outer: Inherited): Task {
    const f = this.fields(ds, node, line);
    const found: { field: Field; schema: ModuleSchema }[] = [];
    for (const [key, field] of f) {
      if ((TASK_KEYWORDS as readonly string[]).includes(key)) continue;
      if (key === 'rescue' || key === 'always') this.r.fail(`${key} without block: ${key} belongs to a block`, field.line);
      const why = unsupportedTaskKeyword(key);
      if (why) this.r.fail(why, field.line);
      const schema = this.modules.get(shortModuleName(key));
      if (schema) {
        found.push({ field, schema });
        continue;
      }
      const keyword = closest(key, TASK_KEYWORDS);
      if (keyword) this.r.fail(`unknown task keyword '${key}' (did you mean '${keyword}'?)`, field.line);
      const module = closest(shortModuleName(key), this.modules.keys());
      this.r.fail(`unknown module '${key}'${module ? ` (did you mean '${module}'?)` : ''}`, field.line);
    }
    if (found.length === 0) this.r.fail(`no module in this task: name one of ${[...this.modules.keys()].sort().join(', ')}`, line);
    if (found.length > 1) this.r.fail(`two modules in one task: '${found[0]!.field.key}' and '${found[1]!.field.key}'; a task runs one module`, found[1]!.field.line);
    const { field: moduleField, schema } = found[0]!;

    const own = this.inherit(outer, f, [], []);
    const when = f.has('when') ? this.r.conditions(f.get('when')!) : [];
    const tags = f.has('tags') ? this.r.tags(f.get('tags')!) : [];
    if (f.has('vars')) this.r.templates(f.get('vars')!);
    const name = this.r.optString(f.get('name'));
    if (f.has('name')) this.r.templates(f.get('name')!);
    return {
      kind: 'task',
      line,
      name,
      action: moduleField.key,
      module: schema.name,
      args: moduleArgs(this.r, schema, moduleField, f.get('args')),
      when: [...outer.when, ...when],
      tags: [...new Set([...outer.tags, ...tags])].sort(),
      register: this.register(f.get('register')),
      become: own.become,
      becomeUser: own.becomeUser,
      ignoreErrors: own.ignoreErrors,
      changedWhen: f.has('changed_when') ? this.r.conditions(f.get('changed_when')!) : undefined,
      failedWhen: f.has('failed_when') ? this.r.conditions(f.get('failed_when')!) : undefined,
      checkMode: f.has('check_mode') ? this.r.bool(f.get('check_mode')!) : undefined,
      vars: own.vars,
      loop: this.loop(f.get('loop')),
      noLog: f.has('no_log') ? this.r.bool(f.get('no_log')!) : false,
      delegateTo: this.delegateTo(f.get('delegate_to')),
    };
  }

  private register(f: Field | undefined): string | undefined {
    const name = this.r.optString(f);
    if (name !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      this.r.fail(`register must be a variable name (letters, digits, _), got '${name}'`, f!.line);
    }
    return name;
  }

  /** A list, or one `{{ }}` that will render to a list (`loop: "{{ groups['ece'] }}"`). */
  private loop(f: Field | undefined): unknown[] | string | undefined {
    if (!f) return undefined;
    this.r.templates(f);
    if (Array.isArray(f.value)) return f.value;
    if (typeof f.value === 'string' && /^\s*\{\{[\s\S]*\}\}\s*$/.test(f.value) && hasTemplate(f.value)) return f.value;
    return this.r.fail(`loop must be a list (or one {{ }} template that gives a list), got ${describe(f.value)}`, f.line);
  }

  private delegateTo(f: Field | undefined): 'localhost' | undefined {
    const to = this.r.optString(f);
    if (to === undefined) return undefined;
    if (to !== 'localhost') this.r.fail(`delegate_to: only localhost is supported, got '${to}'`, f!.line);
    return 'localhost';
  }
}
