import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { mergeSpecs } from '../../../src/catalog/ports.js';
import type { InboundRule, PortSpec } from '../../../src/catalog/types.js';
import { SEED_TABLES, validateCatalog } from '../../../src/catalog/validate.js';
import { normalize, seedRows, seedText } from './seed-tables.js';

const same = (a: PortSpec[], b: PortSpec[]): void => expect(mergeSpecs(a)).toEqual(mergeSpecs(b));
const cites = (rule: { seed: { table: string; number?: number; text: string }[] }, table: string, text: string): boolean =>
  rule.seed.some((s) => s.table === table && normalize(s.text) === text);

describe('ECE_CATALOG against the seed, row by row', () => {
  const rows = seedRows();

  it('reads the three tables of the seed', () => {
    expect(rows.filter((r) => r.table === 'inbound-1')).toHaveLength(6);
    expect(rows.filter((r) => r.table === 'inbound-2')).toHaveLength(11);
    expect(rows.filter((r) => r.table === 'outbound')).toHaveLength(2);
  });

  for (const row of rows.filter((r) => r.table !== 'outbound')) {
    it(`${row.table} #${row.number ?? '-'} ${row.role} ${row.purpose.slice(0, 40)}`, () => {
      const matches = ECE_CATALOG.inbound.filter((r) => cites(r, row.table, row.purpose));
      expect(matches).toHaveLength(1);
      const rule = matches[0]!;
      const ref = rule.seed.find((s) => s.table === row.table)!;
      expect(ref.number).toBe(row.number);
      expect(rule.dest).toEqual(row.role === 'All' ? 'all' : [row.role.toLowerCase()]);
      same(rule.ports, row.ports);
      // The first table is traffic from any source: external clients must be a source.
      if (row.table === 'inbound-1') expect(rule.sources.some((s) => s.kind === 'external')).toBe(true);
      // The second is traffic between ECE components: never external.
      if (row.table === 'inbound-2') expect(rule.sources.some((s) => s.kind === 'external')).toBe(false);
    });
  }

  for (const row of rows.filter((r) => r.table === 'outbound')) {
    it(`outbound ${row.ports.join(',')}`, () => {
      const matches = ECE_CATALOG.outbound.filter((r) => r.target === 'registry' && cites(r, 'outbound', row.purpose));
      expect(matches).toHaveLength(1);
      expect(matches[0]!.ports).toEqual(row.ports);
    });
  }

  it('the installation script of the outbound rows has a rule of its own, on its endpoint\'s port (HTTPS)', () => {
    const script = ECE_CATALOG.outbound.filter((r) => r.target === 'install-script');
    expect(script.map((r) => r.id)).toEqual(['outbound-install-script']);
    const https = rows.find((r) => r.table === 'outbound' && r.ports.includes(443))!;
    expect(https.purpose).toMatch(/^installation script/i);
    expect(cites(script[0]!, 'outbound', https.purpose)).toBe(true);
    expect(script[0]!.endpointPort).toBe(true);
    expect(script[0]!.note).toMatch(/download\.elastic\.co/);
  });

  it('the ZooKeeper sentence: 12898-12908 and 13898-13908 on directors, between directors', () => {
    const sentence = /[^\n]*ZooKeeper leader and election[^\n]*/.exec(seedText())![0];
    const ranges = [...sentence.matchAll(/(\d+)-(\d+)/g)].map((m) => ({ from: Number(m[1]), to: Number(m[2]) }));
    const rule = ECE_CATALOG.inbound.find((r) => r.seed.some((s) => s.table === 'zookeeper-note'))!;
    expect(normalize(rule.seed[0]!.text)).toBe(normalize(sentence));
    same(rule.ports, ranges);
    expect(rule.dest).toEqual(['director']);
    expect(rule.sources).toEqual([{ kind: 'roles', roles: ['director'] }]);
  });

  it('the intro: install-check ports between all hosts, 2375 local only', () => {
    const text = seedText();
    const install = ECE_CATALOG.inbound.find((r) => r.id === 'install-check')!;
    expect(text).toContain(install.seed[0]!.text);
    same(install.ports, [20000, 21000, 22000]);
    expect(install.sources).toEqual([{ kind: 'all-hosts' }]);
    const docker = ECE_CATALOG.inbound.find((r) => r.id === 'docker-2375')!;
    expect(text).toContain(docker.seed[0]!.text);
    expect(docker).toMatchObject({ dest: 'all', ports: [2375], expect: 'closed', sources: [{ kind: 'local' }] });
  });

  it('the intro and multi-DC sentences as host requirements', () => {
    const text = normalize(seedText());
    const byId = new Map(ECE_CATALOG.requirements.map((r) => [r.id, r]));
    expect(byId.get('proxy-ipv6')).toMatchObject({ kind: 'ipv6-enabled', appliesTo: ['proxy'], versions: { min: '2.4.0', max: '2.4.1' } });
    expect(byId.get('first-host-all-roles')?.kind).toBe('first-host-all-roles');
    expect(byId.get('multi-dc-rtt')).toMatchObject({ kind: 'max-rtt-ms', value: 10 });
    expect(byId.get('multi-dc-bandwidth')).toMatchObject({ kind: 'min-bandwidth-gbit', value: 10 });
    expect(byId.get('director-rtt')).toMatchObject({ kind: 'max-rtt-ms', value: 10, appliesTo: ['director'] });
    for (const req of ECE_CATALOG.requirements) {
      for (const s of req.seed) if (s.table !== 'design') expect(text).toContain(normalize(s.text));
    }
  });

  it('the role conflicts', () => {
    const conflicts = ECE_CATALOG.requirements.filter((r) => r.kind === 'role-conflict').map((r) => r.value);
    expect(conflicts).toEqual([
      ['allocator', 'coordinator'],
      ['allocator', 'director'],
      ['coordinator', 'proxy'],
    ]);
  });
});

describe('ECE_CATALOG: every rule traceable (the reverse direction)', () => {
  const rows = seedRows();
  const text = normalize(seedText());
  const all: { id: string; seed: { table: string; text: string }[] }[] = [
    ...ECE_CATALOG.inbound,
    ...ECE_CATALOG.outbound,
    ...ECE_CATALOG.requirements,
  ];
  for (const rule of all) {
    it(rule.id, () => {
      expect(rule.seed.length).toBeGreaterThan(0);
      for (const ref of rule.seed) {
        expect(SEED_TABLES).toContain(ref.table);
        if (ref.table === 'inbound-1' || ref.table === 'inbound-2') {
          expect(rows.some((r) => r.table === ref.table && r.purpose === normalize(ref.text))).toBe(true);
        } else if (ref.table === 'outbound') {
          const row = rows.some((r) => r.table === 'outbound' && r.purpose === normalize(ref.text));
          // The snapshot-repository note is prose under the table, not a row.
          expect(row || text.includes(normalize(ref.text))).toBe(true);
        } else if (ref.table !== 'design') {
          expect(text).toContain(normalize(ref.text));
        }
      }
    });
  }

  it('every inbound rule that is not a seed row says why in a note or cites design', () => {
    const rowRules = new Set(
      ECE_CATALOG.inbound.filter((r) => r.seed.some((s) => s.table === 'inbound-1' || s.table === 'inbound-2')).map((r) => r.id),
    );
    expect(rowRules.size).toBe(17);
  });

  it('optional CCS, and the container-only ports', () => {
    const ccs = ECE_CATALOG.inbound.find((r: InboundRule) => r.optional);
    expect(ccs?.id).toBe('proxy-ccs');
    expect(ccs?.optional?.flag).toBe('ccs');
    expect(mergeSpecs(ECE_CATALOG.containerOnlyPorts)).toEqual(
      mergeSpecs([53, 2180, 2375, { from: 2191, to: 2199 }, { from: 5000, to: 5010 }, { from: 8080, to: 8084 }, 9000, 9043, 9244]),
    );
  });
});

describe('validateCatalog', () => {
  it('accepts the ECE catalog', () => {
    expect(validateCatalog(ECE_CATALOG)).toBe(ECE_CATALOG);
  });
  it('rejects duplicate ids, bad ports, missing seed refs, closed ports also required open', () => {
    const bad = structuredClone(ECE_CATALOG);
    bad.inbound.push({ ...bad.inbound[0]!, ports: [{ from: 10, to: 5 }], seed: [] });
    bad.inbound.push({ ...bad.inbound[1]!, id: 'x', ports: [2375] });
    expect(() => validateCatalog(bad)).toThrow(/duplicate id 'ssh'.*no seed reference.*bad port.*docker-2375 and x share a port/);
  });
});
