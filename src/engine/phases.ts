/**
 * The sweep's phases and a host's state in it: the vocabulary events, the
 * result and the run summary share. Its own file so result.ts and
 * run-summary.ts need not import events.ts, which imports the result
 * (the run-end event carries it).
 */
export type Phase = 'connect' | 'facts' | 'listen' | 'probe' | 'outbound' | 'cleanup';
export const PHASES: readonly Phase[] = ['connect', 'facts', 'listen', 'probe', 'outbound', 'cleanup'];

/** Where a host is. 'done' and the failure states are final. */
export type HostState = 'pending' | Phase | 'done' | 'unreachable' | 'failed';
