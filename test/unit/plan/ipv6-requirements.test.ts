import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { hostCheckCounts, hostChecksNotRun } from '../../../src/engine/host-check.js';
import { headlineOf, summarizeRun } from '../../../src/engine/run-summary.js';
import { IPV6_ID_SUFFIX, resolveIpv6Probes } from '../../../src/plan/ipv6-probes.js';
import { defaultPlanOptions, planSweep } from '../../../src/plan/index.js';
import type { PlannedRequirement } from '../../../src/plan/types.js';
import { judgeFleetRequirement, judgeIpv6Requirement } from '../../../src/tasks/requirement-verdicts.js';
import { fleet, host, smallFleet } from './fleet-builder.js';

const plan = (f = smallFleet(), skip: string[] = []) => planSweep(f, ECE_CATALOG, { ...defaultPlanOptions(), skip });

describe('IPv6 probes of proxy paths', () => {
  const p = plan();
  it('twin every host-to-proxy path of a proxy rule, apart from the IPv4 probes', () => {
    const v6 = p.ipv6Probes!;
    expect(v6.length).toBeGreaterThan(0);
    for (const x of v6) {
      expect(x.family).toBe('ipv6');
      expect(x.id.endsWith(IPV6_ID_SUFFIX)).toBe(true);
      expect(x.address).toBe('');
      expect(['h4', 'h5', 'h1']).toContain(x.to); // proxies (h1 is the first host)
      expect(x.from).not.toBe('@controller');
      expect(x.from).not.toBe(x.to);
      expect(p.probes.some((q) => q.id + IPV6_ID_SUFFIX === x.id)).toBe(true);
    }
    expect(v6.find((x) => x.id === `h6>h4:9200${IPV6_ID_SUFFIX}`)?.rules).toEqual(['proxy-kibana-es']);
    expect(v6.find((x) => x.id === `h2>h4:14043${IPV6_ID_SUFFIX}`)?.rules).toEqual(['proxy-allocator-service']);
    // Not for non-proxy ports such as install-check on a proxy.
    expect(v6.some((x) => x.port === 20000)).toBe(false);
    expect(p.probes.some((x) => x.family === 'ipv6')).toBe(false);
    expect(plan(smallFleet(), ['ipv6']).ipv6Probes).toBeUndefined();
  });
  it('resolve to the destination global IPv6 address, dropped where an end has none', () => {
    const v6 = p.ipv6Probes!.filter((x) => x.to === 'h4');
    const addrs: Record<string, string[]> = { h4: ['fd00:ece::4'], h6: ['fd00:ece::6'] };
    const out = resolveIpv6Probes([p.probes[0]!, ...v6], (h) => addrs[h]);
    expect(out[0]).toBe(p.probes[0]);
    // Only h6 (the one source with IPv6) probes h4, at h4's IPv6 address.
    expect(out.length).toBeGreaterThan(1);
    for (const x of out.slice(1)) expect(`${x.from}>${x.address}`).toBe('h6>fd00:ece::4');
    expect(resolveIpv6Probes(v6, () => undefined)).toEqual([]);
  });
});

describe('requirements judged', () => {
  const proxies = (version?: string) =>
    plan(fleet([host('h1', ['director', 'coordinator', 'allocator']), host('h2', ['proxy'], version ? { eceVersion: version } : {}), host('h3', ['allocator'])]), []);
  const ipv6Req = (v?: string) => proxies(v).requirements!.find((r) => r.requirement === 'proxy-ipv6');
  it('the plan lists proxy-ipv6 for proxies on 2.4.0/2.4.1 or an unknown version, not from 2.4.2', () => {
    expect(ipv6Req('2.4.1')!.hosts).toEqual(['h1', 'h2']);
    expect(ipv6Req('2.4.2')!.hosts).toEqual(['h1']); // h1: first host, version unknown
    expect(ipv6Req()!.versions).toEqual({ min: '2.4.0', max: '2.4.1' });
  });
  const req = ipv6Req('2.4.1')!;
  it('IPv6 off on a 2.4.1 proxy fails; 2.4.2 passes; unknown warns and says why; on passes', () => {
    const off = { ipv6: { enabled: false } };
    expect(judgeIpv6Requirement(req, 'h2', '2.4.1', off)).toMatchObject({ status: 'fail', host: 'h2', id: 'proxy-ipv6' });
    expect(judgeIpv6Requirement(req, 'h2', '2.4.0', off).message).toMatch(/2\.4\.0 to 2\.4\.1 needs it enabled/);
    expect(judgeIpv6Requirement(req, 'h2', '2.4.2', off).status).toBe('pass');
    const unknown = judgeIpv6Requirement(req, 'h2', undefined, off);
    expect(unknown.status).toBe('warn');
    expect(unknown.message).toMatch(/ece_version is not set/);
    expect(judgeIpv6Requirement(req, 'h2', '2.4.1', { ipv6: { enabled: true, addresses: ['fd00:ece::2'] } })).toMatchObject({ status: 'pass', message: 'IPv6 enabled (fd00:ece::2)' });
    expect(judgeIpv6Requirement(req, 'h2', '2.4.1', undefined).status).toBe('not-checked');
  });
  it('bandwidth is not checked without --bandwidth (said, not passed), left to the bandwidth task with it; round trips are measured per pair, not judged here; the first host passes by plan', () => {
    const rtt: PlannedRequirement = { requirement: 'director-rtt', kind: 'max-rtt-ms', value: 10, hosts: ['h1', 'h2'], purpose: 'Directors need under 10 ms' };
    expect(judgeFleetRequirement(rtt)).toEqual([]);
    const bw: PlannedRequirement = { requirement: 'multi-dc-bandwidth', kind: 'min-bandwidth-gbit', value: 10, hosts: ['h1', 'h2'], purpose: 'Across data centers: 10 Gbit' };
    expect(judgeFleetRequirement(bw)).toEqual([
      { kind: 'requirement', id: 'multi-dc-bandwidth', status: 'not-checked', message: 'Across data centers: 10 Gbit: not measured (a bounded transfer per pair of zones with --bandwidth, or --skip bandwidth) (h1, h2)' },
    ]);
    expect(judgeFleetRequirement({ ...bw, measure: true })).toEqual([]);
    const first: PlannedRequirement = { requirement: 'first-host-all-roles', kind: 'first-host-all-roles', hosts: ['h1'], purpose: '' };
    expect(judgeFleetRequirement(first)[0]).toMatchObject({ host: 'h1', status: 'pass' });
  });
  it('a host that never ran its checks leaves them not checked, with why', () => {
    const out = hostChecksNotRun([{ kind: 'requirement', id: 'proxy-ipv6', host: 'h2' }], [], (h) => (h === 'h2' ? 'unreachable: timeout' : undefined), false);
    expect(out).toEqual([{ kind: 'requirement', id: 'proxy-ipv6', host: 'h2', status: 'not-checked', message: 'h2 unreachable: timeout' }]);
  });
});

describe('host checks in the run summary', () => {
  const base = {
    hosts: [{ name: 'h1', state: 'done' as const }],
    planned: { probes: 2, outbound: 0 },
    checked: { probes: 2, outbound: 0 },
    totals: { blocked: 0, exposed: 0, error: 0 },
    interrupted: false,
    exposuresFail: false,
    warnings: 0,
  };
  it('a failed one fails the run; its line is in the headline', () => {
    const s = summarizeRun({ ...base, hostChecks: hostCheckCounts([{ status: 'fail' }, { status: 'pass' }]), hostCheckLines: ['h2 proxy-ipv6: fail: IPv6 is disabled'] });
    expect(s.status).toBe('failed');
    const h = headlineOf(s);
    expect(h.text).toMatch(/^FAILED: 1 host check failing/);
    expect(h.checkLines).toEqual(['h2 proxy-ipv6: fail: IPv6 is disabled']);
    expect(h.hostLines).toEqual([]);
  });
  it('one not checked is named in a passing headline, never silently passed', () => {
    const s = summarizeRun({ ...base, hostChecks: hostCheckCounts([{ status: 'not-checked' }, { status: 'pass' }]), hostCheckLines: ['fleet director-rtt: not-checked: ...'] });
    expect(s.status).toBe('passed');
    const h = headlineOf(s);
    expect(h.text).toMatch(/1 host check not checked/);
    expect(h.tone).toBe('warn');
  });
});
