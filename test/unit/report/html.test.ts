import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.js';
import { buildFleetRun, HOSTILE_NAME } from '../../fixtures/report/fleet.js';

describe('html report', () => {
  const html = renderHtml(buildFleetRun().result);

  it('is one self-contained file: inline CSS, no scripts, no external resources', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
  });

  it('holds the summary, the role matrix and the failures with hints', () => {
    expect(html).toContain('<p class="tally" id="tally">7 failed, 5 exposed, 0 not checked, 232 ok</p>');
    const role = /<table class="rm" id="role-matrix">(.*?)<\/table>/s.exec(html)![1]!;
    expect(role).toContain('<tr><th>director</th><td class="cell blocked">2 blocked</td>');
    expect(role).toContain('<td class="cell exposed">3 exposed</td>');
    expect(role).toContain('<tr><th>external</th><td class="cell ok">11/11</td>');
    expect(html).toContain('<code>h3 -&gt; h2:2112</code>');
    expect(html).toContain('director h2: nftables drops 2112/tcp from h3');
  });

  it('has a host x host matrix with tooltips naming ports and outcomes', () => {
    const hm = /<table class="hm" id="host-matrix">(.*?)<\/table>/s.exec(html)![1]!;
    expect(hm.match(/<tr>/g)).toHaveLength(8); // head + @controller + 6 hosts
    const h3row = /<tr><th>h3<\/th>(.*?)<\/tr>/.exec(hm)![1]!;
    const toH2 = /<td class="cell blocked" title="([^"]*)">/.exec(h3row)![1]!;
    expect(toH2).toContain('h3 → h2&#10;');
    expect(toH2).toContain('2112 filtered → blocked');
    expect(toH2).toContain('2375 refused (must be closed)');
    expect(hm).toContain('<td class="cell self">—</td>');
  });

  it('keeps what the tooltips say in a table, opened by the print stylesheet', () => {
    const pairs = /<details id="host-pairs"><summary>Ports behind each cell \((\d+) host pairs\)<\/summary>(.*?)<\/details>/s.exec(html)!;
    expect(Number(pairs[1])).toBe(36); // 6 x 5 host pairs + @controller to each of 6 hosts
    expect(pairs[2]).toContain('<tr><td>h3</td><td>h2</td><td class="blocked">1 blocked</td><td>');
    expect(pairs[2]).toMatch(/<tr><td>h3<\/td><td>h2<\/td>[^\n]*2112 filtered → blocked[^\n]*2375 refused \(must be closed\)/);
    expect(html).toMatch(/@media print \{[^@]*details::details-content \{ content-visibility: visible; display: block; \}/);
  });

  it('groups failures as the live panel does, with every path in a <details> below', () => {
    expect(html).toContain('<h2>Failures (7 paths, 3 findings)</h2>');
    const findings = /<table id="failures-findings">(.*?)<\/table>/s.exec(html)![1]!;
    expect(findings.match(/<tr>/g)).toHaveLength(4);
    expect(findings).toContain('<tr><td class="blocked">BLOCKED</td><td>h2</td><td>2112</td><td>filtered</td><td>2: h1, h3</td><td>zk-discovery</td>');
    expect(findings).toContain('<td>4: @controller, h1, h5, h6</td>');
    const paths = /<details id="failures-paths"><summary>Every failing path \(7\)<\/summary><table id="failures">(.*?)<\/table><\/details>/s.exec(html)![1]!;
    expect(paths.match(/<tr>/g)).toHaveLength(8);
    expect(html).toContain('<h2>Exposures (5 paths, 1 finding; warnings)</h2>');
    expect(html).toContain('<details id="exposures-paths"><summary>Every exposed path (5)</summary>');
  });

  it('escapes hostile host names and hints everywhere', () => {
    const hostile = renderHtml(buildFleetRun({ hostile: true }).result);
    expect(hostile).not.toContain(HOSTILE_NAME);
    expect(hostile).not.toMatch(/<script|<b>&/);
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('Docker API reachable &lt;b&gt;&amp;&quot;unauthenticated&quot;&lt;/b&gt;');
    // inside a title attribute too
    expect(hostile).toMatch(/title="&lt;script&gt;alert\(1\)&lt;\/script&gt; → h5&#10;/);
  });

  it('forbids every script by a Content-Security-Policy, whatever a field holds', () => {
    const page = renderHtml(buildFleetRun().result);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';/);
  });
  it('lists earlier rounds a later task replaced, escaped', () => {
    const run = buildFleetRun().result;
    expect(renderHtml(run)).not.toContain('id="superseded"');
    run.superseded = [{ play: HOSTILE_NAME, task: 'Sweep again', checks: 12, verdicts: { ok: 9, blocked: 3, exposed: 0, error: 0 } }];
    const html = renderHtml(run);
    expect(html).toContain('<h2>Replaced by a later task</h2><ul id="superseded"><li>&lt;script&gt;alert(1)&lt;/script&gt;: Sweep again: 12 earlier results of the same checks replaced (then: 3 failed, 0 exposed, 9 ok)');
    expect(html).not.toContain(HOSTILE_NAME);
  });
});
