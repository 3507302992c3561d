import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { HostAgent, proxyResult } from '../../../src/engine/host-agent.js';
import { outboundRecord } from '../../../src/engine/check-record.js';
import { parseIni } from '../../../src/inventory/parse-ini.js';
import { parseYaml } from '../../../src/inventory/parse-yaml.js';
import { toFleet } from '../../../src/inventory/fleet.js';
import { knownSkipIds } from '../../../src/plan/options.js';
import { bypassesProxy, parseNoProxyEntry, type NoProxyEntry } from '../../../src/model/no-proxy.js';
import { defaultPlanOptions, planSweep } from '../../../src/plan/index.js';
import type { OutboundCheck, PlanOptions } from '../../../src/plan/types.js';
import { outboundHint } from '../../../src/tasks/hints.js';
import { parseProbeLine, probeBatch } from '../../../src/tasks/host-agent-script.js';
import { proxyStatusCode, verdictOf, type ProbeResult } from '../../../src/tasks/probe-outcome.js';
import { LocalConnection } from '../../../src/transport/local.js';
import { fleet, host } from '../plan/fleet-builder.js';

// Issue 16 item 7: outbound checks to the host that serves the installation
// script, and through an HTTPS proxy (CONNECT) when the inventory names one.
// Network: loopback only. The proxy stand-in below answers CONNECT itself and
// never connects anywhere; every target is a name it only reads.

const plan = (hosts: Parameters<typeof fleet>[0], o: Partial<PlanOptions> = {}) => planSweep(fleet(hosts), ECE_CATALOG, { ...defaultPlanOptions(), ...o });

describe('inventory: ece_install_script_host and ece_https_proxy', () => {
  const yamlFleet = (vars: string) => toFleet(parseYaml(`all:\n  hosts:\n    h1:\n${vars}`, 'f.yml'), 'f.yml').hosts[0]!;
  it('the install script host defaults to download.elastic.co:443, host[:port] otherwise', () => {
    expect(yamlFleet('      ansible_host: 10.0.0.1\n').installScript).toEqual({ host: 'download.elastic.co', port: 443 });
    expect(yamlFleet('      ece_install_script_host: mirror.lan\n').installScript).toEqual({ host: 'mirror.lan', port: 443 });
    expect(yamlFleet('      ece_install_script_host: "mirror.lan:8443"\n').installScript).toEqual({ host: 'mirror.lan', port: 8443 });
    expect(() => yamlFleet('      ece_install_script_host: "$(touch x)"\n')).toThrow(/ece_install_script_host: expected host or host:port/);
  });
  it('ece_https_proxy: host:port or http://host:port; no proxy by default', () => {
    expect(yamlFleet('      ansible_host: 10.0.0.1\n').httpsProxy).toBeUndefined();
    expect(yamlFleet('      ece_https_proxy: "proxy.lan:3128"\n').httpsProxy).toEqual({ host: 'proxy.lan', port: 3128 });
    expect(yamlFleet('      ece_https_proxy: "http://10.0.0.9:8080/"\n').httpsProxy).toEqual({ host: '10.0.0.9', port: 8080 });
    expect(yamlFleet('      ece_https_proxy: "[fd00::9]:3128"\n').httpsProxy).toEqual({ host: 'fd00::9', port: 3128 });
    const ini = toFleet(parseIni('h1 ece_https_proxy=proxy.lan:3128\n', 'f.ini'), 'f.ini').hosts[0]!;
    expect(ini.httpsProxy).toEqual({ host: 'proxy.lan', port: 3128 });
  });
  it('refuses what it cannot use, naming the var, never echoing credentials', () => {
    expect(() => yamlFleet('      ece_https_proxy: "proxy.lan"\n')).toThrow(/ece_https_proxy: expected host:port/);
    expect(() => yamlFleet('      ece_https_proxy: "https://proxy.lan:3128"\n')).toThrow(/ece_https_proxy: only a plain HTTP proxy .*scheme 'https'/);
    let message = '';
    try {
      yamlFleet('      ece_https_proxy: "http://bob:s3cret@proxy.lan:3128"\n');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ece_https_proxy: credentials in the proxy value are not supported/);
    expect(message).not.toContain('s3cret');
    expect(() => yamlFleet('      ece_https_proxy: "proxy.lan:3128 -x"\n')).toThrow(/ece_https_proxy/);
  });
});

describe('plan: the install script check and the proxy', () => {
  it('checks download.elastic.co:443 under its own rule, after the registry', () => {
    const p = plan([host('h1', ['allocator'], { installScript: { host: 'download.elastic.co', port: 443 } })]);
    expect(p.outbound.map((c) => [c.id, c.rule])).toEqual([
      ['h1>docker.elastic.co:443', 'outbound-registry-https'],
      ['h1>docker.elastic.co:80', 'outbound-registry-http'],
      ['h1>download.elastic.co:443', 'outbound-install-script'],
    ]);
  });
  it('one endpoint serving the registry and the script is one check citing both rules', () => {
    const mirror = { host: 'mirror.lan', port: 443 };
    const p = plan([host('h1', ['allocator'], { registry: mirror, installScript: mirror })]);
    expect(p.outbound).toEqual([{ id: 'h1>mirror.lan:443', from: 'h1', host: 'mirror.lan', port: 443, rule: 'outbound-registry-https', alsoRules: ['outbound-install-script'] }]);
    const rec = outboundRecord(p.outbound[0]!, { outcome: 'open', ms: 1 }, 'ok');
    expect(rec.rules).toEqual(['outbound-registry-https', 'outbound-install-script']);
  });
  it('is skippable on its own (--skip outbound-install-script) and with --skip outbound', () => {
    expect(knownSkipIds(ECE_CATALOG)).toContain('outbound-install-script');
    const h = host('h1', ['allocator'], { installScript: { host: 'download.elastic.co', port: 443 } });
    expect(plan([h], { skip: ['outbound-install-script'] }).outbound.map((c) => c.rule)).not.toContain('outbound-install-script');
    expect(plan([h], { skip: ['outbound-install-script'] }).outbound).toHaveLength(2);
    expect(plan([h], { skip: ['outbound'] }).outbound).toEqual([]);
  });
  it('a host with ece_https_proxy has every outbound check go through it; others connect directly', () => {
    const proxy = { host: 'proxy.lan', port: 3128 };
    const p = plan([
      host('h1', ['allocator'], { httpsProxy: proxy, installScript: { host: 'download.elastic.co', port: 443 }, snapshotRepos: [{ host: 's3.example', port: 443 }] }),
      host('h2', ['allocator'], { installScript: { host: 'download.elastic.co', port: 443 } }),
    ]);
    const h1 = p.outbound.filter((c) => c.from === 'h1');
    expect(h1).toHaveLength(4);
    for (const c of h1) expect(c.proxy).toEqual(proxy);
    for (const c of p.outbound.filter((c) => c.from === 'h2')) expect(c.proxy).toBeUndefined();
  });
});

describe('ece_no_proxy: endpoints reached directly despite the proxy (NO_PROXY as curl reads it)', () => {
  const entries = (...t: string[]) => t.map((x) => parseNoProxyEntry(x) as NoProxyEntry);
  it('a name matches itself and its subdomains, however it is written; never a lookalike', () => {
    for (const e of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com']) {
      expect(bypassesProxy('example.com', entries(e)), e).toBe(true);
      expect(bypassesProxy('s3.eu.example.com', entries(e)), e).toBe(true);
      expect(bypassesProxy('badexample.com', entries(e)), e).toBe(false);
    }
    expect(bypassesProxy('example.com', entries('s3.example.com'))).toBe(false);
  });
  it('an address or CIDR matches endpoints given as addresses inside it; names are not resolved', () => {
    const e = entries('10.0.0.0/8', 'fd00::/8', '192.0.2.7');
    expect(bypassesProxy('10.20.30.40', e)).toBe(true);
    expect(bypassesProxy('[fd00::9]', e)).toBe(true);
    expect(bypassesProxy('192.0.2.7', e)).toBe(true);
    expect(bypassesProxy('192.0.2.8', e)).toBe(false);
    expect(bypassesProxy('11.0.0.1', e)).toBe(false);
    expect(bypassesProxy('registry.lan', e)).toBe(false);
    expect(bypassesProxy('anything.example', entries('*'))).toBe(true);
    expect(bypassesProxy('anything.example', [])).toBe(false);
  });
  it('the inventory refuses an entry it cannot read, naming the var', () => {
    const yamlFleet = (vars: string) => toFleet(parseYaml(`all:\n  hosts:\n    h1:\n${vars}`, 'f.yml'), 'f.yml').hosts[0]!;
    expect(yamlFleet('      ece_no_proxy: "s3.lan, 10.0.0.0/8"\n').noProxy).toEqual([
      { kind: 'domain', name: 's3.lan' },
      { kind: 'cidr', cidr: '10.0.0.0/8' },
    ]);
    expect(yamlFleet('      ece_no_proxy: [".corp.lan", "*"]\n').noProxy).toEqual([{ kind: 'domain', name: 'corp.lan' }, { kind: 'all' }]);
    expect(yamlFleet('      ansible_host: 10.0.0.1\n').noProxy).toBeUndefined();
    expect(() => yamlFleet('      ece_no_proxy: "s3.lan:9000"\n')).toThrow(/ece_no_proxy: ports are not supported/);
    expect(() => yamlFleet('      ece_no_proxy: "10.0.0.0/33"\n')).toThrow(/ece_no_proxy: prefix length must be 0\.\.32/);
    expect(() => yamlFleet('      ece_no_proxy: "$(id)"\n')).toThrow(/ece_no_proxy: expected \*, a domain, an address or a CIDR/);
  });
  it('plan: a check to an endpoint the list names goes direct, the others through the proxy', () => {
    const proxy = { host: 'proxy.lan', port: 3128 };
    const p = plan([
      host('h1', ['allocator'], {
        httpsProxy: proxy,
        noProxy: entries('.corp.lan'),
        registry: { host: 'registry.corp.lan', port: 443 },
        installScript: { host: 'download.elastic.co', port: 443 },
        snapshotRepos: [{ host: 's3.corp.lan', port: 9000 }],
      }),
    ]);
    expect(p.outbound.map((c) => [c.id, c.proxy?.host ?? 'direct'])).toEqual([
      ['h1>registry.corp.lan:443', 'direct'],
      ['h1>download.elastic.co:443', 'proxy.lan'],
      ['h1>s3.corp.lan:9000', 'direct'],
    ]);
  });
});

describe('the agent protocol through a proxy', () => {
  it('sends the proxy on the target line; the target stays a name', () => {
    expect(probeBatch([{ id: '0', address: 'download.elastic.co', port: 443, proxy: { host: '10.0.0.9', port: 3128 } }], 2000, 4)).toBe('B 2000 4\n0 download.elastic.co 443 10.0.0.9 3128\nE\n');
    expect(() => probeBatch([{ id: '0', address: 'a', port: 443, proxy: { host: 'p x', port: 1 } }], 2000, 4)).toThrow(/whitespace/);
  });
  it('reads the stage: P the proxy itself, C the proxy answered (status line %-decoded)', () => {
    expect(parseProbeLine('R 3 refused 2 ECONNREFUSED 0 P')).toEqual({ id: '3', outcome: 'refused', ms: 2, detail: 'ECONNREFUSED', retried: false, stage: 'proxy' });
    expect(parseProbeLine('R 3 refused 9 HTTP/1.1%20403%20Forbidden 0 C')).toEqual({ id: '3', outcome: 'refused', ms: 9, detail: 'HTTP/1.1 403 Forbidden', retried: false, stage: 'connect' });
    expect(parseProbeLine('R 3 filtered 2000 no_answer_to_CONNECT 0 C')!.detail).toBe('no_answer_to_CONNECT');
    // a direct target's line is as before
    expect(parseProbeLine('R 3 open 1 - 0')).toEqual({ id: '3', outcome: 'open', ms: 1, detail: undefined, retried: false });
  });
  it('the result names the proxy, the stage and who resolved the name', () => {
    const r = parseProbeLine('R 0 refused 9 HTTP/1.1%20407%20Proxy%20Authentication%20Required 0 C')!;
    expect(proxyResult({ host: 'proxy.lan', port: 3128 }, r)).toEqual({ proxy: { address: 'proxy.lan:3128', at: 'connect', status: 'HTTP/1.1 407 Proxy Authentication Required', resolvedBy: 'proxy' } });
    expect(proxyResult({ host: 'fd00::9', port: 3128 }, parseProbeLine('R 0 filtered 2000 timeout 1 P')!)).toEqual({ proxy: { address: '[fd00::9]:3128', at: 'proxy', resolvedBy: 'proxy' } });
    expect(proxyResult(undefined, r)).toEqual({});
    expect(proxyStatusCode('HTTP/1.1 403 Forbidden')).toBe(403);
    expect(proxyStatusCode('HTTP/1.0 200 Connection established')).toBe(200);
    expect(proxyStatusCode('SSH-2.0-OpenSSH')).toBeUndefined();
  });
});

describe('hints through a proxy: which of the two failed', () => {
  const check: OutboundCheck = { id: 'h2>download.elastic.co:443', from: 'h2', host: 'download.elastic.co', port: 443, rule: 'outbound-install-script', proxy: { host: 'proxy.lan', port: 3128 } };
  const hint = (r: ProbeResult) => outboundHint(check, r, verdictOf('open', r.outcome))!;
  const via = (at: 'proxy' | 'connect', status?: string) => ({ address: 'proxy.lan:3128', at, ...(status ? { status } : {}), resolvedBy: 'proxy' as const });
  it('proxy unreachable: names the proxy, not the target', () => {
    const h = hint({ outcome: 'refused', ms: 1, detail: 'ECONNREFUSED', proxy: via('proxy') });
    expect(h).toMatch(/^proxy unreachable: h2's HTTPS proxy proxy\.lan:3128 refused the connection/);
    expect(h).toContain('download.elastic.co:443 was never asked for');
    expect(hint({ outcome: 'filtered', ms: 2000, detail: 'timeout', proxy: via('proxy') })).toMatch(/^proxy unreachable: .* did not answer within the timeout/);
    expect(hint({ outcome: 'unresolved', ms: 3, detail: 'EAI_NONAME', proxy: via('proxy') })).toMatch(/^proxy unreachable: h2 cannot resolve its HTTPS proxy's name proxy\.lan:3128 \(no such name\)/);
  });
  it('proxy refused the target (its access rules), or wants authentication (could not tell)', () => {
    const h = hint({ outcome: 'refused', ms: 3, detail: 'HTTP/1.1 403 Forbidden', proxy: via('connect', 'HTTP/1.1 403 Forbidden') });
    expect(h).toMatch(/^proxy refused the target: proxy\.lan:3128 answered "HTTP\/1\.1 403 Forbidden" to CONNECT download\.elastic\.co:443 from h2 \(its access rules deny it\)/);
    const auth = hint({ outcome: 'error', ms: 3, proxy: via('connect', 'HTTP/1.1 407 Proxy Authentication Required') });
    expect(auth).toMatch(/^could not tell: proxy\.lan:3128 wants proxy authentication \("HTTP\/1\.1 407 Proxy Authentication Required"\) for CONNECT download\.elastic\.co:443 from h2, and ece-preflight sends no credentials/);
  });
  it('proxy could not reach the target: it resolves the name itself', () => {
    const h = hint({ outcome: 'refused', ms: 3, proxy: via('connect', 'HTTP/1.1 502 Bad Gateway') });
    expect(h).toMatch(/^proxy could not reach the target: .*the proxy resolves download\.elastic\.co itself/);
    expect(hint({ outcome: 'filtered', ms: 2000, detail: 'no_answer_to_CONNECT', proxy: via('connect') })).toMatch(/^proxy gave no answer/);
  });
  it('open through the proxy has no hint', () => {
    expect(outboundHint(check, { outcome: 'open', ms: 3, proxy: via('connect', 'HTTP/1.1 200 OK') }, 'ok')).toBeUndefined();
  });
});

describe('the host agent through a CONNECT proxy (loopback stand-in)', () => {
  const asked: string[] = [];
  const sockets = new Set<net.Socket>();
  // Answers CONNECT by the target it names, never connecting anywhere.
  const proxy = net.createServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    let got = '';
    c.on('data', (d) => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      const [line = '', ...headers] = got.split('\r\n');
      asked.push(`${line} | ${headers.find((h) => h.startsWith('Host:')) ?? ''}`);
      const target = line.split(' ')[1] ?? '';
      if (target.startsWith('allowed.')) c.end('HTTP/1.1 200 Connection established\r\n\r\n');
      else if (target.startsWith('silent.')) return; // keeps the connection, never answers
      else if (target.startsWith('garbled.')) c.end('SSH-2.0-OpenSSH_9.2\r\n');
      else if (target.startsWith('auth.')) c.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      else c.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    c.on('error', () => undefined);
  });
  let port = 0;
  let downPort = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    port = (proxy.address() as net.AddressInfo).port;
    // a loopback port nothing listens on: the proxy down
    const tmp = net.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
    downPort = (tmp.address() as net.AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => proxy.close(() => r()));
  });

  it('200 open, 403 refused with the status line, 407 could not tell, proxy down, no answer, not HTTP: each told apart', async () => {
    const agent = new HostAgent(new LocalConnection('local'), [], 30, { facts: false });
    try {
      expect((await agent.listeners).ready).toBe(true);
      const via = { host: '127.0.0.1', port };
      const targets = [
        { name: 'allowed', address: 'allowed.invalid', port: 443, proxy: via },
        { name: 'denied', address: 'denied.invalid', port: 443, proxy: via },
        { name: 'silent', address: 'silent.invalid', port: 443, proxy: via },
        { name: 'garbled', address: 'garbled.invalid', port: 443, proxy: via },
        { name: 'auth', address: 'auth.invalid', port: 443, proxy: via },
        { name: 'v6', address: 'fd00::1', port: 8443, proxy: via },
        { name: 'down', address: 'allowed.invalid', port: 443, proxy: { host: '127.0.0.1', port: downPort } },
        // the proxy by name: the source resolves the proxy's name (localhost), never the target's
        { name: 'byName', address: 'allowed.invalid', port: 443, proxy: { host: 'localhost', port } },
      ];
      const seen: Record<string, ProbeResult> = {};
      const t0 = Date.now();
      await agent.runBatch(targets, { timeoutMs: 800, concurrency: 8 }, (t, r) => (seen[t.name] = r));
      expect(Date.now() - t0).toBeLessThan(5000);
      const brief = (r: ProbeResult) => [r.outcome, r.proxy?.at, r.proxy?.status ?? r.detail];
      expect(brief(seen.allowed!)).toEqual(['open', 'connect', 'HTTP/1.1 200 Connection established']);
      expect(brief(seen.denied!)).toEqual(['refused', 'connect', 'HTTP/1.1 403 Forbidden']);
      expect(seen.denied!.detail).toBe('HTTP/1.1 403 Forbidden');
      expect(brief(seen.silent!)).toEqual(['filtered', 'connect', 'no_answer_to_CONNECT']);
      expect(seen.garbled!.outcome).toBe('error');
      expect(seen.garbled!.proxy?.at).toBe('connect');
      expect(seen.garbled!.detail).toMatch(/^not_an_HTTP_answer:SSH-2\.0/);
      expect(brief(seen.v6!)).toEqual(['refused', 'connect', 'HTTP/1.1 403 Forbidden']);
      // 407: the proxy wants credentials a preflight does not send: could not tell, not blocked
      expect(brief(seen.auth!)).toEqual(['error', 'connect', 'HTTP/1.1 407 Proxy Authentication Required']);
      expect(verdictOf('open', seen.auth!.outcome)).toBe('error');
      expect(brief(seen.down!)).toEqual(['refused', 'proxy', 'ECONNREFUSED']);
      expect(seen.down!.proxy?.address).toBe(`127.0.0.1:${downPort}`);
      expect(brief(seen.byName!)).toEqual(['open', 'connect', 'HTTP/1.1 200 Connection established']);
      for (const r of Object.values(seen)) expect(r.proxy?.resolvedBy).toBe('proxy');
      // the names reached the proxy as written: nothing resolved them on the source
      expect(asked).toContain('CONNECT allowed.invalid:443 HTTP/1.1 | Host: allowed.invalid:443');
      expect(asked).toContain('CONNECT [fd00::1]:8443 HTTP/1.1 | Host: [fd00::1]:8443');
      // a direct target in the same agent still works as before (and a later batch answers DONE)
      const direct: ProbeResult[] = [];
      await agent.runBatch([{ address: '127.0.0.1', port }], { timeoutMs: 800, concurrency: 8 }, (_t, r) => direct.push(r));
      expect(direct.map((r) => [r.outcome, r.proxy])).toEqual([['open', undefined]]);
    } finally {
      agent.stop();
    }
  });
});
