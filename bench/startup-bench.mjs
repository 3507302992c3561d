#!/usr/bin/env node
// CLI start-up: wall time of commands that connect nowhere (`--version`,
// `--help`, `plan`, `inventory --list`, `play --syntax-check`) and which heavy
// packages each one loads (ink, react, ssh2, zod, yargs), for one or more
// builds side by side. No lab, no root, no network.
//
//   node bench/startup-bench.mjs                                  # this checkout's dist/
//   node bench/startup-bench.mjs --runs 20 --compare /tmp/base/dist/cli/bin.js
//
// Options: --runs N (timed runs per command, after 2 warm-ups; default 15),
// --compare BIN (another build's dist/cli/bin.js, e.g. a `git archive` of main
// built with tsc; repeatable; shown as "before"), --out FILE (also write the
// table there). Wall is measured around a spawned `node BIN ...` (Node's own
// start-up included), median with min-max; runs of the builds are interleaved
// so a change of load on a shared machine hits both alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { argv, opt, ROOT } from './args.mjs';

const RUNS = Number(opt('--runs', 15));
const OUT = opt('--out');
const builds = [];
argv.forEach((a, i) => {
  if (a === '--compare') builds.push({ label: `before (${argv[i + 1]})`, bin: argv[i + 1] });
});
builds.push({ label: 'this checkout', bin: join(ROOT, 'dist/cli/bin.js') });

const INV = join(ROOT, 'inventories/example.ini');
const COMMANDS = [
  { name: 'node -e 0 (Node itself)', args: null },
  { name: '--version', args: ['--version'] },
  { name: '--help', args: ['--help'] },
  { name: 'plan -i example.ini', args: ['plan', '-i', INV] },
  { name: 'inventory --list -i example.ini', args: ['inventory', '--list', '-i', INV] },
  { name: 'play matrix.yml --syntax-check', args: ['play', join(ROOT, 'playbooks/matrix.yml'), '--syntax-check'] },
  { name: 'sweep --list-hosts -i example.ini', args: ['sweep', '-i', INV, '--list-hosts', '--no-tui'] },
];
const HEAVY = ['ink', 'react', 'ssh2', 'zod', 'yargs'];

// A module hook that prints every module loaded (stderr), to see what a command pulls in.
const hookDir = mkdtempSync(join(tmpdir(), 'startup-bench-'));
writeFileSync(
  join(hookDir, 'hooks.mjs'),
  `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.startsWith('file:')) process.stderr.write('##LOAD ' + r.url + '\\n'); return r; }\n`,
);
writeFileSync(join(hookDir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(hookDir, 'hooks.mjs')).href)});\n`);

function loaded(bin, args) {
  const r = spawnSync('node', ['--import', join(hookDir, 'register.mjs'), bin, ...args], { encoding: 'utf8', cwd: ROOT });
  const urls = new Set(r.stderr.split('\n').filter((l) => l.startsWith('##LOAD ')).map((l) => l.slice(7)));
  const pkgs = new Set();
  for (const u of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m) pkgs.add(m[1]);
  }
  return { modules: urls.size, heavy: HEAVY.filter((p) => pkgs.has(p)) };
}

function once(cmd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', cmd, { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${cmd.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => readFileSync('/proc/loadavg', 'utf8').trim();
const loadBefore = load();
const rows = [];
for (const c of COMMANDS) {
  const targets = c.args ? builds : [{ label: '-', bin: null }];
  const times = targets.map(() => []);
  const cmdOf = (b) => (c.args ? [b.bin, ...c.args] : ['-e', '0']);
  for (const b of targets) for (let w = 0; w < 2; w++) once(cmdOf(b));
  for (let i = 0; i < RUNS; i++) targets.forEach((b, j) => times[j].push(once(cmdOf(b))));
  targets.forEach((b, j) => {
    const l = c.args ? loaded(b.bin, c.args) : undefined;
    rows.push({ command: c.name, build: b.label, ms: median(times[j]), min: Math.min(...times[j]), max: Math.max(...times[j]), ...l });
  });
}
const loadAfter = load();
rmSync(hookDir, { recursive: true, force: true });

let md = `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}. ${RUNS} runs per command after 2 warm-ups, builds interleaved; median (min-max) ms.\n`;
md += `/proc/loadavg before: ${loadBefore}; after: ${loadAfter}\n\n`;
md += '| command | build | wall ms | modules loaded | heavy packages loaded |\n|---|---|---:|---:|---|\n';
for (const r of rows) md += `| ${r.command} | ${r.build} | ${r.ms.toFixed(0)} (${r.min.toFixed(0)}-${r.max.toFixed(0)}) | ${r.modules ?? '-'} | ${r.heavy ? r.heavy.join(', ') || 'none' : '-'} |\n`;
const mine = rows.filter((r) => r.build === 'this checkout');
const v = mine.find((r) => r.command === '--version');
const p = mine.find((r) => r.command.startsWith('plan'));
md += `\nTarget: \`--version\` and \`plan\` under 150 ms, without ink, react, ssh2: --version ${v.ms.toFixed(0)} ms (${v.heavy.join(', ') || 'none'}) -> ${v.ms < 150 && !/ink|react|ssh2/.test(v.heavy.join()) ? 'met' : 'NOT met'}; plan ${p.ms.toFixed(0)} ms (${p.heavy.join(', ') || 'none'}) -> ${p.ms < 150 && !/ink|react|ssh2/.test(p.heavy.join()) ? 'met' : 'NOT met'}\n`;
process.stdout.write(md);
if (OUT) writeFileSync(OUT, md);
