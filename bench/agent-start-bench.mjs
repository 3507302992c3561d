#!/usr/bin/env node
// Host agent start-up: from `sh -c <agent command>` (without the facts
// commands) to the agent's READY line, and the CPU the interpreter spends on
// it, on this machine's python3 (the lab hosts run the same one). Compares
// this checkout's agent with another build's (--compare), runs interleaved.
//
//   node bench/agent-start-bench.mjs --runs 60 --compare /tmp/base/dist
//
// Options: --runs N (default 60), --compare DIST (another build's dist/, shown
// as "before"; repeatable), --ports N (listeners bound at start, default 0),
// --out FILE.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { argv, opt, ROOT } from './args.mjs';

const RUNS = Number(opt('--runs', 60));
const PORTS = Number(opt('--ports', 0));
const OUT = opt('--out');
const builds = [];
argv.forEach((a, i) => {
  if (a === '--compare') builds.push({ label: `before (${argv[i + 1]})`, dist: argv[i + 1] });
});
builds.push({ label: 'this checkout', dist: join(ROOT, 'dist') });

for (const b of builds) {
  const { hostAgentCommand } = await import(pathToFileURL(join(b.dist, 'tasks/host-agent-script.js')).href);
  const ports = Array.from({ length: PORTS }, (_, i) => 39000 + i);
  b.command = hostAgentCommand(ports, 60, { facts: false });
  b.flags = /exec "\$P" (.*?) -c/.exec(b.command)?.[1] ?? '?';
  b.wall = [];
  b.cpu = [];
}

/** Start the agent, wait for READY, close stdin, wait for exit; wall to READY and the child's CPU (user+sys). */
function once(command) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let ready;
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => {
      out += d;
      if (ready === undefined && /^READY /m.test(out)) {
        ready = Number(process.hrtime.bigint() - t0) / 1e6;
        p.stdin.end();
      }
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      if (ready === undefined) return reject(new Error(`agent exited ${code} before READY: ${err}`));
      resolve(ready);
    });
  });
}

// CPU of waited-for children (cutime + cstime in /proc/self/stat), so no extra process per run.
const childCpuMs = () => {
  const t = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // fields after "(comm) ": state is [0]; cutime [13], cstime [14] in clock ticks (100 Hz)
  return (Number(t[13]) + Number(t[14])) * 10;
};

const load = () => readFileSync('/proc/loadavg', 'utf8').trim();
const loadBefore = load();
for (const b of builds) for (let w = 0; w < 3; w++) await once(b.command);
const cpuTotal = new Map(builds.map((b) => [b, 0]));
for (let i = 0; i < RUNS; i++) {
  for (const b of builds) {
    const c0 = childCpuMs();
    b.wall.push(await once(b.command));
    cpuTotal.set(b, cpuTotal.get(b) + childCpuMs() - c0);
  }
}
const loadAfter = load();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
let md = `Machine: ${cpus().length} cores, Node ${process.version}, python3 as the agent finds it (/usr/bin/python3). ${RUNS} runs each, interleaved, ${PORTS} listeners at start; wall = spawn of \`sh -c\` to the READY line (median, min); CPU = sh + python, user+sys, mean per run (10 ms ticks).\n`;
md += `/proc/loadavg before: ${loadBefore}; after: ${loadAfter}\n\n`;
md += '| build | interpreter flags | wall to READY ms | min ms | CPU ms per start |\n|---|---|---:|---:|---:|\n';
for (const b of builds) md += `| ${b.label} | \`${b.flags}\` | ${median(b.wall).toFixed(1)} | ${Math.min(...b.wall).toFixed(1)} | ${(cpuTotal.get(b) / RUNS).toFixed(1)} |\n`;
process.stdout.write(md);
if (OUT) writeFileSync(OUT, md);
