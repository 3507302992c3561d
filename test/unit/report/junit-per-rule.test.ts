import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';
import { parseXml, type XmlNode } from './xml-tree.js';

const kids = (n: XmlNode, name: string) => n.children.filter((c) => c.name === name);
const suite = (doc: XmlNode, name: string) => kids(doc, 'testsuite').find((s) => s.attrs.name === name)!;
const testcase = (s: XmlNode, name: string) => kids(s, 'testcase').find((t) => t.attrs.name === name)!;

describe('junit --junit-per rule', () => {
  const { result } = buildFleetRun();
  const doc = parseXml(renderJunit(result, { per: 'rule' }));

  it('has one case per rule and destination host instead of one per path', () => {
    const pairs = new Set(result.checks.filter((c) => c.kind === 'probe').flatMap((c) => c.rules.map((r) => `${r} on ${c.to}`)));
    const hostSuites = kids(doc, 'testsuite').filter((s) => !['run', 'outbound'].includes(s.attrs.name!));
    const ruleCases = hostSuites.flatMap((s) => kids(s, 'testcase')).filter((t) => !t.attrs.name!.startsWith('connect '));
    expect(new Set(ruleCases.map((t) => t.attrs.name))).toEqual(pairs);
    expect(ruleCases.length).toBeLessThan(result.checks.length / 3);
    expect(kids(suite(doc, 'h2'), 'testcase').map((t) => t.attrs.name)).toContain('zk-discovery on h2');
    expect(testcase(suite(doc, 'h2'), 'zk-discovery on h2').attrs.classname).toBe('director+coordinator.h2');
  });

  it('fails a rule when any of its paths fails, listing the failing paths in the body', () => {
    const tc = testcase(suite(doc, 'h2'), 'zk-discovery on h2');
    const failure = kids(tc, 'failure')[0]!;
    expect(failure.attrs).toEqual({ message: '2 blocked of 2 paths', type: 'filtered' });
    expect(failure.text.split('\n')).toEqual([
      'BLOCKED h1 -> h2:2112 filtered (ETIMEDOUT), 2001 ms, retried; hint: director h2: nftables drops 2112/tcp from h1; allow zk-discovery from the directors (h1, h3)',
      'BLOCKED h3 -> h2:2112 filtered (ETIMEDOUT), 2001 ms, retried; hint: director h2: nftables drops 2112/tcp from h3; allow zk-discovery from the directors (h1, h3)',
    ]);
    expect(kids(testcase(suite(doc, 'h2'), 'zk-client on h2'), 'failure')).toEqual([]);
    const es = kids(testcase(suite(doc, 'h4'), 'es-rest on h4'), 'error')[0]!;
    expect(es.attrs.message).toMatch(/^4 error of \d+ paths$/);
    expect(es.text.split('\n')).toHaveLength(4);
  });

  it('passes exposures with a warning unless --fail-on-exposed', () => {
    const tc = testcase(suite(doc, 'h5'), 'docker-2375 on h5');
    expect(kids(tc, 'failure')).toEqual([]);
    expect(kids(tc, 'system-out')[0]!.text).toMatch(/^warning: 5 exposed \(warning\) of 5 paths\nEXPOSED h1 -> h5:2375 open/);
    const strict = parseXml(renderJunit(buildFleetRun({ failOnExposed: true }).result, { per: 'rule' }));
    expect(kids(testcase(suite(strict, 'h5'), 'docker-2375 on h5'), 'failure')[0]!.attrs.message).toBe('5 exposed of 5 paths');
  });

  it('groups outbound checks per rule and endpoint', () => {
    const out = suite(doc, 'outbound');
    expect(kids(out, 'testcase').map((t) => t.attrs.name)).toEqual([
      'outbound-registry -> docker.elastic.co:443',
      'outbound-snapshots -> snapshots.example.com:443',
    ]);
    const bad = kids(testcase(out, 'outbound-snapshots -> snapshots.example.com:443'), 'failure')[0]!;
    expect(bad.attrs.message).toBe('1 blocked of 6 paths');
    expect(bad.text).toContain('BLOCKED h6 -> snapshots.example.com:443 unreachable (EHOSTUNREACH)');
  });

  it('skips a rule whose paths did not all run (and nothing failed), with the reason', () => {
    const down = parseXml(renderJunit(buildFleetRun({ unreachable: ['h6'] }).result, { per: 'rule' }));
    const n2n = kids(testcase(suite(down, 'h6'), 'node-to-node on h6'), 'skipped')[0]!;
    expect(n2n.attrs.message).toBe('3 not checked of 3 paths: h6 unreachable: Timed out while waiting for handshake');
    expect(n2n.text).toContain('NOT CHECKED h1 -> h6:19000: h6 unreachable');
    const onH5 = kids(testcase(suite(down, 'h5'), 'node-to-node on h5'), 'skipped')[0]!;
    expect(onH5.attrs.message).toBe('1 not checked of 3 paths: h6 unreachable: Timed out while waiting for handshake');
    const reg = kids(testcase(suite(down, 'outbound'), 'outbound-registry -> docker.elastic.co:443'), 'skipped')[0]!;
    expect(reg.attrs.message).toBe('1 not checked of 6 paths: h6 unreachable: Timed out while waiting for handshake');
    // A rule that failed somewhere still fails, with what was not checked listed after the failures.
    const h1down = parseXml(renderJunit(buildFleetRun({ unreachable: ['h1'] }).result, { per: 'rule' }));
    const zk = kids(testcase(suite(h1down, 'h2'), 'zk-discovery on h2'), 'failure')[0]!;
    expect(zk.attrs.message).toBe('1 blocked, 1 not checked of 2 paths');
    expect(zk.text.split('\n')).toEqual([
      expect.stringMatching(/^BLOCKED h3 -> h2:2112 filtered/),
      'NOT CHECKED h1 -> h2:2112: h1 unreachable: Timed out while waiting for handshake',
    ]);
  });
});
