import type { Expr } from './expr-ast.js';

/**
 * A playbook as the engine consumes it. Inheritance is already applied:
 * a task's `when`, `tags`, `become`, `become_user`, `ignore_errors` and
 * `vars` include what its play and enclosing blocks said, so the engine
 * reads one task and never walks up. Blocks stay in the tree because
 * `rescue` and `always` decide what runs after a failure.
 *
 * Strings may hold `{{ }}` templates (already syntax-checked); the engine
 * renders them per host with renderTemplate.
 */
export interface Playbook {
  file: string;
  plays: Play[];
}

/** A parsed `when`-style expression and where it was written. */
export interface Condition {
  /** As written (without the `{{ }}` Ansible tolerates around it). */
  src: string;
  ast: Expr;
  line: number;
}

/** `serial:` a batch size, or a percentage of the play's hosts. */
export type Serial = { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

export interface Play {
  line: number;
  /** `name:`, else the hosts pattern, as Ansible names an unnamed play. */
  name: string;
  /** Host patterns joined with ',' (a YAML list of patterns is joined too). */
  hosts: string;
  vars: Record<string, unknown>;
  become: boolean;
  becomeUser: string | undefined;
  /** Only sudo is supported. */
  becomeMethod: 'sudo';
  gatherFacts: boolean;
  /** The play's own tags (its tasks' `tags` already include them). */
  tags: string[];
  serial: Serial | undefined;
  anyErrorsFatal: boolean;
  ignoreErrors: boolean;
  strategy: 'linear' | 'free';
  preTasks: Item[];
  tasks: Item[];
  postTasks: Item[];
}

export type Item = Task | Block;

export interface Block {
  kind: 'block';
  line: number;
  name: string | undefined;
  /** The block's own keywords; its tasks already carry them. */
  when: Condition[];
  tags: string[];
  block: Item[];
  rescue: Item[];
  always: Item[];
}

export interface Task {
  kind: 'task';
  line: number;
  name: string | undefined;
  /** The module key as written (`ansible.builtin.command`): Ansible lists an unnamed task by it. */
  action: string;
  /** Short module name from the catalogue (`command`). */
  module: string;
  /**
   * Arguments as written (`args:` merged under the module's own), validated
   * with the module's schema. A free-form `command: echo hi` arrives as
   * `{ argv: ['echo', 'hi'] }`, `shell: echo hi` as `{ cmd: 'echo hi' }`.
   */
  args: Record<string, unknown>;
  /** Inherited conditions first (play-level none, then outer blocks), then the task's own; all must hold. */
  when: Condition[];
  /** Effective tags: play + blocks + own, sorted, unique. */
  tags: string[];
  register: string | undefined;
  become: boolean;
  becomeUser: string | undefined;
  ignoreErrors: boolean;
  /** All must hold (Ansible ANDs a list) for the task to count as changed; undefined: the module decides. */
  changedWhen: Condition[] | undefined;
  /** All must hold for the task to fail (Ansible ANDs a list); undefined: the module decides. */
  failedWhen: Condition[] | undefined;
  /** true: always check mode; false: never; undefined: as the run says. */
  checkMode: boolean | undefined;
  /** Block vars then task vars (the task's win). */
  vars: Record<string, unknown>;
  /** A list, or one `{{ }}` template that must render to a list. Each item is `item`. */
  loop: unknown[] | string | undefined;
  noLog: boolean;
  /** Run on the controller instead of the host. */
  delegateTo: 'localhost' | undefined;
}
