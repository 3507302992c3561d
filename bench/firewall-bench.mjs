#!/usr/bin/env node
// Firewall apply benchmark (issue 14's target): on an N-host lab whose hosts
// have a Debian-style default-deny nftables input chain (SSH allowed, all else
// dropped), time through the CLI, on the same lab:
//   1. a full sweep (default-deny: most paths filtered, each costs a --probe-timeout);
//   2. `firewall apply`, confirm included (save, arm the host's timer, apply,
//      new SSH login, the required paths re-probed before and after, disarm);
//   3. a full sweep again (every path open now);
//   4. `firewall apply` again (changed=0: read, render, nothing to do);
//   5. `firewall rollback`.
// Target: apply within 2x the time of a full sweep of the same lab, judged
// against the faster sweep (3., every path open; the stricter comparison).
// Prints a markdown table, /proc/loadavg before lab up and after lab down.
// Needs root and a built dist/. Lab: prefix ecefb; always taken down.
//
//   sudo flock /tmp/ece-lab.lock node bench/firewall-bench.mjs 20 [--reps N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist/cli/bin.js');
const dist = (p) => pathToFileURL(join(ROOT, 'dist', p)).href;
const args = process.argv.slice(2);
const hosts = Number(args.find((a) => /^\d+$/.test(a)) ?? 20);
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 1;
const DEFAULT_DENY = `table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    iif "lo" accept
    tcp dport 22 accept
  }
}
`;

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

function cli(argv, inventory) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...argv, '-i', inventory, '--no-tui', '--no-save'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, ms: Math.round(performance.now() - t0), out }));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { labUp, labDown, labExec, labHost } = await import(dist('lab/lab.js'));
const dir = mkdtempSync(join(tmpdir(), 'ecefb-'));
const prefix = 'ecefb';
const roles = Array.from({ length: hosts }, (_, i) => (i === 0 ? 'director,coordinator' : i < 3 ? 'director' : i < 5 ? 'proxy' : 'allocator'));
const before = loadavg();
const rows = [];
let lab;
try {
  lab = await labUp({ hosts, dir, prefix, roles });
  const deny = async () => {
    for (const h of lab.hosts) {
      const host = labHost(lab, h.name);
      await labExec(host, ['nft', 'flush', 'ruleset']);
      const r = await labExec(host, ['nft', '-f', '-'], { stdin: DEFAULT_DENY });
      if (r.code !== 0) throw new Error(`${h.name}: ${r.stderr}`);
    }
  };
  const times = { sweepDeny: [], apply: [], sweepOpen: [], again: [], rollback: [] };
  const sweep = ['sweep', '--skip', 'outbound'];
  for (let i = 0; i < reps; i++) {
    await deny();
    const s1 = await cli(sweep, lab.inventoryFile);
    if (s1.code !== 2) throw new Error(`sweep on default-deny hosts should fail (exit 2), got ${s1.code}\n${s1.out.slice(-2000)}`);
    const a = await cli(['firewall', 'apply'], lab.inventoryFile);
    if (a.code !== 0) throw new Error(`apply: exit ${a.code}\n${a.out.slice(-3000)}`);
    const changed = (a.out.match(/applied and confirmed over a new connection/g) ?? []).length;
    if (changed !== hosts) throw new Error(`apply confirmed ${changed}/${hosts} hosts\n${a.out.slice(-3000)}`);
    const s2 = await cli(sweep, lab.inventoryFile);
    if (s2.code !== 0) throw new Error(`sweep after apply: exit ${s2.code}\n${s2.out.slice(-2000)}`);
    const again = await cli(['firewall', 'apply'], lab.inventoryFile);
    const rb = await cli(['firewall', 'rollback'], lab.inventoryFile);
    if (rb.code !== 0) throw new Error(`rollback: exit ${rb.code}\n${rb.out.slice(-2000)}`);
    times.sweepDeny.push(s1.ms);
    times.apply.push(a.ms);
    times.sweepOpen.push(s2.ms);
    times.again.push(again.ms);
    times.rollback.push(rb.ms);
    const m = /(\d+) required paths re-probed/.exec(a.out);
    if (i === 0) rows.push(`re-probed per host (h1's line): ${m ? m[1] : '?'}`);
  }
  const s = (k) => (median(times[k]) / 1000).toFixed(2);
  const ratio = median(times.apply) / median(times.sweepOpen);
  const ratioDeny = median(times.apply) / median(times.sweepDeny);
  console.log(`\n${hosts} hosts, default-deny nftables, ${reps} rep(s), median, seconds (CLI wall time)\n`);
  console.log('| run | s |\n| --- | ---: |');
  console.log(`| sweep, default-deny (paths filtered) | ${s('sweepDeny')} |`);
  console.log(`| firewall apply, confirm included | ${s('apply')} |`);
  console.log(`| sweep after apply (every path open) | ${s('sweepOpen')} |`);
  console.log(`| firewall apply again (changed=0) | ${s('again')} |`);
  console.log(`| firewall rollback | ${s('rollback')} |`);
  console.log(`\napply / sweep (open): ${ratio.toFixed(2)}x; apply / sweep (default-deny): ${ratioDeny.toFixed(2)}x`);
  console.log(`target (apply within 2x a full sweep, against the faster sweep): ${ratio <= 2 ? 'MET' : 'NOT MET'}`);
  for (const r of rows) console.log(r);
} finally {
  await labDown(dir, { prefix }).catch((e) => console.error(`lab down: ${e.message}`));
  rmSync(dir, { recursive: true, force: true });
  console.log(`\n/proc/loadavg before lab up: ${before}\n/proc/loadavg after lab down: ${loadavg()}`);
}
