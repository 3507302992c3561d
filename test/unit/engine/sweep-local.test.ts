import net from 'node:net';
import { outboundOf, probesOf } from '../../../src/engine/check-record.js';
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../../src/engine/sweep.js';
import { exitCodeOf } from '../../../src/cli/exit-code.js';
import { defaultEngineOptions } from '../../../src/engine/options.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import type { FleetHost } from '../../../src/model/fleet.js';
import { CONTROLLER, type Plan, type Probe } from '../../../src/plan/types.js';
import { LocalConnection } from '../../../src/transport/local.js';
import type { Catalog } from '../../../src/catalog/types.js';

// Real listeners and real probes on loopback through the local transport:
// the same scripts that run on remote hosts, with nothing faked.

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => res(s)); })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const host: FleetHost = {
  name: 'localhost', address: '127.0.0.1', port: 22, connection: 'local', become: false,
  roles: ['director', 'coordinator', 'proxy', 'allocator'], rolesSource: 'default-all',
  registry: { host: '127.0.0.1', port: 1 }, snapshotRepos: [], clientCidrs: [], adminCidrs: [], groups: [], vars: {},
};
const catalog: Catalog = { version: 'test', inbound: [], outbound: [], requirements: [], containerOnlyPorts: [] };
const probe = (from: string, port: number, expect: 'open' | 'closed'): Probe => ({
  id: `${from}>localhost:${port}`, from, to: 'localhost', address: '127.0.0.1', port, expect, rules: ['r'],
});

describe('runSweep on the local transport', () => {
  it('opens listeners, probes them, classifies, and cleans up', async () => {
    const [a, b, closed] = await freePorts(3);
    const plan: Plan = {
      catalogVersion: 'test',
      options: { ports: 'sample', sampleInterior: 3, enable: [], skip: [], firstHost: true },
      hosts: [{ host, roles: host.roles, firstHost: true, listeners: [{ port: a!, rules: ['r'] }, { port: b!, rules: ['r'] }] }],
      probes: [probe(CONTROLLER, a!, 'open'), probe('localhost', b!, 'open'), probe('localhost', closed!, 'open'), probe('localhost', a!, 'closed')],
      outbound: [{ id: 'o', from: 'localhost', host: '127.0.0.1', port: b!, rule: 'registry' }],
      facts: [],
      warnings: [],
    };
    const events: EngineEvent[] = [];
    const result = await runSweep({
      plan, catalog, inventory: 'test', toolVersion: '0', connect: (h) => new LocalConnection(h.name),
      options: { ...defaultEngineOptions(), probeTimeoutMs: 500 }, emit: (e) => events.push(e), exitCodeOf,
    });
    const verdicts = Object.fromEntries(probesOf(result.checks).map((p) => [`${p.from}:${p.port}:${p.expect}`, [p.result.outcome, p.verdict]]));
    expect(verdicts).toEqual({
      [`${CONTROLLER}:${a}:open`]: ['open', 'ok'],
      [`localhost:${b}:open`]: ['open', 'ok'],
      [`localhost:${closed}:open`]: ['refused', 'blocked'],
      [`localhost:${a}:closed`]: ['open', 'exposed'],
    });
    expect(outboundOf(result.checks).map((o) => o.verdict)).toEqual(['ok']);
    expect(result.exitCode).toBe(2);
    expect(result.totals).toMatchObject({ ok: 3, blocked: 1, exposed: 1 });
    expect(result.hosts[0]!.listeners?.bound.sort()).toEqual([a, b].sort());
    expect(result.hosts[0]!.cleanup?.ok).toBe(true);
    expect(events[0]!.kind).toBe('run-start');
    // playbooks/preflight.yml, task by task (linear: each on every host before the next)
    // bandwidth only with --bandwidth (ece_bandwidth): skipped here, as Ansible skips a task whose `when` is false
    expect(events.filter((e) => e.kind === 'task-start').map((e) => (e as { module: string }).module)).toEqual(['facts', 'host_checks', 'listen', 'probe', 'bandwidth', 'outbound', 'listen']);
    expect(events.filter((e) => e.kind === 'task-result').map((e) => (e as { status: string }).status)).toEqual(['ok', 'ok', 'ok', 'ok', 'skipped', 'ok', 'ok']);
    // the listener is gone: the port is free again
    await expect(new Promise((res, rej) => { const s = net.createServer(); s.once('error', rej); s.listen(a, '0.0.0.0', () => s.close(res)); })).resolves.toBeUndefined();
  });

  it('listens dual stack: an IPv6 client reaches the same listener', async (ctx) => {
    const hasV6 = await new Promise<boolean>((res) => {
      const srv = net.createServer();
      srv.once('error', () => res(false));
      srv.listen(0, '::1', () => srv.close(() => res(true)));
    });
    if (!hasV6) ctx.skip();
    const [a] = await freePorts(1);
    const plan: Plan = {
      catalogVersion: 'test',
      options: { ports: 'sample', sampleInterior: 3, enable: [], skip: [], firstHost: true },
      hosts: [{ host, roles: host.roles, firstHost: true, listeners: [{ port: a!, rules: ['r'] }] }],
      probes: [{ ...probe('localhost', a!, 'open'), address: '::1' }, probe('localhost', a!, 'open')].map((p, i) => ({ ...p, id: `p${i}` })),
      outbound: [], facts: [], warnings: [],
    };
    const result = await runSweep({
      plan, catalog, inventory: 'test', toolVersion: '0', connect: (h) => new LocalConnection(h.name),
      options: { ...defaultEngineOptions(), probeTimeoutMs: 500 }, emit: () => {}, exitCodeOf,
    });
    // results arrive in completion order
    expect(probesOf(result.checks).map((p) => [p.address, p.result.outcome]).sort()).toEqual([
      ['127.0.0.1', 'open'],
      ['::1', 'open'],
    ]);
  });

  it('stops on abort, cleans up and reports an interrupted run', async () => {
    const [a] = await freePorts(1);
    const plan: Plan = {
      catalogVersion: 'test',
      options: { ports: 'sample', sampleInterior: 3, enable: [], skip: [], firstHost: true },
      hosts: [{ host, roles: host.roles, firstHost: true, listeners: [{ port: a!, rules: ['r'] }] }],
      probes: [probe('localhost', a!, 'open')],
      outbound: [], facts: [], warnings: [],
    };
    const ctl = new AbortController();
    const result = await runSweep({
      plan, catalog, inventory: 'test', toolVersion: '0', connect: (h) => new LocalConnection(h.name),
      options: { ...defaultEngineOptions(), probeTimeoutMs: 5000 },
      // interrupt as soon as the listeners are up, before any probe
      emit: (e) => { if (e.kind === 'listeners') ctl.abort(); },
      signal: ctl.signal,
      exitCodeOf,
    });
    expect(result.interrupted).toBe(true);
    expect(result.exitCode).toBe(99);
    expect(result.checks).toEqual([]);
    expect(result.hosts[0]!.cleanup?.ok).toBe(true);
    await expect(new Promise((res, rej) => { const s = net.createServer(); s.once('error', rej); s.listen(a, '0.0.0.0', () => s.close(res)); })).resolves.toBeUndefined();
  });
});
