/**
 * Ansible's tag selection (playbook/taggable.py evaluate_tags), which users
 * know from --tags/--skip-tags:
 * - no --tags means `all`, and `all` takes every task except those tagged `never`;
 * - `always` runs whatever --tags says, unless --skip-tags names `always`;
 * - `never` runs only when one of its other tags (or `never`) is asked for;
 * - `tagged` / `untagged` take the tasks with / without tags;
 * - a task without tags is tagged `untagged`.
 * Task tags are the effective ones (play and blocks included).
 */
export interface TagFilter {
  /** --tags; empty or absent means `all`. */
  tags?: readonly string[];
  /** --skip-tags. */
  skipTags?: readonly string[];
}

export function selectedByTags(taskTags: readonly string[], filter: TagFilter): boolean {
  const only = filter.tags?.length ? filter.tags : ['all'];
  const skip = filter.skipTags ?? [];
  const tags = new Set(taskTags.length ? taskTags : ['untagged']);
  const untagged = taskTags.length === 0;
  const meets = (list: readonly string[]): boolean => list.some((t) => tags.has(t));

  let run =
    tags.has('always') ||
    (only.includes('all') && !tags.has('never')) ||
    meets(only) ||
    (only.includes('tagged') && !untagged && !tags.has('never'));
  if (run && skip.length) {
    if (skip.includes('all')) {
      // --skip-tags all still runs `always` tasks, unless `always` is skipped too.
      if (!tags.has('always') || skip.includes('always')) run = false;
    } else if (meets(skip)) run = false;
    else if (skip.includes('tagged') && !untagged) run = false;
  }
  return run;
}
