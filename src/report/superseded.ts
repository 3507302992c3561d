import type { SupersededRound } from '../engine/run-records.js';
import { tallyOf } from './tally.js';

/**
 * One line for an earlier round of checks that a later task of the same run
 * probed again (a sweep, a firewall change, a sweep again): what that round
 * found. Its results are not counted; the plain output, Markdown and HTML
 * say it with the same words.
 */
export function supersededText(r: SupersededRound): string {
  const t = tallyOf(r.verdicts);
  return `${r.task}: ${r.checks} earlier results of the same checks replaced (then: ${t.failed} failed, ${t.exposed} exposed, ${t.ok} ok); each check counts once, with its latest result`;
}

export const SUPERSEDED_TITLE = 'Replaced by a later task';
