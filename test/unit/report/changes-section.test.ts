import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderReport } from '../../../src/cli/write-reports.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

describe('reports: changes since the last run', () => {
  const previous = buildFleetRun().result;
  const now = structuredClone(previous);
  now.startedAt = '2030-01-01T00:00:00.000Z';
  now.hosts = now.hosts.filter((h) => h.name !== 'h6').map((h) => (h.name === 'h5' ? { ...h, roles: ['director'], address: '198.18.0.55' } : h));
  const fixed = now.checks.find((c) => c.verdict === 'blocked' && c.kind === 'probe')!;
  fixed.verdict = 'ok';
  fixed.result = { outcome: 'open', ms: 1 };
  const broke = now.checks.find((c) => c.verdict === 'ok' && c.kind === 'probe' && c.id !== fixed.id)!;
  broke.verdict = 'blocked';
  broke.result = { outcome: 'filtered', ms: 2000 };

  it('markdown: hosts removed, roles, addresses, paths newly failing and fixed, only when a previous run is given', () => {
    const text = renderMarkdown(now, previous);
    expect(text).toContain('## Changes since the last run');
    expect(text).toContain(`Compared with the run started ${previous.startedAt}`);
    expect(text).toMatch(/\| host removed \| h6 \| in the fleet \|/);
    expect(text).toMatch(/\| roles \| h5 \| -allocator \| \+director \|/);
    expect(text).toMatch(/\| address \| h5 \| 198\.18\.0\.15 \| 198\.18\.0\.55 \|/);
    expect(text).toMatch(/\| newly failing \| .* \| ok \(open\) \| blocked \(filtered\) \|/);
    expect(text).toMatch(/\| fixed \| .* \| ok \(open\) \|/);
    expect(text.indexOf('## Changes since the last run')).toBeLessThan(text.indexOf('## Role matrix'));
    expect(renderMarkdown(now)).not.toContain('Changes since the last run');
    expect(renderMarkdown(previous, previous)).toContain('No change: same hosts, roles, addresses and verdicts.');
  });

  it('html: the same section, escaped, and the report writer passes the previous run through', () => {
    const page = renderHtml(now, previous);
    expect(page).toContain('<h2>Changes since the last run</h2>');
    expect(page).toMatch(/<table id="changes">.*<td>roles<\/td><td><code>h5<\/code><\/td><td>-allocator<\/td><td>\+director<\/td>/s);
    expect(page).toMatch(/<td class="blocked">newly failing<\/td>/);
    expect(page).toMatch(/<td class="ok">fixed<\/td>/);
    expect(renderHtml(now)).not.toContain('Changes since the last run');
    expect(renderReport(now, 'html', { previous })).toContain('id="changes"');
    expect(renderReport(now, 'md', { previous })).toContain('## Changes since the last run');
    expect(renderReport(now, 'md')).not.toContain('## Changes since the last run');
    const hostile = structuredClone(now);
    hostile.hosts = hostile.hosts.map((h) => (h.name === 'h5' ? { ...h, address: '<img src=x>' } : h));
    expect(renderHtml(hostile, previous)).not.toContain('<img src=x>');
  });
});
