#!/usr/bin/env node
// Scale: the largest lab this machine holds runs a full ECE sweep with pair
// sampling. One lab, brought up once: time and memory to bring it up, the
// OpenSSH floor, then `sweep --pairs K` through the CLI under GNU time -v
// (wall, peak RSS) with bench/loop-monitor.mjs preloaded (event-loop delay,
// SSH channels per host), for each --forks value. Prints a markdown table.
// Root, a built dist/ and /usr/bin/time (apt-get install -y time). Run it
// under the machine-wide lab lock:
//
//   flock /tmp/ece-lab.lock node bench/scale-bench.mjs 200 --pairs 2 --forks 50,200
//
// Options: --pairs K (default 2), --forks a,b (default 50), --reps N (sweeps per
// forks value, default 1), --out FILE. Lab: prefix ecesc, folder /tmp/ecesc-lab,
// always taken down at the end.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { argv, opt, ROOT } from './args.mjs';

const CLI = join(ROOT, 'dist/cli/bin.js');
const MONITOR = join(ROOT, 'bench/loop-monitor.mjs');
const PREFIX = 'ecesc';
const LAB = '/tmp/ecesc-lab';
const N = Number(argv.find((a, i) => /^\d+$/.test(a) && !['--pairs', '--forks', '--reps', '--out'].includes(argv[i - 1])) ?? 200);
const PAIRS = Number(opt('--pairs', 2));
const FORKS = String(opt('--forks', '50')).split(',').map(Number);
const REPS = Number(opt('--reps', 1));
const OUT = opt('--out');
const log = (...a) => process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();
const memAvailMB = () => Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))[1]) / 1024;

function timeV(args, env = {}) {
  const tdir = mkdtempSync(join(tmpdir(), 'ecesc-'));
  const tfile = join(tdir, 'time');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn('/usr/bin/time', ['-v', '-o', tfile, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      const tv = readFileSync(tfile, 'utf8');
      rmSync(tdir, { recursive: true, force: true });
      const num = (re) => Number(re.exec(tv)?.[1]);
      resolve({ code, wall, stdout, stderr, rssMB: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024, userS: num(/User time \(seconds\): ([\d.]+)/), sysS: num(/System time \(seconds\): ([\d.]+)/) });
    });
  });
}

async function floor(n) {
  const t0 = performance.now();
  const codes = await Promise.all(Array.from({ length: n }, (_, i) => new Promise((r) => spawn('ssh', ['-F', join(LAB, 'ssh_config'), `h${i + 1}`, 'true'], { stdio: 'ignore' }).on('close', r))));
  const bad = codes.filter((c) => c !== 0).length;
  return { wall: (performance.now() - t0) / 1000, bad };
}

if (!existsSync(CLI)) throw new Error('dist/ is missing: npm run build');
const lines = [];
const note = (s) => {
  lines.push(s);
  log(s);
};
note(`loadavg at start: ${loadavg()}; MemAvailable ${memAvailMB().toFixed(0)} MB of ${(totalmem() / 2 ** 20).toFixed(0)} MB`);
const rows = [];
let upOk = false;
const onSignal = () => {
  spawnSync('node', [CLI, 'lab', 'down', '--prefix', PREFIX, '--dir', LAB], { stdio: 'inherit' });
  process.exit(99);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
try {
  const mem0 = memAvailMB();
  const up = await timeV(['node', CLI, 'lab', 'up', String(N), '--prefix', PREFIX, '--dir', LAB]);
  if (up.code !== 0) throw new Error(`lab up ${N}: exit ${up.code}: ${up.stderr.slice(-800)}`);
  upOk = true;
  const mem1 = memAvailMB();
  note(`lab up ${N}: ${up.wall.toFixed(1)} s wall (${(up.stdout.match(/^login: .*$/m) ?? [''])[0]}); machine memory taken by the lab: ${(mem0 - mem1).toFixed(0)} MB (MemAvailable ${mem0.toFixed(0)} -> ${mem1.toFixed(0)} MB); loadavg ${loadavg()}`);
  const fl = [];
  for (let i = 0; i < 2; i++) fl.push(await floor(N));
  const fmin = Math.min(...fl.map((f) => f.wall));
  note(`OpenSSH floor (ssh hN true to all ${N} at once): ${fl.map((f) => `${f.wall.toFixed(2)} s${f.bad ? ` (${f.bad} failed)` : ''}`).join(', ')}`);
  for (const forks of FORKS) {
    for (let rep = 0; rep < REPS; rep++) {
      const json = join(mkdtempSync(join(tmpdir(), 'ecesc-run-')), 'run.json');
      const loopOut = join(dirname(json), 'loop.json');
      const l0 = loadavg();
      const r = await timeV(['node', '--import', MONITOR, CLI, 'sweep', '-i', join(LAB, 'inventory.yml'), '--pairs', String(PAIRS), '-f', String(forks), '--no-tui', '--json', json], { LOOP_MONITOR_OUT: loopOut });
      const res = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined;
      const loop = existsSync(loopOut) ? JSON.parse(readFileSync(loopOut, 'utf8')) : undefined;
      rmSync(dirname(json), { recursive: true, force: true });
      const outcomes = {};
      for (const c of res?.checks ?? []) outcomes[c.result.outcome] = (outcomes[c.result.outcome] ?? 0) + 1;
      const hostStates = {};
      for (const h of res?.hosts ?? []) hostStates[h.state] = (hostStates[h.state] ?? 0) + 1;
      rows.push({ forks, wall: r.wall, rssMB: r.rssMB, cpuS: r.userS + r.sysS, exit: r.code, checks: res?.checks.length ?? 0, outcomes, loop, hostStates, floor: fmin, load: `${l0} -> ${loadavg()}`, headline: (r.stdout.match(/^(PASSED|FAILED|INCOMPLETE).*$/m) ?? [''])[0] });
      log(`sweep -f ${forks}: ${r.wall.toFixed(2)} s, exit ${r.code}, ${res?.checks.length ?? 0} checks, ${r.rssMB.toFixed(0)} MB`);
    }
  }
} finally {
  if (upOk || existsSync(join(LAB, 'lab.json'))) {
    const t0 = performance.now();
    const d = spawnSync('node', [CLI, 'lab', 'down', '--prefix', PREFIX, '--dir', LAB], { encoding: 'utf8' });
    note(`lab down: exit ${d.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s; loadavg ${loadavg()}`);
  }
}

let md = `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}. ${N}-host lab, full ECE sweep with \`--pairs ${PAIRS}\` through the CLI (--no-tui, --json), under /usr/bin/time -v with bench/loop-monitor.mjs preloaded.\n\n`;
md += lines.map((l) => `- ${l}`).join('\n') + '\n\n';
md += '| hosts | forks | wall s | vs floor | checks | checks/s | exit | controller peak RSS MB | controller CPU s | loop delay max ms | p99 ms | exec channels per host | refused opens (retried) | loadavg before -> after |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n';
for (const r of rows) {
  const e = r.loop?.channels.execPerHost;
  md += `| ${N} | ${r.forks} | ${r.wall.toFixed(2)} | ${(r.wall / r.floor).toFixed(2)}x | ${r.checks.toLocaleString('en-US')} | ${Math.round(r.checks / r.wall).toLocaleString('en-US')} | ${r.exit} | ${r.rssMB.toFixed(0)} | ${r.cpuS.toFixed(1)} | ${r.loop?.loopDelayMs.max ?? '-'} | ${r.loop?.loopDelayMs.p99 ?? '-'} | ${e ? (e.min === e.max ? e.min : `${e.min}-${e.max}`) : '-'} (${r.loop?.channels.hosts ?? "-"} hosts) | ${r.loop?.channels.refusedOpens ?? "-"} | ${r.load} |\n`;
}
md += '\nOutcomes: ' + rows.map((r) => `forks ${r.forks}: probes ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}; hosts ${Object.entries(r.hostStates).map(([k, v]) => `${k} ${v}`).join(', ')}; ${r.headline}`).join(' | ') + '\n';
process.stdout.write(md);
if (OUT) writeFileSync(OUT, md);
