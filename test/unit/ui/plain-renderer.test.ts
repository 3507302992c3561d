import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.js';
import { createPlainRenderer } from '../../../src/ui/plain-renderer.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

function renderAll(events: EngineEvent[], opts: { color: boolean; verbose?: boolean }): string[] {
  let out = '';
  const r = createPlainRenderer((s) => (out += s), opts);
  for (const e of events) r(e);
  return out.split('\n');
}

const ANSI = /\u001b\[/;

describe('plain renderer', () => {
  const run = buildFleetRun({ unreachable: ['h6'] });
  const lines = renderAll(run.events, { color: false });

  it('prints stable lines for the events that matter', () => {
    expect(lines[0]).toBe(
      'inventories/lab.ini: 6 hosts (director 3, coordinator 3, proxy 2, allocator 3), 232 probes, 54 listeners, 12 outbound',
    );
    expect(lines).toContain('TASK [probe task] *************************************************************');
    expect(lines).toContain('fatal: [h6]: UNREACHABLE! => client-timeout: Timed out while waiting for handshake');
    expect(lines).toContain(
      'BLOCKED h3 -> h2:2112 filtered (2001 ms, retried) hint: director h2: nftables drops 2112/tcp from h3; allow zk-discovery from the directors (h1, h3)',
    );
    expect(lines).toContain(
      'EXPOSED h4 -> h5:2375 open (3 ms) hint: h5: Docker API 2375 reachable from other hosts; drop 2375/tcp except from lo',
    );
    expect(lines).toContain('ERROR @controller -> h4:9300 error (0 ms) hint: h4: 9300 held by another process; free it or stop the old proxy');
    expect(lines).toContain('ok: [h4] listening on 5 ports; 1 failed: 9300 EADDRINUSE; in use: 9300 (java)');
    expect(lines).toContain('ok: [h1] listening on 16 ports');
    expect(lines).toContain(
      'ok: [h3] facts: Ubuntu 22.04.4 LTS, kernel 5.15.0-105-generic, firewall firewalld (firewalld active), docker yes, ipv6 on',
    );
    expect(lines).toContain('[WARNING]: [h3] firewalld-active: firewalld is running: the ECE 3.5 installer fails, 4.0 warns');
  });

  it('summarizes ok probes per host instead of listing them', () => {
    expect(lines.filter((l) => l.startsWith('ok ')).length).toBe(0);
    expect(lines).toContain('warning: [h3] probes ok: 36/36 in, 30/32 out');
    expect(lines).toContain('failed: [h2] probes ok: 34/36 in, 31/32 out');
    // the summary comes once, before the next phase banner
    const i = lines.indexOf('failed: [h2] probes ok: 34/36 in, 31/32 out');
    expect(lines.slice(i).find((l) => l.startsWith('TASK'))).toMatch(/^TASK \[outbound task\]/);
    expect(lines.filter((l) => l.includes('[h2] probes ok')).length).toBe(1);
  });

  it('a bandwidth task (probe phase, another module) comes after the summary; another probe task defers it', () => {
    const at = run.events.findIndex((e) => e.kind === 'task-start' && e.module === 'outbound');
    const task = (module: string, name: string): EngineEvent => ({ kind: 'task-start', at: 0, name, module, phase: 'probe', hosts: ['h1'] });
    const withBandwidth = renderAll([...run.events.slice(0, at), task('bandwidth', 'bandwidth task'), ...run.events.slice(at)], { color: false });
    const summary = withBandwidth.indexOf('failed: [h2] probes ok: 34/36 in, 31/32 out');
    expect(summary).toBeGreaterThan(0);
    expect(withBandwidth.slice(summary).find((l) => l.startsWith('TASK'))).toMatch(/^TASK \[bandwidth task\]/);
    const twoProbes = renderAll([...run.events.slice(0, at), task('probe', 'probe again'), ...run.events.slice(at)], { color: false });
    const again = twoProbes.indexOf('failed: [h2] probes ok: 34/36 in, 31/32 out');
    expect(twoProbes.slice(again).find((l) => l.startsWith('TASK'))).toMatch(/^TASK \[outbound task\]/);
    const banner = twoProbes.findIndex((l) => l.startsWith('TASK [probe again]'));
    expect(banner).toBeGreaterThan(0);
    expect(banner).toBeLessThan(again);
  });

  it('ends with an Ansible-style PLAY RECAP and the tally', () => {
    const at = lines.findIndex((l) => l.startsWith('PLAY RECAP'));
    expect(lines.slice(at, at + 7)).toEqual([
      'PLAY RECAP ********************************************************************',
      'h1                         : ok=49   blocked=0    exposed=0    error=0    unreachable=0    failed=0',
      'h2                         : ok=36   blocked=2    exposed=0    error=0    unreachable=0    failed=0',
      'h3                         : ok=38   blocked=0    exposed=0    error=0    unreachable=0    failed=0',
      'h4                         : ok=25   blocked=0    exposed=0    error=3    unreachable=0    failed=0',
      'h5                         : ok=23   blocked=0    exposed=4    error=0    unreachable=0    failed=0',
      'h6                         : ok=0    blocked=0    exposed=0    error=0    unreachable=1    failed=0',
    ]);
    const tally = lines.indexOf('5 failed, 4 exposed, 64 not checked, 171 ok');
    expect(tally).toBeGreaterThan(at);
    // The verdict closes the output (where a CI log is read from), with the host not checked and why.
    expect(lines[tally + 1]).toMatch(/^INCOMPLETE: 1 of 6 hosts not checked; 64 of 244 planned checks not run \(26%\)/);
    expect(lines[tally + 2]).toBe('  not checked: h6: unreachable: Timed out while waiting for handshake');
    expect(lines.join('\n')).not.toMatch(/every required path is open/);
  });

  it('sends [WARNING] lines to the warning sink (stderr in the CLI), the rest to stdout', () => {
    let out = '';
    let err = '';
    const r = createPlainRenderer((s) => (out += s), { color: false, writeWarning: (s) => (err += s) });
    for (const e of run.events) r(e);
    expect(err).toBe('[WARNING]: [h3] firewalld-active: firewalld is running: the ECE 3.5 installer fails, 4.0 warns\n');
    expect(out).not.toContain('[WARNING]');
  });

  it('writes no ANSI codes without colour, and colours with it', () => {
    expect(lines.some((l) => ANSI.test(l))).toBe(false);
    const coloured = renderAll(run.events, { color: true });
    expect(coloured.find((l) => l.includes('BLOCKED h3 -> h2:2112'))).toMatch(/^\u001b\[31mBLOCKED/);
    expect(coloured.map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual(lines);
  });

  it('lists every ok probe and state change when verbose', () => {
    const v = renderAll(run.events, { color: false, verbose: true });
    expect(v).toContain('ok h1 -> h2:12191 open (3 ms)');
    expect(v).toContain('[h1] cleanup');
    expect(v).toContain('ok: [h1] cleaned up');
    expect(v).toContain('ok h1 -> docker.elastic.co:443 open (40 ms)');
  });

  it('marks an interrupted run', () => {
    const clean = buildFleetRun();
    const end = clean.events.at(-1)! as Extract<EngineEvent, { kind: 'run-end' }>;
    const cut = [...clean.events.slice(0, 80), { ...end, result: { ...end.result, interrupted: true } }];
    const out = renderAll(cut, { color: false });
    expect(out).toContain('interrupted: listeners were stopped, results are partial');
    expect(out.findIndex((l) => l.startsWith('PLAY RECAP'))).toBeGreaterThan(0);
  });
});

describe('plain renderer, checks in batches', () => {
  it('prints the same lines for a `checks` batch as for the checks one by one', () => {
    const run = buildFleetRun({ unreachable: ['h6'] });
    const grouped: EngineEvent[] = [];
    for (const e of run.events) {
      const last = grouped.at(-1);
      if (e.kind === 'check' && last?.kind === 'checks') last.checks.push(e.check);
      else grouped.push(e.kind === 'check' ? { kind: 'checks', checks: [e.check] } : e);
    }
    expect(grouped.length).toBeLessThan(run.events.length - 100);
    for (const verbose of [false, true]) {
      expect(renderAll(grouped, { color: false, verbose })).toEqual(renderAll(run.events, { color: false, verbose }));
    }
  });
});

describe('host text on the terminal', () => {
  it('escape sequences from a host (os-release, stderr, process names) are shown, never obeyed', () => {
    let out = '';
    const r = createPlainRenderer((s) => (out += s), { color: true });
    const run = buildFleetRun();
    for (const e of run.events.slice(0, 2)) r(e);
    r({ kind: 'task-result', host: 'h1', task: 't', module: 'command', status: 'failed', msg: 'boom\u001b]0;pwned\u0007\u001b[2J' });
    r({ kind: 'warning', host: 'h1', code: 'x', message: 'evil\u001b[31m\rforged' });
    // our own colours are there (ESC [ ... m around the words), the host's sequences are not
    const withoutOurs = out.replace(/\u001b\[\d+m/g, '');
    expect(withoutOurs).not.toMatch(/\u001b|\u0007|\r/);
    expect(withoutOurs).toContain('boom\\x1b]0;pwned\\x07\\x1b[2J');
    expect(withoutOurs).toContain('evil\\x1b[31m\\x0dforged');
  });
});
