import type { Item, Play, Playbook } from './types.js';

/** Whether a play runs any of `modules` (in any task list, block, rescue or always). Pure. */
export function playUses(play: Play, modules: ReadonlySet<string>): boolean {
  return [...play.preTasks, ...play.tasks, ...play.postTasks].some(function uses(i: Item): boolean {
    return i.kind === 'task' ? modules.has(i.module) : [...i.block, ...i.rescue, ...i.always].some(uses);
  });
}

export function playbookUses(playbook: Playbook, modules: ReadonlySet<string>): boolean {
  return playbook.plays.some((p) => playUses(p, modules));
}
