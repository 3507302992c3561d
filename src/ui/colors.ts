import type { HeadlineTone } from '../engine/run-summary.js';
import type { Verdict } from '../tasks/probe-outcome.js';
import type { RecapTone } from '../report/tally.js';

/** Ink colour names for verdicts: the same meaning as the plain renderer's tones. */
export const VERDICT_COLOR: Record<Verdict, string> = {
  ok: 'green',
  blocked: 'red',
  exposed: 'yellow',
  error: 'magenta',
};

export const RECAP_COLOR: Record<RecapTone, string> = { ok: 'green', bad: 'red', warn: 'yellow', dim: 'gray' };

export const HEADLINE_COLOR: Record<HeadlineTone, string> = { ok: 'green', bad: 'red', warn: 'yellow' };
