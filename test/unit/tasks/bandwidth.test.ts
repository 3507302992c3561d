import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { HostAgent } from '../../../src/engine/host-agent.js';
import { defaultPlanOptions, planSweep } from '../../../src/plan/index.js';
import { planOptionsFromVars, planOptionsToVars } from '../../../src/plan/options-from-vars.js';
import { bandwidthCommand, bandwidthPairs, judgeBandwidth, parseTransferLine, type BandwidthPair } from '../../../src/tasks/bandwidth.js';
import { judgeFleetRequirement } from '../../../src/tasks/requirement-verdicts.js';
import { LocalConnection } from '../../../src/transport/local.js';
import { fleet, host } from '../plan/fleet-builder.js';

// --bandwidth: one pair per pair of zones, a bounded transfer from the source
// host to one of the destination's listeners (the agent reads and discards),
// judged against the seed's 10 Gbit/s.

const zoned = (zones: string[]) =>
  fleet([
    host('h1', ['director', 'coordinator'], { zone: zones[0] }),
    host('h2', ['proxy'], { zone: zones[1] }),
    host('h3', ['allocator'], { zone: zones[2] }),
    host('h4', ['allocator'], { zone: zones[0] }),
  ]);
const planOf = (zones: string[], opts: { bandwidth?: boolean; skip?: string[] } = {}) =>
  planSweep(zoned(zones), ECE_CATALOG, { ...defaultPlanOptions(), skip: opts.skip ?? [], ...(opts.bandwidth ? { bandwidth: true } : {}) });
const bwReq = (p: ReturnType<typeof planOf>) => (p.requirements ?? []).find((r) => r.kind === 'min-bandwidth-gbit');

describe('planning', () => {
  it('is measured only with --bandwidth, not listed with --skip bandwidth, and needs two zones', () => {
    expect(bwReq(planOf(['a', 'b', 'b']))).toMatchObject({ requirement: 'multi-dc-bandwidth', value: 10 });
    expect(bwReq(planOf(['a', 'b', 'b']))!.measure).toBeUndefined();
    expect(bwReq(planOf(['a', 'b', 'b'], { bandwidth: true }))!.measure).toBe(true);
    expect(bwReq(planOf(['a', 'b', 'b'], { bandwidth: true, skip: ['bandwidth'] }))).toBeUndefined();
    expect(bwReq(planOf(['a', 'a', 'a'], { bandwidth: true }))).toBeUndefined();
    // judged up front only when not measured
    expect(judgeFleetRequirement(bwReq(planOf(['a', 'b', 'b']))!)[0]).toMatchObject({ status: 'not-checked' });
    expect(judgeFleetRequirement(bwReq(planOf(['a', 'b', 'b'], { bandwidth: true }))!)).toEqual([]);
  });

  it('ece_bandwidth and --bandwidth travel as play vars', () => {
    expect(planOptionsFromVars({ ece_bandwidth: true }, ECE_CATALOG).bandwidth).toBe(true);
    expect(planOptionsFromVars({ ece_bandwidth: false }, ECE_CATALOG).bandwidth).toBeUndefined();
    expect(planOptionsToVars({ ...defaultPlanOptions(), bandwidth: true }).ece_bandwidth).toBe(true);
    expect(planOptionsToVars(defaultPlanOptions())).not.toHaveProperty('ece_bandwidth');
    expect(planOptionsFromVars({ ece_skip: ['bandwidth'] }, ECE_CATALOG).skip).toEqual(['bandwidth']);
  });

  it('one pair per pair of zones, over a port the destination listens on and the source must reach', () => {
    const p = planOf(['a', 'b', 'c'], { bandwidth: true });
    const { pairs, unpaired } = bandwidthPairs(p.requirements ?? [], p.hosts, p.probes);
    expect(unpaired).toEqual([]);
    expect(pairs.map((x) => `${x.fromZone}>${x.toZone} ${x.from}>${x.to}`)).toEqual(['a>b h1>h2', 'a>c h1>h3', 'b>c h2>h3']);
    for (const x of pairs) {
      const listening = p.hosts.find((h) => h.host.name === x.to)!.listeners.map((l) => l.port);
      expect(x.ports.length).toBeGreaterThan(0);
      for (const port of x.ports) {
        expect(listening).toContain(port);
        expect(p.probes.some((q) => q.from === x.from && q.to === x.to && q.port === port && q.expect === 'open')).toBe(true);
      }
      expect(x.address).toBe(`198.18.0.${x.to.slice(1)}`);
    }
    // without --bandwidth nothing is measured
    const off = planOf(['a', 'b', 'c']);
    expect(bandwidthPairs(off.requirements ?? [], off.hosts, off.probes).pairs).toEqual([]);
  });
});

describe('judging one transfer', () => {
  const pair: BandwidthPair = { requirement: 'multi-dc-bandwidth', from: 'h1', to: 'h3', fromZone: 'dc1', toZone: 'dc2', address: '198.18.0.13', ports: [19000], minGbit: 10 };
  const bounds = { seconds: 2, maxBytes: 1024 * 2 ** 20 };

  it('reads the sender line', () => {
    expect(parseTransferLine('BW 12500000 1000 ok -\n')).toEqual({ bytes: 12500000, ms: 1000, outcome: 'ok' });
    expect(parseTransferLine('BW 0 0 connect ECONNREFUSED\n')).toEqual({ bytes: 0, ms: 0, outcome: 'connect', detail: 'ECONNREFUSED' });
    expect(parseTransferLine('python3: not found')).toBeUndefined();
  });

  it('passes at 10 Gbit/s, warns under it with the figure and the bounds, never passes what it could not measure', () => {
    expect(judgeBandwidth(pair, 19000, { bytes: 2.5e9, ms: 2000, outcome: 'ok' }, bounds)).toMatchObject({ status: 'pass', host: 'h1', id: 'multi-dc-bandwidth' });
    const slow = judgeBandwidth(pair, 19000, { bytes: 12_500_000, ms: 1000, outcome: 'ok' }, bounds);
    expect(slow.status).toBe('warn');
    expect(slow.message).toMatch(/^h1 \(dc1\) -> h3 \(dc2\) 198\.18\.0\.13:19000: 0\.100 Gbit\/s over one TCP stream \(12\.5 MB in 1\.00 s, capped at 2 s or 1024 MiB\): under the 10 Gbit\/s/);
    expect(judgeBandwidth(pair, 19000, { bytes: 0, ms: 0, outcome: 'connect', detail: 'ECONNREFUSED' }, bounds)).toMatchObject({ status: 'not-checked' });
    expect(judgeBandwidth(pair, 19000, { bytes: 0, ms: 0, outcome: 'connect', detail: 'ECONNREFUSED' }, bounds).message).toMatch(/could not connect \(refused, ECONNREFUSED\)/);
    expect(judgeBandwidth(pair, 19000, { bytes: 5, ms: 3, outcome: 'reset', detail: 'ECONNRESET' }, bounds).status).toBe('not-checked');
    expect(judgeBandwidth(pair, 19000, undefined, bounds, 'python3 not found').message).toMatch(/could not measure \(python3 not found\)/);
  });

  it('builds a command of digits and base64 only; the target goes over stdin', () => {
    const { command, stdin } = bandwidthCommand('198.18.0.13', 19000, { seconds: 1.5, maxBytes: 2 ** 20 });
    expect(command.split('\n').at(-1)).toMatch(/^exec "\$P" -I -S -c "import binascii;exec\(binascii\.a2b_base64\('[A-Za-z0-9+/=]+'\)\)"$/);
    expect(stdin).toBe('198.18.0.13 19000 1500 1048576\n');
    expect(() => bandwidthCommand('a b', 1, { seconds: 1, maxBytes: 1 })).toThrow(/bad address/);
  });
});

describe('the transfer against a real agent listener (loopback)', () => {
  it('the listener reads and discards until the sender closes; the byte cap ends the transfer; a probe still sees open', async () => {
    const port = await new Promise<number>((res) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => res(p));
      });
    });
    const agent = new HostAgent(new LocalConnection('local'), [port], 30, { facts: false });
    try {
      expect((await agent.listeners).bound).toEqual([port]);
      const { command, stdin } = bandwidthCommand('127.0.0.1', port, { seconds: 5, maxBytes: 16 * 2 ** 20 });
      const r = await new LocalConnection('local').exec(command, { stdin, timeoutMs: 20_000 });
      const line = parseTransferLine(r.stdout);
      expect(line, r.stdout + r.stderr).toMatchObject({ outcome: 'ok', bytes: 16 * 2 ** 20 });
      expect(line!.ms).toBeLessThan(5000);
      // the time cap: a tiny cap still ends with everything read
      const capped = bandwidthCommand('127.0.0.1', port, { seconds: 0.2, maxBytes: 100 * 2 ** 30 });
      const c = parseTransferLine((await new LocalConnection('local').exec(capped.command, { stdin: capped.stdin, timeoutMs: 20_000 })).stdout);
      expect(c?.outcome).toBe('ok');
      expect(c!.ms).toBeGreaterThanOrEqual(200);
      expect(c!.ms).toBeLessThan(3000);
      const seen: string[] = [];
      await agent.runBatch([{ address: '127.0.0.1', port }], { timeoutMs: 1000, concurrency: 1 }, (_t, res) => seen.push(res.outcome));
      expect(seen).toEqual(['open']);
      // nothing listens: not measured
      const none = bandwidthCommand('127.0.0.1', port + 1 > 65535 ? port - 1 : port + 1, { seconds: 1, maxBytes: 1024 });
      expect(parseTransferLine((await new LocalConnection('local').exec(none.command, { stdin: none.stdin, timeoutMs: 10_000 })).stdout)).toMatchObject({ outcome: 'connect', detail: 'ECONNREFUSED' });
    } finally {
      agent.stop();
      await agent.done;
    }
  });
});
