import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

describe('markdown report', () => {
  const text = renderMarkdown(buildFleetRun({ unreachable: ['h6'] }).result);
  const lines = text.split('\n');

  it('opens with the honest headline: incomplete, with each host not checked and why', () => {
    expect(lines[0]).toBe('# ece-preflight report: inventories/lab.ini');
    expect(lines[2]).toMatch(/^\*\*INCOMPLETE: 1 of 6 hosts not checked; 64 of 244 planned checks not run \(26%\); among those run: 5 paths failing, 4 exposures \(warning\), 1 warning\*\*$/);
    expect(text).toContain('Not checked (1 hosts):\n\n- h6: unreachable: Timed out while waiting for handshake');
    expect(text).toContain('- 5 failed, 4 exposed, 64 not checked, 171 ok (blocked 2, error 3); exit code 3');
    expect(text).not.toMatch(/every required path is open/);
  });

  it('has the role matrix as a table', () => {
    const at = lines.indexOf('| from \\\\ to | director | coordinator | proxy | allocator |');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('| --- | --- | --- | --- | --- |');
    expect(lines[at + 2]).toBe('| **director** | 2 blocked | 2 blocked | 1 error | 3 exposed |');
    expect(lines[at + 6]).toBe('| **external** | 11/11 | 11/11 | 1 error | 6/6 |');
  });

  it('groups failures as the live panel does: one finding per rule and destination with its ports and every source', () => {
    const at = lines.indexOf('## Failures (5 paths, 2 findings)');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 2, at + 6)).toEqual([
      '| verdict | destination | ports | outcome | sources | rules | hint |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| BLOCKED | h2 | 2112 | filtered | 2: h1, h3 | zk-discovery | director h2: nftables drops 2112/tcp from h1; allow zk-discovery from the directors (h1, h3) |',
      '| ERROR | h4 | 9300 | error | 3: @controller, h1, h5 | es-rest | h4: 9300 held by another process; free it or stop the old proxy |',
    ]);
    expect(lines[at + 7]).toBe('### Every failing path (5)');
    expect(text).toContain('## Exposures (4 paths, 1 finding; warnings)');
    expect(text).toContain('| EXPOSED | h5 | 2375 | open | 4: h1, h2, h3, h4 | docker-2375 |');
    expect(text).toContain('### Every exposed path (4)');
    // nothing shortened for a forwarded report: 30 sources are 30 names
    const many = buildFleetRun();
    for (let i = 0; i < 30; i++) many.result.checks.push({ ...many.result.checks.find((c) => c.id === 'h3>h2:2112')!, id: `x${i}>h2:2112`, from: `x${i}` });
    expect(renderMarkdown(many.result)).toContain('| BLOCKED | h2 | 2112 | filtered | 32: h1, h3, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10,');
  });

  it('lists every failure with its hint, worst first, and exposures apart', () => {
    expect(text).toContain(
      '| BLOCKED | h3 -&gt; h2:2112 | filtered (ETIMEDOUT), 2001 ms, retried | director h2: nftables drops 2112/tcp from h3; allow zk-discovery from the directors (h1, h3) |',
    );
    // the per-path rows (the findings rows name a destination, not a path)
    const verdicts = lines.filter((l) => /^\| (BLOCKED|EXPOSED|ERROR) \| [^|]+ -&gt; /.test(l)).map((l) => l.split(' ')[1]);
    expect(verdicts).toEqual([...Array(2).fill('BLOCKED'), ...Array(3).fill('ERROR'), ...Array(4).fill('EXPOSED')]);
    expect(text.indexOf('## Exposures')).toBeGreaterThan(text.lastIndexOf('| ERROR |'));
  });

  it('has per-host facts and warnings', () => {
    expect(text).toContain('- [h3] firewalld-active: firewalld is running: the ECE 3.5 installer fails, 4.0 warns');
    expect(text).toMatch(/\| h4 \| 198\.18\.0\.14 \|  \| proxy \| done \| 5 up; failed: 9300 EADDRINUSE; in use: 9300 \(java\) \| Ubuntu 22\.04\.4 LTS \|/);
    expect(text).toContain('| h6 | 198.18.0.16 |  | allocator | unreachable: Timed out while waiting for handshake |');
  });

  it('escapes markup and table pipes from hosts', () => {
    const hostile = renderMarkdown(buildFleetRun({ hostile: true }).result);
    expect(hostile).not.toMatch(/<script|<b>/);
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
  it('says what an earlier round found when a later task probed the same paths again, as the plain output does', () => {
    const run = buildFleetRun().result;
    expect(renderMarkdown(run)).not.toContain('## Replaced by a later task');
    run.superseded = [{ play: 'After the change', task: 'Sweep again', checks: 12, verdicts: { ok: 9, blocked: 3, exposed: 0, error: 0 } }];
    const after = renderMarkdown(run).split('\n');
    const at = after.indexOf('## Replaced by a later task');
    expect(at).toBeGreaterThan(0);
    expect(after[at + 2]).toBe('- After the change: Sweep again: 12 earlier results of the same checks replaced (then: 3 failed, 0 exposed, 9 ok); each check counts once, with its latest result');
  });
});
