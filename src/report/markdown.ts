import type { RunResult } from '../engine/result.js';
import { ROLES } from '../model/roles.js';
import { failuresOf, pathName } from './failures.js';
import { buildRoleMatrix, formatCell, usedRows } from './matrix.js';
import { factCells, FACT_COLUMNS, formatDuration, headline, listenerCell, roleCountsOf } from './summary.js';

/**
 * A Markdown report for tickets and pull requests: summary, role matrix,
 * every failure with its hint, warnings, and per-host facts. Text from
 * inventories and hosts is escaped: GitHub renders inline HTML.
 */
export function md(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1');
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]): string[] => [row(head), row(head.map(() => '---')), ...rows.map(row)];

export function renderMarkdown(result: RunResult): string {
  const matrix = buildRoleMatrix(result.hosts, result.probes);
  const failures = failuresOf(result);
  const down = result.hosts.filter((h) => h.state === 'unreachable' || h.state === 'failed');
  const t = result.totals;
  const out: string[] = [
    `# ece-preflight report: ${md(result.inventory)}`,
    '',
    `- **${headline(result)}** (ok ${t.ok}, blocked ${t.blocked}, exposed ${t.exposed}, error ${t.error}, skipped ${t.skipped}); exit code ${result.exitCode}`,
    `- ${result.hosts.length} hosts (${roleCountsOf(result)})${down.length ? `; not swept: ${down.map((h) => `${md(h.name)} (${h.state})`).join(', ')}` : ''}`,
    `- started ${result.startedAt}, took ${formatDuration(result.durationMs)}${result.interrupted ? ', **interrupted**: results are partial' : ''}`,
    `- ece-preflight ${md(result.tool.version)}, catalog ${md(result.catalogVersion)}; listeners tested the host network path, not Docker's port mapping (rancher/rke#608)`,
    '',
    '## Role matrix',
    '',
    'Rows are sources, columns destinations; `external` is the controller standing in for clients and admins. A host with several roles counts in each.',
    '',
    ...table(
      ['from \\\\ to', ...ROLES],
      usedRows(matrix).map((src) => [`**${src}**`, ...ROLES.map((dst) => formatCell(matrix[src][dst]))]),
    ),
    '',
    `## Failures (${failures.length})`,
    '',
  ];
  if (failures.length === 0) out.push('None: every required path is open and nothing that must be closed answered.');
  else {
    out.push(
      ...table(
        ['verdict', 'path', 'observed', 'hint'],
        failures.map((f) => [
          f.verdict.toUpperCase(),
          md(pathName(f.source, f.destination, f.port)),
          md(`${f.outcome}${f.detail ? ` (${f.detail})` : ''}, ${f.ms} ms${f.retried ? ', retried' : ''}`),
          md(f.hint ?? ''),
        ]),
      ),
    );
  }
  if (result.warnings.length > 0) {
    out.push('', '## Warnings', '', ...result.warnings.map((w) => `- ${w.host ? `[${md(w.host)}] ` : ''}${md(w.code)}: ${md(w.message)}`));
  }
  out.push(
    '',
    '## Hosts',
    '',
    ...table(
      ['host', 'address', 'roles', 'state', 'listeners', ...FACT_COLUMNS],
      result.hosts.map((h) => [
        md(h.name),
        md(h.address),
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
