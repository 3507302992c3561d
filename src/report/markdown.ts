import type { RunResult } from '../engine/result.js';
import { printable } from './printable.js';
import { ROLES } from '../model/roles.js';
import { failuresOf, pathName, type Failure } from './failures.js';
import { countText, FINDING_COLUMNS, findingRow, findingsOf } from './findings.js';
import { buildRoleMatrix, formatCell, usedRows } from './matrix.js';
import { factCells, FACT_COLUMNS, formatDuration, headline, listenerCell, noFailuresText, roleCountsOf, summaryOf } from './summary.js';
import { formatTally, tallyOf } from './tally.js';
import { changesSince, diffRows, isEmptyDiff } from '../state/run-diff.js';
import { SUPERSEDED_TITLE, supersededText } from './superseded.js';

/**
 * A Markdown report for tickets and pull requests: the headline, role
 * matrix, findings grouped as the live panel groups them (one per rule and
 * destination, with its ports and sources) and then every path behind them
 * with its hint, warnings, and per-host facts. Text from
 * inventories and hosts is escaped: GitHub renders inline HTML.
 */
export function md(s: string): string {
  return printable(s.replace(/\r?\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1');
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]): string[] => [row(head), row(head.map(() => '---')), ...rows.map(row)];

function failureTable(failures: Failure[]): string[] {
  return table(
    ['verdict', 'path', 'observed', 'hint'],
    failures.map((f) => [
      f.verdict.toUpperCase(),
      md(pathName(f.source, f.destination, f.port)),
      md(`${f.outcome}${f.detail ? ` (${f.detail})` : ''}, ${f.ms} ms${f.retried ? ', retried' : ''}`),
      md(f.hint ?? ''),
    ]),
  );
}

/** One row per finding (rule, destination, outcome), then every path behind them in a second table. */
function findingsAndPaths(failures: Failure[], what: string): string[] {
  const groups = findingsOf(failures);
  return [
    ...table([...FINDING_COLUMNS], groups.map((g) => { const r = findingRow(g); return FINDING_COLUMNS.map((c) => md(r[c])); })),
    '',
    `### Every ${what} path (${failures.length})`,
    '',
    ...failureTable(failures),
  ];
}

/** "Changes since the last run": hosts, roles, addresses, paths newly failing and fixed against the previous saved run. */
function changesSection(previous: RunResult, result: RunResult): string[] {
  const d = changesSince(previous, result);
  return [
    '## Changes since the last run',
    '',
    `Compared with the run started ${md(previous.startedAt)} (ece-preflight ${md(previous.tool.version)}).`,
    '',
    ...d.notes.map((n) => `- note: ${md(n)}`),
    ...(d.notes.length ? [''] : []),
    ...(isEmptyDiff(d)
      ? ['No change: same hosts, roles, addresses and verdicts.']
      : table(['change', 'host or path', 'before', 'after'], diffRows(d).map((r) => [r.change, md(r.subject), md(r.before), md(r.after)]))),
    '',
  ];
}

/** `previous`: the last saved run before this one, when the run history has one (the report then says what changed since). */
export function renderMarkdown(result: RunResult, previous?: RunResult): string {
  const matrix = buildRoleMatrix(result.hosts, result.checks);
  const failures = failuresOf(result);
  const summary = summaryOf(result);
  const head = headline(result);
  const t = result.totals;
  const out: string[] = [
    `# ece-preflight report: ${md(result.inventory)}`,
    '',
    `**${md(head.text)}**`,
    '',
    ...(head.hostLines.length ? [`Not checked (${head.hostLines.length} hosts):`, '', ...head.hostLines.map((l) => `- ${md(l)}`), ''] : []),
    ...(head.checkLines.length ? [`Host checks that did not pass (${head.checkLines.length}):`, '', ...head.checkLines.map((l) => `- ${md(l)}`), ''] : []),
    `- ${formatTally(tallyOf(t))} (blocked ${t.blocked}, error ${t.error}); exit code ${result.exitCode}`,
    `- ${result.hosts.length} hosts (${roleCountsOf(result)})`,
    `- started ${result.startedAt}, took ${formatDuration(result.durationMs)}${result.interrupted ? ', **interrupted**: results are partial' : ''}`,
    `- ece-preflight ${md(result.tool.version)}, catalog ${md(result.catalogVersion)}; listeners tested the host network path, not Docker's port mapping (rancher/rke#608)`,
    '',
    ...(previous ? changesSection(previous, result) : []),
    '## Role matrix',
    '',
    'Rows are sources, columns destinations; `external` is the controller standing in for clients and admins. A host with several roles counts in each.',
    '',
    ...table(
      ['from \\\\ to', ...ROLES],
      usedRows(matrix).map((src) => [`**${src}**`, ...ROLES.map((dst) => formatCell(matrix[src][dst]))]),
    ),
    '',
  ];
  // Exposures apart from failures: they fail the run only with --fail-on-exposed.
  const failing = failures.filter((f) => f.verdict !== 'exposed' || summary.exposuresFail);
  const exposures = failures.filter((f) => f.verdict === 'exposed' && !summary.exposuresFail);
  out.push(failing.length === 0 ? '## Failures (0)' : `## Failures (${countText(failing.length, findingsOf(failing).length)})`, '');
  out.push(...(failing.length === 0 ? [noFailuresText(summary)] : findingsAndPaths(failing, 'failing')));
  if (exposures.length > 0) {
    out.push('', `## Exposures (${countText(exposures.length, findingsOf(exposures).length)}; warnings)`, '', 'Local-only ports that answered from another host; `--fail-on-exposed` makes them fail the run.', '');
    out.push(...findingsAndPaths(exposures, 'exposed'));
  }
  if (result.superseded?.length) {
    out.push('', `## ${SUPERSEDED_TITLE}`, '', ...result.superseded.map((r) => `- ${md(r.play)}: ${md(supersededText(r))}`));
  }
  if (result.warnings.length > 0) {
    out.push('', '## Warnings', '', ...result.warnings.map((w) => `- ${w.host ? `[${md(w.host)}] ` : ''}${md(w.code)}: ${md(w.message)}`));
  }
  out.push(
    '',
    '## Hosts',
    '',
    ...table(
      ['host', 'address', 'ssh target', 'roles', 'state', 'listeners', ...FACT_COLUMNS],
      result.hosts.map((h) => [
        md(h.name),
        md(h.address),
        md(h.ssh ?? ''),
        md(h.roles.join(', ')),
        md(h.state + (h.error ? `: ${h.error}` : '')),
        md(listenerCell(h)),
        ...factCells(h.facts).map(md),
      ]),
    ),
    '',
  );
  return out.join('\n');
}
