import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import { buildFleetRun, HOSTILE_NAME } from '../../fixtures/report/fleet.js';
import { parseXml, type XmlNode } from './xml-tree.js';

const XSD = join(import.meta.dirname, '../../fixtures/report/junit.xsd');
const kids = (n: XmlNode, name: string) => n.children.filter((c) => c.name === name);
const int = (n: XmlNode, a: string) => Number(n.attrs[a]);

/** The rules of the Ant/Jenkins JUnit schema, checked by hand when xmllint is absent. */
function checkSchemaRules(root: XmlNode): void {
  expect(root.name).toBe('testsuites');
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite');
    for (const a of ['name', 'tests', 'failures', 'errors']) expect(suite.attrs, `testsuite@${a}`).toHaveProperty(a);
    expect(suite.attrs.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const order = suite.children.map((c) => c.name);
    expect(order.filter((n) => n !== 'testcase')).toEqual(order[0] === 'properties' ? ['properties'] : []);
    for (const tc of kids(suite, 'testcase')) {
      expect(tc.attrs.name).toBeTruthy();
      expect(tc.attrs.classname).toBeTruthy();
      expect(tc.attrs.time).toMatch(/^\d+\.\d{3}$/);
      for (const c of tc.children) expect(['failure', 'error', 'skipped', 'system-out', 'system-err']).toContain(c.name);
    }
  }
}

describe('junit report', () => {
  const { result } = buildFleetRun();
  const xml = renderJunit(result);
  const root = parseXml(xml);

  it('is well-formed with one suite per destination host plus outbound', () => {
    expect(kids(root, 'testsuite').map((s) => s.attrs.name)).toEqual(['run', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'outbound']);
    checkSchemaRules(root);
  });

  it('has one testcase per probe, outbound check and host connection, with counts that add up', () => {
    const cases = root.children.flatMap((s) => kids(s, 'testcase'));
    // + the run suite's "every planned check ran"
    expect(cases).toHaveLength(result.checks.length + result.hosts.length + 1);
    expect(int(root, 'tests')).toBe(cases.length);
    // 2 blocked 2112, 1 blocked outbound; the 5 exposed 2375 pass with a warning (no --fail-on-exposed)
    expect(int(root, 'failures')).toBe(3);
    expect(int(root, 'errors')).toBe(4); // probes to h4:9300
    for (const suite of root.children) {
      const tcs = kids(suite, 'testcase');
      expect(int(suite, 'tests')).toBe(tcs.length);
      expect(int(suite, 'failures')).toBe(tcs.filter((t) => kids(t, 'failure').length).length);
      expect(int(suite, 'errors')).toBe(tcs.filter((t) => kids(t, 'error').length).length);
    }
    expect(root.children.reduce((n, s) => n + int(s, 'failures'), 0)).toBe(3);
  });

  it('names paths `source -> host:port` with classname roles.host and says why a case failed', () => {
    const h2 = root.children.find((s) => s.attrs.name === 'h2')!;
    const tc = kids(h2, 'testcase').find((t) => t.attrs.name === 'h3 -> h2:2112')!;
    expect(tc.attrs.classname).toBe('director+coordinator.h2');
    const failure = kids(tc, 'failure')[0]!;
    expect(failure.attrs).toEqual({ message: 'blocked: filtered (ETIMEDOUT), expected open', type: 'filtered' });
    expect(failure.text).toContain('hint: director h2: nftables drops 2112/tcp from h3');
    expect(failure.text).toContain('rules: zk-discovery');
    const exposed = kids(root.children.find((s) => s.attrs.name === 'h5')!, 'testcase').find((t) => t.attrs.name === 'h4 -> h5:2375')!;
    expect(kids(exposed, 'failure')).toEqual([]);
    expect(kids(exposed, 'system-out')[0]!.text).toContain('warning: exposed: open, expected closed');
    const strict = parseXml(renderJunit(buildFleetRun({ failOnExposed: true }).result));
    const exposedStrict = kids(strict.children.find((s) => s.attrs.name === 'h5')!, 'testcase').find((t) => t.attrs.name === 'h4 -> h5:2375')!;
    expect(kids(exposedStrict, 'failure')[0]!.attrs.message).toBe('exposed: open, expected closed');
    expect(int(strict, 'failures')).toBe(8);
    const err = kids(root.children.find((s) => s.attrs.name === 'h4')!, 'testcase').find((t) => t.attrs.name === '@controller -> h4:9300')!;
    expect(kids(err, 'error')[0]!.attrs.type).toBe('error');
    const out = root.children.find((s) => s.attrs.name === 'outbound')!;
    expect(kids(out, 'testcase').find((t) => kids(t, 'failure').length)!.attrs.name).toBe('h6 -> snapshots.example.com:443');
  });

  it('opens with a run suite: complete passes, incomplete is an error with each host skipped and why', () => {
    const run = kids(root, 'testsuite')[0]!;
    expect(kids(run, 'testcase').map((t) => [t.attrs.name, t.children.map((c) => c.name)])).toEqual([['every planned check ran', []]]);
    const partial = parseXml(renderJunit(buildFleetRun({ unreachable: ['h6'], failedFacts: ['h2'] }).result));
    const suite = kids(partial, 'testsuite')[0]!;
    const [complete, ...skipped] = kids(suite, 'testcase');
    expect(kids(complete!, 'error')[0]!.attrs.message).toMatch(/^INCOMPLETE: 2 of 6 hosts not checked/);
    expect(skipped.map((t) => [t.attrs.name, kids(t, 'skipped')[0]!.attrs.message])).toEqual([
      ['paths of h2', 'not checked: failed (facts): no facts within 30000 ms (81 planned checks to or from it not run)'],
      ['paths of h6', 'not checked: unreachable: Timed out while waiting for handshake (64 planned checks to or from it not run)'],
    ]);
    expect(int(suite, 'skipped')).toBe(2);
    checkSchemaRules(partial);
  });

  it('keeps dots of host names out of the class name (Jenkins splits at the last dot)', () => {
    const { result: r } = buildFleetRun();
    r.hosts[0]!.name = 'h1.dc1.example.com';
    for (const p of r.checks) if (p.kind === 'probe' && p.to === 'h1') p.to = 'h1.dc1.example.com';
    const doc = parseXml(renderJunit(r));
    const suite = doc.children.find((s) => s.attrs.name === 'h1.dc1.example.com')!;
    const classes = new Set(kids(suite, 'testcase').map((t) => t.attrs.classname));
    expect([...classes]).toEqual(['director+coordinator+proxy+allocator.h1_dc1_example_com']);
  });

  it('fails the connect case of an unreachable host and skips each of its paths with the reason', () => {
    const down = parseXml(renderJunit(buildFleetRun({ unreachable: ['h6'] }).result));
    const h6 = down.children.find((s) => s.attrs.name === 'h6')!;
    const [connect, ...paths] = kids(h6, 'testcase');
    expect(kids(connect!, 'error')[0]!.attrs).toEqual({
      message: 'unreachable: Timed out while waiting for handshake',
      type: 'client-timeout',
    });
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) {
      expect(p.attrs.name).toMatch(/ -> h6:\d+$/);
      expect(kids(p, 'skipped')[0]!.attrs.message).toBe('not checked: h6 unreachable: Timed out while waiting for handshake');
    }
    expect(int(h6, 'skipped')).toBe(paths.length);
    // A path from the unreachable host to one that was up is skipped in the destination's suite.
    const h2 = down.children.find((s) => s.attrs.name === 'h2')!;
    const fromH6 = kids(h2, 'testcase').find((t) => t.attrs.name === 'h6 -> h2:20000')!;
    expect(kids(fromH6, 'skipped')[0]!.attrs.message).toBe('not checked: h6 unreachable: Timed out while waiting for handshake');
    expect(kids(fromH6, 'skipped')[0]!.text).toBe('rules: install-check');
  });

  it('skips every planned path that did not run: the skipped cases outside the run suite add up to totals.skipped', () => {
    const { result: r } = buildFleetRun({ unreachable: ['h6'], failedFacts: ['h2'] });
    const doc = parseXml(renderJunit(r));
    const [, ...rest] = kids(doc, 'testsuite');
    const skipped = rest.flatMap((s) => kids(s, 'testcase')).filter((t) => kids(t, 'skipped').length);
    expect(skipped).toHaveLength(r.totals.skipped);
    expect(rest.reduce((n, s) => n + int(s, 'skipped'), 0)).toBe(r.totals.skipped);
    const outbound = kids(doc, 'testsuite').find((s) => s.attrs.name === 'outbound')!;
    expect(kids(outbound, 'testcase').filter((t) => kids(t, 'skipped').length).map((t) => t.attrs.name)).toEqual([
      'h2 -> docker.elastic.co:443',
      'h2 -> snapshots.example.com:443',
      'h6 -> docker.elastic.co:443',
      'h6 -> snapshots.example.com:443',
    ]);
  });

  it('reads a file without notChecked (older runs): skipped hosts without counts, no skipped paths', () => {
    const { result: r } = buildFleetRun({ unreachable: ['h6'] });
    delete r.notChecked;
    const doc = parseXml(renderJunit(r));
    const run = kids(doc, 'testsuite')[0]!;
    expect(kids(kids(run, 'testcase')[1]!, 'skipped')[0]!.attrs.message).toBe('not checked: unreachable: Timed out while waiting for handshake');
    const [, ...rest] = kids(doc, 'testsuite');
    expect(rest.reduce((n, s) => n + int(s, 'skipped'), 0)).toBe(0);
  });

  it('escapes hostile names and hints', () => {
    const hostile = renderJunit(buildFleetRun({ hostile: true }).result);
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain('<b>');
    const parsed = parseXml(hostile);
    expect(parsed.children.map((s) => s.attrs.name)).toContain(HOSTILE_NAME);
    const h5 = parsed.children.find((s) => s.attrs.name === 'h5')!;
    expect(kids(kids(h5, 'testcase').find((t) => kids(t, 'system-out').length)!, 'system-out')[0]!.text).toContain(
      'Docker API reachable <b>&"unauthenticated"</b>',
    );
    checkSchemaRules(parsed);
  });

  const xmllint = spawnSync('xmllint', ['--version']).status === 0;
  it.skipIf(!xmllint)('validates against the Ant/Jenkins JUnit XSD with xmllint (apt: libxml2-utils)', () => {
    expect(existsSync(XSD)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    for (const [name, run] of [
      ['plain', buildFleetRun()],
      ['down', buildFleetRun({ unreachable: ['h6'], failedFacts: ['h2'] })],
      ['hostile', buildFleetRun({ hostile: true })],
    ] as const) {
      for (const per of ['path', 'rule'] as const) {
        const file = join(dir, `${name}-${per}.xml`);
        writeFileSync(file, renderJunit(run.result, { per }));
        // Throws with xmllint's message when the file does not validate.
        execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
      }
    }
  });
  if (!xmllint) console.warn('junit: xmllint not found, XSD validation skipped (apt-get install -y libxml2-utils)');
});
