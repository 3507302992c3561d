import type { RunResult } from '../engine/result.js';
import { ROLES } from '../model/roles.js';
import { CONTROLLER } from '../plan/types.js';
import type { Verdict } from '../tasks/probe-outcome.js';
import { failuresOf, pathName, type Failure } from './failures.js';
import { countText, FINDING_COLUMNS, findingRow, findingsOf } from './findings.js';
import { buildHostMatrix, buildRoleMatrix, formatCell, hostCell, usedRows, type HostCell, type MatrixCell } from './matrix.js';
import { factCells, FACT_COLUMNS, formatDuration, headline, listenerCell, noFailuresText, roleCountsOf, summaryOf } from './summary.js';
import { formatTally, tallyOf } from './tally.js';
import { changesSince, diffRows, isEmptyDiff } from '../state/run-diff.js';
import { escapeAttr, escapeXml as esc } from './xml-escape.js';
import { SUPERSEDED_TITLE, supersededText } from './superseded.js';

/**
 * One self-contained HTML file: inline CSS, no scripts, no external
 * resources, so it can be attached to a ticket or opened offline. Every
 * string from an inventory or a host is escaped. Findings are grouped as the
 * live panel groups them, with every path behind them in a <details> below.
 * It is forwarded and printed: nothing lives only in a hover tooltip (the
 * host matrix cells' ports are also a table), and the print stylesheet opens
 * every <details>.
 */

const CSS = `
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
body { margin: 24px 32px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.meta { color: #59636e; font-size: 13px; }
.cards { display: flex; gap: 12px; margin: 16px 0; flex-wrap: wrap; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 90px; }
.card b { display: block; font-size: 22px; }
.card span { font-size: 12px; color: #59636e; }
.tally { font-size: 14px; font-weight: 600; }
.headline { font-size: 18px; font-weight: 700; padding: 10px 14px; border-radius: 6px; border: 2px solid; }
.headline.bad { background: #ffebe9; color: #a40e26; }
.headline.warn { background: #fff8c5; color: #7d4e00; }
.headline.ok { background: #dafbe1; color: #116329; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.cell { text-align: center; white-space: nowrap; min-width: 70px; }
.hm td.cell { min-width: 34px; padding: 3px 4px; cursor: help; }
.hm th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
.ok { background: #dafbe1; color: #116329; }
.blocked { background: #ffebe9; color: #a40e26; font-weight: 600; }
.exposed { background: #fff8c5; color: #7d4e00; font-weight: 600; }
.error { background: #fbefff; color: #6e40c9; font-weight: 600; }
.none { color: #8c959f; }
.self { background: #f6f8fa; color: #8c959f; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 4px; font-size: 12px; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #0969da; font-size: 13px; }
@media print {
  body { margin: 0; }
  /* Print every detail: a closed <details> prints as its summary only. */
  details::details-content { content-visibility: visible; display: block; }
  summary { color: inherit; list-style: none; font-weight: 600; }
  .hm td.cell { cursor: auto; }
  tr, .cards, .headline { break-inside: avoid; }
  .ok, .blocked, .exposed, .error, .self, th { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.hint { color: #59636e; }
`;

const cls = (v: Verdict | null): string => v ?? 'none';

function cellTd(cell: MatrixCell | undefined, title?: string): string {
  const c = cell ?? { worst: null, counts: { ok: 0, blocked: 0, exposed: 0, error: 0 } };
  const t = title ? ` title="${escapeAttr(title)}"` : '';
  return `<td class="cell ${cls(c.worst)}"${t}>${esc(formatCell(c))}</td>`;
}

function roleMatrixTable(result: RunResult): string {
  const m = buildRoleMatrix(result.hosts, result.checks);
  const head = `<tr><th>from \\ to</th>${ROLES.map((r) => `<th>${r}</th>`).join('')}</tr>`;
  const rows = usedRows(m).map((src) => `<tr><th>${src}</th>${ROLES.map((dst) => cellTd(m[src][dst])).join('')}</tr>`);
  return `<table class="rm" id="role-matrix">${head}${rows.join('')}</table>`;
}

function hostMatrixTable(result: RunResult): string {
  const m = buildHostMatrix(result.hosts, result.checks);
  const head = `<tr><th>from \\ to</th>${m.destinations.map((d) => `<th class="col">${esc(d)}</th>`).join('')}</tr>`;
  const rows = m.sources.map((src) => {
    const label = src === CONTROLLER ? `${CONTROLLER} (external)` : src;
    const cells = m.destinations.map((dst) => {
      if (src === dst) return '<td class="cell self">—</td>';
      const cell = hostCell(m, src, dst);
      if (!cell) return '<td class="cell none">·</td>';
      return cellTd(cell, `${src} → ${dst}\n${entryLines(cell).join('\n')}`);
    });
    return `<tr><th>${esc(label)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="hm" id="host-matrix">${head}${rows.join('')}</table>`;
}

/** The ports and outcomes behind a host matrix cell, one per line (tooltip and table alike). */
function entryLines(cell: HostCell): string[] {
  return cell.entries.map((e) => `${e.port} ${e.outcome}${e.verdict === 'ok' ? '' : ` → ${e.verdict}`}${e.expect === 'closed' ? ' (must be closed)' : ''}`);
}

/** What the host matrix tooltips say, as a table: a printed page has no hover. */
function hostPairsTable(result: RunResult): string {
  const m = buildHostMatrix(result.hosts, result.checks);
  const rows: string[] = [];
  for (const src of m.sources) {
    for (const dst of m.destinations) {
      const cell = src === dst ? undefined : hostCell(m, src, dst);
      if (!cell) continue;
      rows.push(`<tr><td>${esc(src)}</td><td>${esc(dst)}</td><td class="${cls(cell.worst)}">${esc(formatCell(cell))}</td><td>${esc(entryLines(cell).join(', '))}</td></tr>`);
    }
  }
  return (
    `<details id="host-pairs"><summary>Ports behind each cell (${rows.length} host pairs)</summary>` +
    `<table><tr><th>from</th><th>to</th><th>cell</th><th>port outcome → verdict</th></tr>${rows.join('')}</table></details>`
  );
}

/** One row per finding (rule, destination, outcome), every source named; the paths follow, collapsed on screen. */
function findingsTable(failures: Failure[], id: string, what: string): string {
  const rows = findingsOf(failures).map((g) => {
    const r = findingRow(g);
    return `<tr>${FINDING_COLUMNS.map((c) => (c === 'verdict' ? `<td class="${g.verdict}">${esc(r[c])}</td>` : `<td${c === 'hint' ? ' class="hint"' : ''}>${esc(r[c])}</td>`)).join('')}</tr>`;
  });
  return (
    `<table id="${id}-findings"><tr>${FINDING_COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr>${rows.join('')}</table>` +
    `<details id="${id}-paths"><summary>Every ${what} path (${failures.length})</summary>${failuresTable(failures, '', id)}</details>`
  );
}

function failuresTable(failures: Failure[], none: string, id = 'failures'): string {
  if (failures.length === 0) return `<p>${esc(none)}</p>`;
  const rows = failures.map(
    (f) =>
      `<tr><td class="${f.verdict}">${f.verdict.toUpperCase()}</td><td><code>${esc(pathName(f.source, f.destination, f.port))}</code></td>` +
      `<td>${esc(`${f.outcome}${f.detail ? ` (${f.detail})` : ''}, ${f.ms} ms${f.retried ? ', retried' : ''}`)}</td>` +
      `<td>${esc(f.rules.join(', '))}</td><td class="hint">${esc(f.hint ?? '')}</td></tr>`,
  );
  return `<table id="${id}"><tr><th>verdict</th><th>path</th><th>observed</th><th>rules</th><th>hint</th></tr>${rows.join('')}</table>`;
}

function hostsTable(result: RunResult): string {
  const head = ['host', 'address', 'ssh target', 'roles', 'state', 'listeners', ...FACT_COLUMNS].map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = result.hosts.map((h) => {
    const broken = h.state === 'unreachable' || h.state === 'failed';
    const cells = [
      h.name,
      h.address,
      h.ssh ?? '',
      `${h.roles.join(', ')} (${h.rolesSource})`,
      h.state + (h.error ? `: ${h.error}` : ''),
      listenerCell(h),
      ...factCells(h.facts),
    ];
    return `<tr>${cells.map((c, i) => `<td${i === 4 && broken ? ' class="blocked"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<table id="hosts"><tr>${head}</tr>${rows.join('')}</table>`;
}

/** "Changes since the last run": hosts, roles, addresses, paths newly failing and fixed against the previous saved run. */
function changesSection(previous: RunResult, result: RunResult): string {
  const d = changesSince(previous, result);
  const notes = d.notes.map((n) => `<li>note: ${esc(n)}</li>`).join('');
  const body = isEmptyDiff(d)
    ? '<p>No change: same hosts, roles, addresses and verdicts.</p>'
    : `<table id="changes"><tr><th>change</th><th>host or path</th><th>before</th><th>after</th></tr>${diffRows(d)
        .map((r) => `<tr><td${r.change === 'newly failing' ? ' class="blocked"' : r.change === 'fixed' ? ' class="ok"' : ''}>${esc(r.change)}</td><td><code>${esc(r.subject)}</code></td><td>${esc(r.before)}</td><td>${esc(r.after)}</td></tr>`)
        .join('')}</table>`;
  return `<h2>Changes since the last run</h2>
<p class="meta">Compared with the run started ${esc(previous.startedAt)} (ece-preflight ${esc(previous.tool.version)}).</p>
${notes ? `<ul>${notes}</ul>` : ''}${body}`;
}

/** `previous`: the last saved run before this one, when the run history has one (the report then says what changed since). */
export function renderHtml(result: RunResult, previous?: RunResult): string {
  const t = result.totals;
  const failures = failuresOf(result);
  const summary = summaryOf(result);
  const head = headline(result);
  // Exposures apart from failures: they fail the run only with --fail-on-exposed.
  const failing = failures.filter((f) => f.verdict !== 'exposed' || summary.exposuresFail);
  const exposures = failures.filter((f) => f.verdict === 'exposed' && !summary.exposuresFail);
  const card = (n: number, label: string, kind: string): string =>
    `<div class="card ${n > 0 ? kind : ''}"><b>${n}</b><span>${label}</span></div>`;
  const warnings = result.warnings.length
    ? `<h2>Warnings</h2><ul>${result.warnings
        .map((w) => `<li>${w.host ? `[${esc(w.host)}] ` : ''}<b>${esc(w.code)}</b>: ${esc(w.message)}</li>`)
        .join('')}</ul>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ece-preflight: ${esc(result.inventory)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>ece-preflight report: ${esc(result.inventory)}</h1>
<p class="headline ${head.tone}" id="headline">${esc(head.text)}</p>
${head.hostLines.length ? `<h2>Not checked (${head.hostLines.length} hosts)</h2><ul id="not-checked">${head.hostLines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}
${head.checkLines.length ? `<h2>Host checks that did not pass (${head.checkLines.length})</h2><ul id="host-checks">${head.checkLines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}
<div class="meta">${result.hosts.length} hosts (${esc(roleCountsOf(result))}) · started ${esc(result.startedAt)} · took ${formatDuration(result.durationMs)} · ece-preflight ${esc(result.tool.version)}, catalog ${esc(result.catalogVersion)} · exit code ${result.exitCode}${result.interrupted ? ' · <b>interrupted: results are partial</b>' : ''}</div>
<div class="cards">${card(t.ok, 'ok', 'ok')}${card(t.blocked, 'blocked', 'blocked')}${card(t.exposed, 'exposed', 'exposed')}${card(t.error, 'error', 'error')}${card(t.skipped, 'not checked', 'blocked')}</div>
<p class="tally" id="tally">${esc(formatTally(tallyOf(t)))}</p>
<p class="meta">Listeners tested the host network path, not Docker's port mapping (rancher/rke#608).</p>
${previous ? changesSection(previous, result) : ''}
<h2>Role matrix</h2>
<p class="meta">Rows are sources, columns destinations; <i>external</i> is the controller standing in for clients and admins. A host with several roles counts in each.</p>
<p class="meta legend"><span class="ok">ok</span><span class="blocked">blocked: required, not open</span><span class="exposed">exposed: must be closed, open</span><span class="error">error: could not tell</span></p>
${roleMatrixTable(result)}
<h2>Host matrix</h2>
<p class="meta">Hover a cell for the ports and outcomes behind it; the table below the matrix lists them all (printed open).</p>
${hostMatrixTable(result)}
${hostPairsTable(result)}
<h2>Failures (${failing.length === 0 ? 0 : countText(failing.length, findingsOf(failing).length)})</h2>
${failing.length === 0 ? failuresTable(failing, noFailuresText(summary)) : findingsTable(failing, 'failures', 'failing')}
${exposures.length ? `<h2>Exposures (${countText(exposures.length, findingsOf(exposures).length)}; warnings)</h2><p class="meta">Local-only ports that answered from another host; <code>--fail-on-exposed</code> makes them fail the run.</p>${findingsTable(exposures, 'exposures', 'exposed')}` : ''}
${result.superseded?.length ? `<h2>${SUPERSEDED_TITLE}</h2><ul id="superseded">${result.superseded.map((r) => `<li>${esc(r.play)}: ${esc(supersededText(r))}</li>`).join('')}</ul>` : ''}
${warnings}
<h2>Hosts</h2>
${hostsTable(result)}
</body>
</html>
`;
}
