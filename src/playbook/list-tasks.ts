import { selectedByTags, type TagFilter } from './tags.js';
import type { Item, Playbook, Task } from './types.js';

/**
 * What `--list-tasks` shows: per play, the tasks that would run with these
 * tags, in order (pre_tasks, tasks, post_tasks; a block's own tasks, not its
 * rescue or always, which run only on failure), named as Ansible names them.
 */
export interface TaskListing {
  plays: { index: number; hosts: string; name: string; tags: string[]; tasks: { name: string; tags: string[] }[] }[];
}

/** Ansible's Task.get_name(): the name, or the module key as written. */
export function taskDisplayName(t: Task): string {
  return t.name ?? t.action;
}

export function listTasks(playbook: Playbook, filter: TagFilter = {}): TaskListing {
  const collect = (items: Item[], out: Task[]): Task[] => {
    for (const i of items) {
      if (i.kind === 'block') collect(i.block, out);
      else if (selectedByTags(i.tags, filter)) out.push(i);
    }
    return out;
  };
  return {
    plays: playbook.plays.map((p, n) => ({
      index: n + 1,
      hosts: p.hosts,
      name: p.name,
      tags: [...new Set(p.tags)].sort(),
      tasks: collect([...p.preTasks, ...p.tasks, ...p.postTasks], []).map((t) => ({ name: taskDisplayName(t), tags: t.tags })),
    })),
  };
}

/** The text ansible-playbook 2.14 prints for --list-tasks (tabs included). */
export function formatTaskListing(file: string, listing: TaskListing): string {
  const tags = (t: readonly string[]): string => `TAGS: [${t.join(', ')}]`;
  let out = `\nplaybook: ${file}\n`;
  for (const p of listing.plays) {
    out += `\n  play #${p.index} (${p.hosts}): ${p.name}\t${tags(p.tags)}\n    tasks:\n`;
    for (const t of p.tasks) out += `      ${t.name}\t${tags(t.tags)}\n`;
  }
  return out;
}
