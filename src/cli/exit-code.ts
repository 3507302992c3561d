import type { RunSummary } from '../engine/run-summary.js';
import { EXIT } from '../errors.js';

/**
 * The exit-code policy, in one place in the CLI layer (the engine is handed
 * it and never decides): it follows the run summary, so the code and the
 * headline never disagree. Interrupted 99, an unreachable host 3, a failure
 * or anything left unchecked 2 (an incomplete run never exits 0), else 0.
 * Exposures count as failures only with --fail-on-exposed (in the summary).
 */
export function exitCodeOf(summary: RunSummary): number {
  if (summary.interrupted) return EXIT.interrupted;
  if (summary.hostsNotChecked.some((h) => h.state === 'unreachable')) return EXIT.unreachable;
  return summary.status === 'passed' ? EXIT.ok : EXIT.failed;
}
