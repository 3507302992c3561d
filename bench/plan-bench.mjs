#!/usr/bin/env node
// Planning benchmark: how long planSweep takes and how much heap the plan
// holds, for a 500-host fleet with all pairs and a 5,000-host fleet with pair
// sampling. Runs on the compiled output (`npm run build` first):
//
//   node --expose-gc bench/plan-bench.mjs            # all cases, one child each
//   node --expose-gc bench/plan-bench.mjs 500-all 5000-k2   # some cases
//
// Each case runs in its own child process so one plan's heap does not skew
// the next. The fleet comes from a generated INI inventory through the real
// loader when dist/inventory/load.js exists, else it is built directly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// --ports full is not benchmarked at scale: five allocator ranges of 1,000
// ports each make every allocator a destination of ~5,000 ports, so all pairs
// at 500 hosts would be ~2.5 billion probes. Full ports is for small fleets
// or with pair sampling on a few hosts (--limit).
const CASES = {
  '500-all': { hosts: 500, label: 'all pairs, sample ports', options: {} },
  '500-k2': { hosts: 500, label: 'pairsPerRole=2, sample ports', options: { pairsPerRole: 2 } },
  '5000-k2': { hosts: 5000, label: 'pairsPerRole=2, sample ports', options: { pairsPerRole: 2 } },
  '50-full-k1': { hosts: 50, label: 'pairsPerRole=1, full ports', options: { pairsPerRole: 1, ports: 'full' } },
};

/** 3 director+coordinator hosts (the first is the ECE first host), 1 proxy per 80 hosts (min 3), the rest allocators. */
function layout(n) {
  const proxies = Math.max(3, Math.round(n / 80));
  const rows = [];
  for (let i = 0; i < n; i++) {
    const roles = i < 3 ? ['director', 'coordinator'] : i < 3 + proxies ? ['proxy'] : ['allocator'];
    const name = `h${String(i).padStart(4, '0')}`;
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    rows.push({ name, address, roles, zone: `zone-${(i % 3) + 1}` });
  }
  return rows;
}

function iniFor(rows) {
  const groups = { director: [], coordinator: [], proxy: [], allocator: [] };
  for (const r of rows) for (const role of r.roles) groups[role].push(r);
  let text = '';
  for (const [g, members] of Object.entries(groups)) {
    text += `[${g}]\n`;
    for (const r of members) text += `${r.name} ansible_host=${r.address} ece_zone=${r.zone}\n`;
    text += '\n';
  }
  return text;
}

function directFleet(rows) {
  return {
    source: '<bench>',
    hosts: rows.map((r) => ({
      name: r.name,
      address: r.address,
      port: 22,
      connection: 'ssh',
      become: false,
      roles: r.roles,
      rolesSource: 'groups',
      zone: r.zone,
      registry: { host: 'docker.elastic.co', port: 443 },
      snapshotRepos: [],
      clientCidrs: [],
      adminCidrs: [],
      groups: [...r.roles].sort(),
      vars: {},
    })),
  };
}

async function fleetFor(n) {
  const rows = layout(n);
  try {
    const { loadInventory } = await import('../dist/inventory/load.js');
    const dir = mkdtempSync(join(tmpdir(), 'plan-bench-'));
    try {
      const file = join(dir, 'hosts.ini');
      writeFileSync(file, iniFor(rows));
      const fleet = loadInventory(file).fleet;
      if (fleet.hosts.length === n && fleet.hosts[0].name === rows[0].name) return { fleet, via: 'ini' };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // Loader not built (or broken mid-change): plan the same fleet built directly.
  }
  return { fleet: directFleet(rows), via: 'direct' };
}

async function runCase(name) {
  const spec = CASES[name];
  const { planSweep, defaultPlanOptions } = await import('../dist/plan/index.js');
  const { ECE_CATALOG } = await import('../dist/catalog/ece-catalog.js');
  const { fleet, via } = await fleetFor(spec.hosts);
  const options = { ...defaultPlanOptions(), ...spec.options };
  // Median of three runs for time (a 2-core CI box is noisy); heap from the last plan held.
  const times = [];
  let plan;
  let heapMB = 0;
  for (let run = 0; run < 3; run++) {
    plan = undefined;
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    plan = planSweep(fleet, ECE_CATALOG, options);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    globalThis.gc?.();
    heapMB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  }
  const ms = times.sort((a, b) => a - b)[1];
  const listeners = plan.hosts.reduce((a, h) => a + h.listeners.length, 0);
  console.log(
    JSON.stringify({ case: name, hosts: spec.hosts, mode: spec.label, via, probes: plan.probes.length, listeners, outbound: plan.outbound.length, ms, heapMB }),
  );
}

function table(results) {
  const lines = [
    '| hosts | mode | fleet via | probes | listeners | outbound | ms | plan heap MB |',
    '|---:|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.hosts} | ${r.mode} | ${r.via} | ${r.probes.toLocaleString('en')} | ${r.listeners.toLocaleString('en')} | ${r.outbound.toLocaleString('en')} | ${r.ms.toFixed(0)} | ${r.heapMB.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

const args = process.argv.slice(2);
const caseArg = args.indexOf('--case');
if (caseArg >= 0) {
  await runCase(args[caseArg + 1]);
} else {
  const self = fileURLToPath(import.meta.url);
  const only = args.filter((a) => CASES[a]);
  const results = [];
  for (const name of only.length ? only : Object.keys(CASES)) {
    const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', self, '--case', name], { encoding: 'utf8' });
    if (child.status !== 0) {
      console.error(`${name} failed:\n${child.stderr}`);
      process.exitCode = 1;
      continue;
    }
    results.push(JSON.parse(child.stdout.trim().split('\n').pop()));
  }
  console.log(table(results));
}
