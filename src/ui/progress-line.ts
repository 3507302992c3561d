import { formatElapsed } from './format.js';
import { elapsedMs, hostGapsOfRun, type RunState } from './run-store.js';

/**
 * The line plain mode prints when it has been quiet for a while: a CI log
 * that shows nothing for minutes during the probe phase looks hung (and some
 * CI systems kill a job after 10 minutes without output). Pure, from the
 * store: `[progress] TASK [Probe the ECE port matrix]: 1234/8999 checks,
 * 3 failing, 20/25 hosts, 02:14.0`. Null when no run is going on.
 */
export function progressLine(s: RunState, now: number): string | null {
  if (s.startedAt === null || s.result !== null) return null;
  const label = s.task ? `TASK [${s.task}]` : (s.phase ?? 'starting');
  const parts: string[] = [];
  const planned = s.planned.probes + s.planned.outbound;
  if (planned > 0) {
    const exposed = s.failures.filter((f) => f.verdict === 'exposed').length;
    // Exposures apart from failures, as everywhere: they fail the run only with --fail-on-exposed.
    const failing = s.failures.length - (s.exposuresFail ? 0 : exposed);
    parts.push(`${s.probesDone + s.outboundDone}/${planned} checks`, `${failing} failing`);
    if (exposed > 0 && !s.exposuresFail) parts.push(`${exposed} exposed`);
  }
  if (s.taskHosts.total > 0) parts.push(`${s.taskHosts.done}/${s.taskHosts.total} hosts`);
  const gaps = hostGapsOfRun(s).length;
  if (gaps > 0) parts.push(`${gaps} ${gaps === 1 ? 'host' : 'hosts'} not checked`);
  parts.push(formatElapsed(elapsedMs(s, now)));
  return `[progress] ${label}: ${parts.join(', ')}`;
}
