import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

/**
 * Renders the HTML report in a real browser (Debian package `chromium`).
 * Skipped with a message where it is not installed; CI installs it.
 */
const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`html-chromium: ${CHROMIUM} not found, skipped (apt-get install -y chromium)`);

const dir = mkdtempSync(join(tmpdir(), 'report-html-'));
afterAll(() => {
  if (!process.env.KEEP_REPORT_SHOT) rmSync(dir, { recursive: true, force: true });
});

function chromium(args: string[]) {
  const profile = mkdtempSync(join(dir, 'profile-'));
  return spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

describe.skipIf(!present)('html report in headless Chromium', () => {
  const report = join(dir, 'report.html');
  writeFileSync(report, renderHtml(buildFleetRun({ hostile: true }).result));

  it('screenshots to a non-trivial PNG', () => {
    const shot = join(dir, 'shot.png');
    const run = chromium([`--screenshot=${shot}`, '--window-size=1400,1000', `file://${report}`]);
    expect(existsSync(shot), run.stderr).toBe(true);
    const png = readFileSync(shot);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(1400); // IHDR width
    expect(statSync(shot).size).toBeGreaterThan(20_000); // a blank page compresses to a few KB
    if (process.env.KEEP_REPORT_SHOT) console.log(`screenshot: ${shot}`);
  }, 90_000);

  it('renders the matrix into the DOM, runs no script and logs no console errors', () => {
    const run = chromium(['--enable-logging=stderr', '--v=0', '--dump-dom', `file://${report}`]);
    expect(run.status, run.stderr).toBe(0);
    const dom = run.stdout;
    expect(dom).toContain('id="role-matrix"');
    expect(dom).toContain('id="host-matrix"');
    expect(dom).toContain('7 failed, 5 exposed, 0 not checked, 232 ok');
    // The hostile host name stayed text: no script element was ever created.
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(run.stderr).not.toMatch(/Uncaught|CONSOLE\(\d+\)|Console.*error/i);
    // Findings grouped as the live panel groups them, every path below.
    expect(dom).toMatch(/<table id="failures-findings">.*<td>h2<\/td><td>2112<\/td><td>filtered<\/td><td>2: h1, h3<\/td>/s);
    expect(dom).toContain('<summary>Every failing path (7)</summary>');
    expect(dom).toContain('id="host-pairs"');
  }, 90_000);

  /** Pages of a PDF Chromium prints (print media), counted from its page objects. */
  const pagesOf = (html: string, name: string): number => {
    const file = join(dir, `${name}.html`);
    const pdf = join(dir, `${name}.pdf`);
    writeFileSync(file, html);
    const run = chromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${file}`]);
    expect(existsSync(pdf), run.stderr).toBe(true);
    return readFileSync(pdf).toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
  };

  it('prints every collapsed detail: the printed report is as long as one with every <details> open', () => {
    const html = renderHtml(buildFleetRun().result);
    const printed = pagesOf(html, 'print');
    const allOpen = pagesOf(html.replace(/<details /g, '<details open '), 'open');
    // Without the print rule, closed <details> print as one line each.
    const closed = pagesOf(html.replace(/details::details-content \{[^}]*\}/, ''), 'closed');
    expect(printed).toBe(allOpen);
    expect(printed).toBeGreaterThan(closed);
  }, 120_000);
});
