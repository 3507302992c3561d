/**
 * The sweep's phases, a host's state, a task's status: the vocabulary
 * events, the result, the run summary and the task counts share. Its own
 * file so result.ts and run-summary.ts need not import events.ts, which
 * imports the result (the run-end event carries it).
 */

/** What a host is doing: the sweep's steps, or `task` for any other module. */
export type Phase = 'connect' | 'facts' | 'listen' | 'probe' | 'outbound' | 'cleanup' | 'task';
export const PHASES: readonly Phase[] = ['connect', 'facts', 'listen', 'probe', 'outbound', 'cleanup', 'task'];

/** Where a host is. 'done' and the failure states are final. */
export type HostState = 'pending' | Phase | 'done' | 'unreachable' | 'failed';

/** A task's end on one host, in Ansible's words. */
export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';
