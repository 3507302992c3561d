import type { Role } from '../model/roles.js';
import { ROLES } from '../model/roles.js';
import type { Failure, FailureGroup } from '../report/failures.js';
import { pathName } from '../report/failures.js';
import type { Verdict } from '../tasks/probe-outcome.js';
import type { Tone } from './ansi.js';

/** Small text pieces shared by the plain lines and the ink components, so both read alike. */

export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

export function formatRoleCounts(counts: Record<Role, number>): string {
  return ROLES.filter((r) => counts[r] > 0)
    .map((r) => `${r} ${counts[r]}`)
    .join(', ');
}

export const VERDICT_TONE: Record<Verdict, Tone> = { ok: 'ok', blocked: 'bad', exposed: 'warn', error: 'bad' };

/** What an operator greps for: BLOCKED, EXPOSED, ERROR; ok stays lower case like Ansible's. */
export function verdictLabel(v: Verdict): string {
  return v === 'ok' ? 'ok' : v.toUpperCase();
}

/** `h3 -> h2:2112 filtered (2001 ms, retried)`: the path and what was seen. */
export function observedText(p: {
  source: string;
  destination: string;
  port: number;
  outcome: string;
  ms: number;
  retried?: boolean;
}): string {
  return `${pathName(p.source, p.destination, p.port)} ${p.outcome} (${p.ms} ms${p.retried ? ', retried' : ''})`;
}

export function failureText(f: Failure): string {
  return `${verdictLabel(f.verdict)} ${observedText(f)}`;
}

/** `a, b, +3`: the first `max` items, then how many more. */
function shortList(items: readonly (string | number)[], max: number, sep: string): string {
  const shown = items.slice(0, max).join(sep);
  return items.length > max ? `${shown}${sep}+${items.length - max}` : shown;
}

/** `BLOCKED h15:19000,19250,19500,+2 refused from 23: h1, h13, h11, h12, +19` */
export function failureGroupText(g: FailureGroup, maxSources = 4, maxPorts = 3): string {
  return `${verdictLabel(g.verdict)} ${g.destination}:${shortList(g.ports, maxPorts, ',')} ${g.outcome} from ${g.sources.length}: ${shortList(g.sources, maxSources, ', ')}`;
}
