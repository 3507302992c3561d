import type { Scope } from './expr-eval.js';
import { ExprEvalError } from './expr-errors.js';
import { Undefined } from './python-values.js';
import { containsTemplate, renderValue } from './template-render.js';

export type Vars = Readonly<Record<string, unknown>>;

export interface EvalOptions {
  /**
   * Names whose values were written by the user (inventory, group_vars,
   * play/block/task `vars:`): a `{{ }}` inside is rendered when the name is
   * read, as Ansible templates variables lazily (`a: "{{ b }}"` makes `a`
   * worth `b`). Every other name holds data (registered results, facts,
   * `item`) that is never rendered, as Ansible marks it unsafe: text a host
   * printed must not become a template. Default: none, the safe side.
   */
  templated?: ReadonlySet<string>;
}

/** Variable lookups for one evaluation: own keys only, lazy rendering, loop detection. */
export class VarScope implements Scope {
  private readonly rendered = new Map<string, unknown>();
  private readonly resolving: string[] = [];

  constructor(
    private readonly vars: Vars,
    private readonly opts: EvalOptions = {},
  ) {}

  lookup(name: string): unknown {
    // Object.hasOwn: `__proto__`, `constructor` and friends are never reachable.
    if (!Object.hasOwn(this.vars, name)) return new Undefined(name);
    const raw = this.vars[name];
    if (!this.opts.templated?.has(name) || !containsTemplate(raw)) return raw;
    if (this.rendered.has(name)) return this.rendered.get(name);
    if (this.resolving.includes(name)) {
      throw new ExprEvalError(`recursive loop detected in template: ${[...this.resolving, name].join(' -> ')}`);
    }
    this.resolving.push(name);
    try {
      const value = renderValue(raw, this);
      this.rendered.set(name, value);
      return value;
    } finally {
      this.resolving.pop();
    }
  }
}
