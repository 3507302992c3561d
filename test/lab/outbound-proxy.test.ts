import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import { tcpOpen } from '../../src/lab/sshd.js';
import { labExec, labHost, labHostName } from '../../src/lab/lab.js';
import { runCli } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// Issue 16 item 7: outbound checks through an HTTPS proxy (ece_https_proxy),
// and to the host that serves the installation script (ece_install_script_host).
// A tiny CONNECT proxy stand-in runs in h1 on 198.18.0.11:3128. Network: lab
// hosts only. The stand-in allows only the CONNECT targets on its command line
// (lab names, resolved by h1's private /etc/hosts, and only to 198.18.0.0/24);
// every outbound target in the inventory is a lab host, so download.elastic.co
// and docker.elastic.co are never asked for.
const prefix = 'ecepx';
// labDown ends the proxy stand-in with every other process in the lab's namespaces.
const used = useLab({ hosts: 3, prefix, resolver: ['h1', 'h2', 'h3'] });
const dir = used.dir;
const PROXY_PORT = 3128;
const DOWN_PORT = 3129; // nothing listens there: the proxy down

const PROXY_PY = String.raw`
import ipaddress, socket, sys, threading
host, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
allow = set(sys.argv[4:])
lab = ipaddress.ip_network('198.18.0.0/24')
def serve(c, peer):
    try:
        c.settimeout(5)
        buf = b''
        while b'\r\n\r\n' not in buf and len(buf) < 8192:
            d = c.recv(4096)
            if not d:
                return
            buf += d
        line = buf.split(b'\r\n')[0].decode('latin-1')
        with open(log, 'a') as f:
            f.write('%s %s\n' % (peer[0], line))
        parts = line.split(' ')
        if len(parts) != 3 or parts[0] != 'CONNECT' or parts[1] not in allow:
            c.sendall(b'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
            return
        name, p = parts[1].rsplit(':', 1)
        try:
            addr = socket.getaddrinfo(name, int(p), socket.AF_INET, socket.SOCK_STREAM)[0][4]
        except OSError:
            c.sendall(b'HTTP/1.1 502 Bad Gateway\r\n\r\n')
            return
        if ipaddress.ip_address(addr[0]) not in lab:
            c.sendall(b'HTTP/1.1 403 Forbidden\r\n\r\n')
            return
        try:
            socket.create_connection(addr, timeout=2).close()
        except OSError:
            c.sendall(b'HTTP/1.1 502 Bad Gateway\r\n\r\n')
            return
        c.sendall(b'HTTP/1.1 200 Connection established\r\n\r\n')
    except OSError:
        pass
    finally:
        c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(64)
while True:
    c, peer = s.accept()
    threading.Thread(target=serve, args=(c, peer), daemon=True).start()
`;


describe('outbound checks through an HTTPS proxy (CONNECT), and the install script host', () => {
  it('allowed (200), refused by the proxy (403), proxy down: each its own result; the proxy resolves the names', async () => {
    const { lab } = used;
    const h1 = labHost(lab, 'h1');
    const h2 = labHost(lab, 'h2');
    const registryName = labHostName(lab, { name: 'h1' });
    const deniedName = labHostName(lab, { name: 'h3' });
    // The proxy stand-in on h1 allows CONNECT to h1's registry stand-in by name only.
    const script = path.join(dir, 'connect-proxy.py');
    const log = path.join(dir, 'connect-proxy.log');
    writeFileSync(script, PROXY_PY);
    writeFileSync(log, '');
    const started = await labExec(h1, ['sh', '-c', `setsid python3 ${script} ${h1.address} ${PROXY_PORT} ${log} ${registryName}:443 >/dev/null 2>&1 & echo $!`]);
    expect(Number(started.stdout.trim())).toBeGreaterThan(0);
    for (let i = 0; i < 100 && !(await tcpOpen(h1.address, PROXY_PORT, 300)); i++) await new Promise((r) => setTimeout(r, 50));

    // h2 resolves no lab name at all (its /etc/hosts without them; its resolver answers nothing, no query leaves h2).
    writeFileSync(h2.hostsFile!, '127.0.0.1 localhost\n::1 localhost\n');
    expect((await labExec(h2, ['getent', 'hosts', registryName])).code, 'h2 must not resolve the registry name').not.toBe(0);

    const inv = yaml.load(readFileSync(lab.inventoryFile, 'utf8')) as { all: { vars: Record<string, unknown>; hosts: Record<string, Record<string, unknown>> } };
    // every outbound target a lab host: the lab inventory already points both at h1's registry stand-in
    expect(inv.all.vars.ece_registry).toBe(`${h1.address}:443`);
    expect(inv.all.vars.ece_install_script_host).toBe(`${h1.address}:443`);
    // h2 through the proxy: the registry by a name only the proxy resolves (allowed), the install script's host refused by it
    Object.assign(inv.all.hosts.h2!, { ece_https_proxy: `${h1.address}:${PROXY_PORT}`, ece_registry: `${registryName}:443`, ece_install_script_host: `${deniedName}:443` });
    // h3 through a proxy that is down
    Object.assign(inv.all.hosts.h3!, { ece_https_proxy: `http://${h1.address}:${DOWN_PORT}` });
    const invFile = path.join(dir, 'inventory-proxy.yml');
    writeFileSync(invFile, yaml.dump(inv));

    const json = path.join(dir, 'run.json');
    const md = path.join(dir, 'report.md');
    const junit = path.join(dir, 'junit.xml');
    const t0 = Date.now();
    const run = await runCli(['sweep', '-i', invFile, '--no-tui', '--no-save', '--probe-timeout', '1000', '--json', json, '--report', md, '--junit', junit]);
    const seconds = (Date.now() - t0) / 1000;
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(result.summary.status).toBe('failed');
    expect(result.summary.complete).toBe(true);

    const outbound = result.checks.filter((c) => c.kind === 'outbound');
    // nothing outside the lab was a target
    for (const c of outbound) expect(c.address).toMatch(new RegExp(`^(198\\.18\\.0\\.\\d+|h\\d\\.${prefix}\\.test)$`));
    expect(outbound.map((c) => [c.id, c.rules.join('+'), c.result.outcome, c.verdict]).sort()).toEqual([
      [`h1>${h1.address}:443`, 'outbound-registry-https+outbound-install-script', 'open', 'ok'],
      [`h2>${registryName}:443`, 'outbound-registry-https', 'open', 'ok'],
      [`h2>${deniedName}:443`, 'outbound-install-script', 'refused', 'blocked'],
      [`h3>${h1.address}:443`, 'outbound-registry-https+outbound-install-script', 'refused', 'blocked'],
    ]);
    const byId = (id: string) => outbound.find((c) => c.id === id)!;
    // direct: no proxy
    expect(byId(`h1>${h1.address}:443`).result.proxy).toBeUndefined();
    // allowed: the proxy's 200, the name resolved by the proxy (h2 cannot resolve it)
    expect(byId(`h2>${registryName}:443`).result.proxy).toEqual({ address: `${h1.address}:${PROXY_PORT}`, at: 'connect', status: 'HTTP/1.1 200 Connection established', resolvedBy: 'proxy' });
    // refused by the proxy: its status line is the detail, the hint says the proxy refused the target
    const denied = byId(`h2>${deniedName}:443`);
    expect(denied.result.detail).toBe('HTTP/1.1 403 Forbidden');
    expect(denied.result.proxy).toMatchObject({ at: 'connect', status: 'HTTP/1.1 403 Forbidden', resolvedBy: 'proxy' });
    expect(denied.hint).toMatch(new RegExp(`^proxy refused the target: ${h1.address}:${PROXY_PORT} answered "HTTP/1.1 403 Forbidden" to CONNECT ${deniedName.replace(/\./g, '\\.')}:443 from h2`));
    // proxy down: the proxy's own result, naming the proxy, the target never asked for
    const down = byId(`h3>${h1.address}:443`);
    expect(down.result.detail).toBe('ECONNREFUSED');
    expect(down.result.proxy).toEqual({ address: `${h1.address}:${DOWN_PORT}`, at: 'proxy', resolvedBy: 'proxy' });
    expect(down.hint).toMatch(new RegExp(`^proxy unreachable: h3's HTTPS proxy ${h1.address}:${DOWN_PORT} refused the connection.*was never asked for`));

    // the proxy saw the names as written (resolved there, not on h2), and only from h2
    const asked = readFileSync(log, 'utf8').trim().split('\n').sort();
    expect(asked).toEqual([`${h2.address} CONNECT ${deniedName}:443 HTTP/1.1`, `${h2.address} CONNECT ${registryName}:443 HTTP/1.1`].sort());

    // counted like the other outbound checks: totals, recap (the source's), plain lines, reports
    expect(result.totals.blocked).toBe(2);
    expect(result.summary.failures).toBe(2);
    expect(result.recap.h2!.blocked).toBe(1);
    expect(result.recap.h3!.blocked).toBe(1);
    expect(run.stdout).toMatch(/hint: proxy refused the target/);
    expect(run.stdout).toMatch(/hint: proxy unreachable: h3's HTTPS proxy/);
    expect(readFileSync(md, 'utf8')).toContain('HTTP/1.1 403 Forbidden');
    expect(readFileSync(junit, 'utf8')).toMatch(/proxy unreachable: h3&#39;s HTTPS proxy/);
    console.log(`outbound-proxy sweep: ${seconds.toFixed(1)} s`);

    // --skip outbound-install-script drops the install script's checks (and only those), as planned
    const plan = await runCli(['plan', '-i', invFile, '--json', '--skip', 'outbound-install-script']);
    const planned = (JSON.parse(plan.stdout) as { outbound: { id: string; rule: string; alsoRules?: string[] }[] }).outbound;
    expect(planned.map((c) => c.id).sort()).toEqual([`h1>${h1.address}:443`, `h2>${registryName}:443`, `h3>${h1.address}:443`]);
    for (const c of planned) expect([c.rule, c.alsoRules]).toEqual(['outbound-registry-https', undefined]);
  }, 90_000);
  it('ece_no_proxy: an endpoint the list names is reached directly, past a proxy that is down; one it does not name still goes through it', async () => {
    const { lab } = used;
    const h1 = labHost(lab, 'h1');
    const inv = yaml.load(readFileSync(lab.inventoryFile, 'utf8')) as { all: { hosts: Record<string, Record<string, unknown>> } };
    const down = `${h1.address}:${DOWN_PORT}`;
    Object.assign(inv.all.hosts.h2!, { ece_https_proxy: down, ece_no_proxy: 'corp.invalid' });
    Object.assign(inv.all.hosts.h3!, { ece_https_proxy: down, ece_no_proxy: '198.18.0.0/24, .corp.invalid' });
    const invFile = path.join(dir, 'inventory-no-proxy.yml');
    writeFileSync(invFile, yaml.dump(inv));
    const json = path.join(dir, 'no-proxy.json');
    const run = await runCli(['sweep', '-i', invFile, '--no-tui', '--no-save', '--probe-timeout', '1000', '--json', json]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const outbound = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).checks.filter((c) => c.kind === 'outbound');
    const of = (from: string) => outbound.find((c) => c.from === from)!;
    expect(of('h3')).toMatchObject({ verdict: 'ok', result: { outcome: 'open' } });
    expect(of('h3').result.proxy).toBeUndefined();
    expect(of('h2')).toMatchObject({ verdict: 'blocked', result: { outcome: 'refused', proxy: { address: down, at: 'proxy' } } });
  }, 60_000);
});
