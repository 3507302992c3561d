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

  it('escapes hostile host names and hints everywhere', () => {
    const hostile = renderHtml(buildFleetRun({ hostile: true }).result);
    expect(hostile).not.toContain(HOSTILE_NAME);
    expect(hostile).not.toMatch(/<script|<b>&/);
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('Docker API reachable &lt;b&gt;&amp;&quot;unauthenticated&quot;&lt;/b&gt;');
    // inside a title attribute too
    expect(hostile).toMatch(/title="&lt;script&gt;alert\(1\)&lt;\/script&gt; → h5&#10;/);
  });
});
