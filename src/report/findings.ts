import { groupFailures, type Failure, type FailureGroup } from './failures.js';

/**
 * Findings as the reports print them: the live panel's grouping (one per
 * rule, destination and outcome, with its ports and every source), as
 * plain cells each report escapes and lays out its own way. A report is
 * forwarded and printed, so nothing is shortened here ("+19 more" is for
 * the terminal only).
 */
export interface FindingRow {
  verdict: string;
  destination: string;
  ports: string;
  outcome: string;
  sources: string;
  rules: string;
  hint: string;
}

export const FINDING_COLUMNS: readonly (keyof FindingRow)[] = ['verdict', 'destination', 'ports', 'outcome', 'sources', 'rules', 'hint'];

export function findingRow(g: FailureGroup): FindingRow {
  return {
    verdict: g.verdict.toUpperCase(),
    destination: g.destination,
    ports: g.ports.join(', '),
    outcome: g.outcome,
    sources: `${g.sources.length}: ${g.sources.join(', ')}`,
    rules: g.rules.join(', '),
    hint: g.hint ?? '',
  };
}

/** Ranked failures (worst first) into findings, in that order. */
export function findingsOf(failures: readonly Failure[]): FailureGroup[] {
  return groupFailures(failures);
}

export const countText = (paths: number, findings: number): string =>
  `${paths} ${paths === 1 ? 'path' : 'paths'}, ${findings} ${findings === 1 ? 'finding' : 'findings'}`;
