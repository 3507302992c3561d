import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { HostAgent } from '../../../src/engine/host-agent.js';
import { totalsOf } from '../../../src/engine/verdict-counts.js';
import { probeRecord } from '../../../src/engine/check-record.js';
import { groupFailures, failuresOf } from '../../../src/report/failures.js';
import { formatTally, tallyOf } from '../../../src/report/tally.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderHtml } from '../../../src/report/html.js';
import { exitCodeOf } from '../../../src/cli/exit-code.js';
import { summaryOf } from '../../../src/report/summary.js';
import { outboundHint, probeHint } from '../../../src/tasks/hints.js';
import { parseProbeLine } from '../../../src/tasks/host-agent-script.js';
import { outcomeOfErrno, verdictOf, type ProbeResult } from '../../../src/tasks/probe-outcome.js';
import { CONTROLLER, type Probe } from '../../../src/plan/types.js';
import { LocalConnection } from '../../../src/transport/local.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import type { CheckRecord } from '../../../src/engine/check-record.js';
import { createPlainRenderer } from '../../../src/ui/plain-renderer.js';
import { startInkRenderer } from '../../../src/ui/live-renderer.js';
import { FakeStdin, FakeStdout } from '../ui/fake-terminal.js';

// A probe target given as a name that the source host cannot resolve: its own
// outcome, `unresolved`, naming the name and the host that failed; a failure
// of the check (verdict error, exit 2), never a "check python3" hint.

const probe: Probe = { id: 'h3>h2:2112', from: 'h3', to: 'h2', address: 'h2.dc1.example', port: 2112, expect: 'open', rules: ['zk-discovery'] };
const unresolved: ProbeResult = { outcome: 'unresolved', ms: 4, detail: 'EAI_NONAME' };
const zk = { id: 'zk-discovery', purpose: 'ZooKeeper ensemble discovery/joining' } as never;

describe('the unresolved outcome', () => {
  it('comes from the agent line and from Node resolver codes', () => {
    expect(parseProbeLine('R 7 unresolved 4 EAI_NONAME 0')).toEqual({ id: '7', outcome: 'unresolved', ms: 4, detail: 'EAI_NONAME', retried: false });
    expect(parseProbeLine('R 7 unresolved 5002 EAI_AGAIN 0')?.outcome).toBe('unresolved');
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']) expect(outcomeOfErrno(code), code).toBe('unresolved');
    expect(outcomeOfErrno('ECONNREFUSED')).toBe('refused');
  });

  it('fails the check whatever was expected (nothing was connected to)', () => {
    expect(verdictOf('open', 'unresolved')).toBe('error');
    expect(verdictOf('closed', 'unresolved')).toBe('error');
  });

  it('has a hint naming the name, the host that could not resolve it and the fix; not python3', () => {
    const hint = probeHint(probe, unresolved, 'error', { rules: [zk], listenerBound: true })!;
    expect(hint).toMatch(/^h3 cannot resolve h2's address h2\.dc1\.example \(no such name\)/);
    expect(hint).toMatch(/h3's DNS or \/etc\/hosts/);
    expect(hint).toMatch(/ansible_host, ece_host_ip/);
    expect(hint).not.toMatch(/python3/);
    const again = probeHint(probe, { outcome: 'unresolved', ms: 5000, detail: 'EAI_AGAIN' }, 'error', { rules: [zk], listenerBound: true })!;
    expect(again).toMatch(/no answer from its resolver/);
    const ext = probeHint({ ...probe, from: CONTROLLER, id: '@controller>h2:2112' }, { outcome: 'unresolved', ms: 1, detail: 'ENOTFOUND' }, 'error', { rules: [zk], listenerBound: true })!;
    expect(ext).toMatch(/^the controller \(external clients\) cannot resolve .*the controller's DNS/);
    const out = outboundHint({ id: 'h1>registry.example:443', from: 'h1', host: 'registry.example', port: 443, rule: 'outbound-registry-https' }, unresolved, 'error')!;
    expect(out).toMatch(/^h1 cannot resolve registry\.example \(no such name\): fix h1's DNS/);
    expect(out).toMatch(/ece_registry/);
  });

  it('is counted apart among the failures: totals, the tally line, the exit code', () => {
    const rec = probeRecord(probe, unresolved, 'error');
    const ok = probeRecord({ ...probe, id: 'h1>h2:2112', from: 'h1' }, { outcome: 'open', ms: 1 }, 'ok');
    const totals = totalsOf([rec, ok], 0);
    expect(totals).toEqual({ ok: 1, blocked: 0, exposed: 0, error: 1, skipped: 0, unresolved: 1 });
    expect(totalsOf([ok], 0)).not.toHaveProperty('unresolved');
    expect(formatTally(tallyOf(totals))).toBe('1 failed (1 with an unresolved name), 0 exposed, 0 not checked, 1 ok');
    const run = buildFleetRun().result;
    const checks = [...run.checks.filter((c) => c.verdict === 'ok'), rec];
    const result = { ...run, checks, totals: totalsOf(checks, 0), notChecked: [] };
    const summary = summaryOf({ ...result, summary: undefined as never });
    expect(summary.failures).toBe(1);
    expect(exitCodeOf(summary)).toBe(2);
  });

  it('reaches every report with the name and the source', () => {
    const run = buildFleetRun().result;
    const rec = probeRecord(probe, unresolved, 'error', probeHint(probe, unresolved, 'error', { rules: [zk], listenerBound: true }));
    const checks = [...run.checks.filter((c) => c.verdict === 'ok'), rec];
    const result = { ...run, checks, totals: totalsOf(checks, 0) };
    const groups = groupFailures(failuresOf(result));
    expect(groups.map((g) => [g.destination, g.outcome, g.sources])).toEqual([['h2', 'unresolved', ['h3']]]);
    const junit = renderJunit(result);
    expect(junit).toMatch(/<error [^>]*type="unresolved"/);
    expect(junit).toContain('h3 cannot resolve h2&#39;s address h2.dc1.example');
    const md = renderMarkdown(result);
    expect(md).toMatch(/\| ERROR \| h2 \| 2112 \| unresolved \| 1: h3 \|/);
    expect(md).toContain('(1 with an unresolved name)');
    const html = renderHtml(result);
    expect(html).toContain('unresolved (EAI_NONAME)');
    expect(html).toContain('1 with an unresolved name');
  });
});

describe('the host agent resolves names itself', () => {
  it('probes a target given as a name at the address the host resolves it to (localhost via /etc/hosts)', async () => {
    const srv = net.createServer((c) => c.destroy());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    const agent = new HostAgent(new LocalConnection('local'), [], 30, { facts: false });
    try {
      expect((await agent.listeners).ready).toBe(true);
      const seen: Record<string, ProbeResult> = {};
      const targets = [
        { name: 'byName', address: 'localhost', port },
        { name: 'byNameAgain', address: 'localhost', port },
        { name: 'byAddress', address: '127.0.0.1', port },
      ];
      await agent.runBatch(targets, { timeoutMs: 2000, concurrency: 8 }, (t, r) => (seen[t.name] = r));
      expect(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.outcome]))).toEqual({ byName: 'open', byNameAgain: 'open', byAddress: 'open' });
      // a second batch resolves again and still answers DONE
      const again: ProbeResult[] = [];
      await agent.runBatch([{ address: 'localhost', port }], { timeoutMs: 2000, concurrency: 8 }, (_t, r) => again.push(r));
      expect(again.map((r) => r.outcome)).toEqual(['open']);
    } finally {
      agent.stop();
      await agent.done;
      await new Promise((r) => srv.close(r));
    }
  });
});

/** A fleet run whose h3 -> h2:2112 probe (a failing one in the fixture) did not resolve h2's name. */
function runWithUnresolved(): EngineEvent[] {
  const { events } = buildFleetRun();
  const hint = probeHint(probe, unresolved, 'error', { rules: [zk], listenerBound: true });
  const swap = (c: CheckRecord): CheckRecord => (c.id === 'h3>h2:2112' ? { ...c, address: probe.address, result: unresolved, verdict: 'error', ...(hint ? { hint } : {}) } : c);
  return events.map((e): EngineEvent => {
    if (e.kind === 'check') return { ...e, check: swap(e.check) };
    if (e.kind === 'checks') return { ...e, checks: e.checks.map(swap) };
    if (e.kind === 'run-end') {
      const checks = e.result.checks.map(swap);
      return { ...e, result: { ...e.result, checks, totals: totalsOf(checks, e.result.totals.skipped) } };
    }
    return e;
  });
}

describe('the terminal says it too', () => {
  it('plain lines: the failing path with its outcome and hint, the tally with the count', () => {
    let out = '';
    const r = createPlainRenderer((s) => (out += s), { color: false });
    for (const e of runWithUnresolved()) r(e);
    expect(out).toMatch(/ERROR h3 -> h2:2112 unresolved \(4 ms\) hint: h3 cannot resolve h2's address h2\.dc1\.example \(no such name\)/);
    expect(out).toMatch(/\d+ failed \(1 with an unresolved name\), \d+ exposed/);
  });

  it('the live screen: the finding and the tally', async () => {
    const stdout = new FakeStdout(160, 50);
    const ui = startInkRenderer({ stdout: stdout as unknown as NodeJS.WriteStream, stdin: new FakeStdin() as unknown as NodeJS.ReadStream, onQuit: () => {}, throttleMs: 40, patchConsole: false });
    for (const e of runWithUnresolved()) ui.handle(e);
    await ui.done();
    const text = stdout.text();
    expect(text).toMatch(/ERROR h2:2112 unresolved from 1: h3/);
    expect(text).toContain('(1 with an unresolved name)');
  });
});
