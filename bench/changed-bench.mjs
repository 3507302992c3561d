#!/usr/bin/env node
// `sweep --changed` against a full sweep on the same lab, after one host
// changes role (issue 15's target: within 25% of a full sweep's wall time).
// Alternates full and --changed runs on one lab, prints a markdown table.
//
//   sudo node bench/changed-bench.mjs 50 --reps 3
//
// Needs root and a built dist/. Lab: prefix ecech, folder /tmp/ecech-lab;
// always takes its lab down. Traffic stays on the lab's 198.18.0.0/24.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist/cli/bin.js');
const LAB = '/tmp/ecech-lab';
const args = process.argv.slice(2);
const hosts = Number(args.find((a) => /^\d+$/.test(a)) ?? 50);
const reps = Number(args[args.indexOf('--reps') + 1] ?? 3) || 3;
const { labUp, labDown } = await import(pathToFileURL(join(ROOT, 'dist/lab/lab.js')).href);

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
function sweep(inventory, extra) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'sweep', '-i', inventory, '--no-tui', '--skip', 'outbound', '--state-dir', join(LAB, 'state'), ...extra], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wall = (performance.now() - t0) / 1000;
  const carried = /(\d+) carried over/.exec(r.stdout)?.[1];
  return { wall, code: r.status, carried: carried ? Number(carried) : 0 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const before = loadavg();
const lab = await labUp({ hosts, dir: LAB, prefix: 'ecech' });
try {
  // The change: the last allocator becomes a director (moved between groups in a copy of the inventory).
  const inv = readFileSync(lab.inventoryFile, 'utf8');
  const moved = join(LAB, 'moved.yml');
  const last = `h${hosts}`;
  writeFileSync(moved, inv.replace(new RegExp(`\\n(\\s+)${last}: null\\n`), '\n').replace(/(\n\s+director:\n\s+hosts:\n)/, `$1        ${last}: null\n`));
  const full = [];
  const changed = [];
  for (let i = 0; i < reps; i++) {
    // a saved run of the old inventory, then the change two ways
    sweep(lab.inventoryFile, []);
    changed.push(sweep(moved, ['--changed', '--no-save']));
    full.push(sweep(moved, ['--no-save']));
  }
  const f = median(full.map((r) => r.wall));
  const c = median(changed.map((r) => r.wall));
  const out = [
    `| ${hosts} hosts, one host changes role | wall s (median of ${reps}) | exit codes |`,
    '|---|---:|---|',
    `| full sweep of the new inventory | ${f.toFixed(2)} | ${full.map((r) => r.code).join(', ')} |`,
    `| sweep --changed (${changed[0].carried} checks carried over) | ${c.toFixed(2)} | ${changed.map((r) => r.code).join(', ')} |`,
    '',
    `--changed / full: ${(c / f).toFixed(2)} (target: within 25% of the full sweep, i.e. <= 1.25: ${c / f <= 1.25 ? 'met' : 'NOT met'})`,
    `loadavg before: ${before}; after: ${loadavg()}`,
  ].join('\n');
  console.log(out);
} finally {
  await labDown(LAB, { prefix: 'ecech' });
  rmSync(LAB, { recursive: true, force: true });
}
