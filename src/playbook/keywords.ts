/**
 * Keywords we read, and Ansible keywords we knowingly refuse (each with the
 * reason and what to write instead). Anything else in a task is taken for a
 * module name. Lists from Ansible 2.14's playbook keyword reference.
 */

export const PLAY_KEYWORDS = [
  'name',
  'hosts',
  'vars',
  'become',
  'become_user',
  'become_method',
  'gather_facts',
  'tasks',
  'pre_tasks',
  'post_tasks',
  'tags',
  'serial',
  'any_errors_fatal',
  'ignore_errors',
  'strategy',
] as const;

export const TASK_KEYWORDS = [
  'name',
  'when',
  'tags',
  'register',
  'become',
  'become_user',
  'ignore_errors',
  'changed_when',
  'failed_when',
  'check_mode',
  'vars',
  'loop',
  'no_log',
  'delegate_to',
  'args',
] as const;

export const BLOCK_KEYWORDS = ['name', 'when', 'tags', 'become', 'become_user', 'ignore_errors', 'vars', 'block', 'rescue', 'always'] as const;

const HANDLERS = 'handlers are not supported: ece-preflight runs no handlers; put the step in post_tasks, or in an always: section of a block';

export const UNSUPPORTED_PLAY: Readonly<Record<string, string>> = {
  handlers: HANDLERS,
  vars_files: "vars_files is not supported: put the variables under the play's vars:, or in the inventory's group_vars/ and host_vars/",
  environment: 'environment is not supported: ece-preflight does not change the environment of remote commands',
  roles: 'roles are not supported: put the tasks in the play',
  import_playbook: 'import_playbook is not supported: pass each playbook on its own',
  vars_prompt: 'vars_prompt is not supported: pass variables with the inventory or -e',
  connection: 'connection is not supported: the inventory decides how each host is reached (ansible_connection)',
  remote_user: "remote_user is not supported here: set ansible_user in the inventory",
};

const UNSUPPORTED_PLAY_KEYWORDS = [
  'become_exe',
  'become_flags',
  'check_mode',
  'collections',
  'debugger',
  'diff',
  'fact_path',
  'force_handlers',
  'gather_subset',
  'gather_timeout',
  'ignore_unreachable',
  'max_fail_percentage',
  'module_defaults',
  'no_log',
  'order',
  'port',
  'run_once',
  'throttle',
  'timeout',
];

export const UNSUPPORTED_TASK: Readonly<Record<string, string>> = {
  notify: HANDLERS,
  environment: UNSUPPORTED_PLAY['environment']!,
  loop_control: 'loop_control is not supported: the loop variable is always item',
  until: 'until/retries/delay are not supported',
  retries: 'until/retries/delay are not supported',
  delay: 'until/retries/delay are not supported',
  local_action: 'local_action is not supported: write the module as usual with delegate_to: localhost',
  action: 'action: is not supported: write the module name as the key (command: ...)',
  include_tasks: 'include_tasks is not supported: put the tasks in the play',
  import_tasks: 'import_tasks is not supported: put the tasks in the play',
  include_role: 'include_role is not supported: put the tasks in the play',
  import_role: 'import_role is not supported: put the tasks in the play',
  include_vars: "include_vars is not supported: put the variables under vars:, or in the inventory's group_vars/",
  connection: UNSUPPORTED_PLAY['connection']!,
  remote_user: UNSUPPORTED_PLAY['remote_user']!,
};

const UNSUPPORTED_TASK_KEYWORDS = [
  'any_errors_fatal',
  'async',
  'become_exe',
  'become_flags',
  'become_method',
  'collections',
  'debugger',
  'delegate_facts',
  'diff',
  'ignore_unreachable',
  'module_defaults',
  'poll',
  'port',
  'run_once',
  'throttle',
  'timeout',
];

/** Why an Ansible play keyword is refused, or undefined if it is not one. */
export function unsupportedPlayKeyword(key: string): string | undefined {
  if (Object.hasOwn(UNSUPPORTED_PLAY, key)) return UNSUPPORTED_PLAY[key];
  if (UNSUPPORTED_PLAY_KEYWORDS.includes(key)) return `the play keyword '${key}' is not supported by ece-preflight`;
  return undefined;
}

/** Why an Ansible task or block keyword is refused, or undefined if it is not one. */
export function unsupportedTaskKeyword(key: string): string | undefined {
  if (Object.hasOwn(UNSUPPORTED_TASK, key)) return UNSUPPORTED_TASK[key];
  if (/^with_[a-z_]+$/.test(key)) return `${key} is not supported: use loop: with a list`;
  if (UNSUPPORTED_TASK_KEYWORDS.includes(key)) return `the task keyword '${key}' is not supported by ece-preflight`;
  return undefined;
}
