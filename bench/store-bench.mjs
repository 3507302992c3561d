#!/usr/bin/env node
// The run store alone, no lab: 34,840 synthetic probe checks for 50 hosts (the
// full sweep's count) through the plain renderer (which fills the store), in
// chunks of 700 (about one agent read), either as one `check` event each or as
// one `checks` event per chunk; then run-end's replay (settle). Prints one JSON
// line: CPU ms to apply, the slowest chunk, heap and peak RSS.
//
//   node bench/store-bench.mjs [dist dir, default ./dist] single|batch
//
// `single` works on any build (a build without `checks` events: the before side).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const mode = process.argv[3] ?? 'batch';
const { createPlainRenderer } = await import(pathToFileURL(join(dist, 'ui/plain-renderer.js')).href);

const N = 50;
const ROLES = ['director', 'coordinator', 'proxy', 'allocator'];
const hosts = Array.from({ length: N }, (_, i) => ({ name: `h${i + 1}`, address: `198.18.0.${i + 2}`, roles: i < 3 ? ROLES : ['allocator'], rolesSource: 'bench' }));
const checks = [];
const probe = (from, to, address, port, id) => ({ kind: 'probe', id, from, to, address, port, expect: 'open', rules: ['bench'], result: { outcome: 'open', ms: 1 }, verdict: 'ok' });
for (const a of hosts) for (const b of hosts) if (a !== b) for (let p = 0; p < 14; p++) checks.push(probe(a.name, b.name, b.address, 12000 + p, `${a.name}>${b.name}:${12000 + p}`));
while (checks.length < 34_840) checks.push(probe('@controller', 'h1', '198.18.0.2', 9200, `c${checks.length}`));

let written = 0;
const render = createPlainRenderer((s) => (written += s.length), { color: false });
render({ kind: 'run-start', at: 0, inventory: 'bench', hosts, counts: { probes: checks.length, listeners: 0, outbound: 0 }, exposuresFail: false });
render({ kind: 'task-start', at: 0, name: 'probe', module: 'probe', phase: 'probe', hosts: hosts.map((h) => h.name) });
const CHUNK = 700;
let worst = 0;
const t0 = performance.now();
for (let i = 0; i < checks.length; i += CHUNK) {
  const t = performance.now();
  const part = checks.slice(i, i + CHUNK);
  if (mode === 'batch') render({ kind: 'checks', checks: part });
  else for (const check of part) render({ kind: 'check', check });
  worst = Math.max(worst, performance.now() - t);
}
const applyMs = performance.now() - t0;
const totals = { ok: checks.length, blocked: 0, exposed: 0, error: 0, skipped: 0 };
const result = { hosts: hosts.map((h) => ({ name: h.name, roles: h.roles, state: 'done' })), checks, totals, recap: {}, interrupted: false };
const t1 = performance.now();
render({ kind: 'run-end', at: 1, result });
const settleMs = performance.now() - t1;
const mb = (n) => Math.round(n / 2 ** 20);
console.log(JSON.stringify({ mode, dist, checks: checks.length, applyMs: Math.round(applyMs), slowestChunkMs: Math.round(worst), runEndMs: Math.round(settleMs), heapUsedMB: mb(process.memoryUsage().heapUsed), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
