import type { TaskStatus } from './phases.js';

/** Ansible's PLAY RECAP counts for one host: one per task result. */
export interface TaskCounts {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export function emptyTaskCounts(): TaskCounts {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/** Copy-on-write, so the UI store can keep old states. Ansible counts a changed task in `ok` too. */
export function addTaskStatus(c: TaskCounts, status: TaskStatus | 'ignored'): TaskCounts {
  switch (status) {
    case 'ok':
      return { ...c, ok: c.ok + 1 };
    case 'changed':
      return { ...c, ok: c.ok + 1, changed: c.changed + 1 };
    case 'ignored':
      return { ...c, ok: c.ok + 1, ignored: c.ignored + 1 };
    default:
      return { ...c, [status]: c[status] + 1 };
  }
}
