#!/usr/bin/env node
// Sweep benchmark on a real lab (network namespaces, real sshd): for each
// fleet size, side by side on the same lab,
//   a. the OpenSSH floor: `ssh -F <lab>/ssh_config hN true` to every host at once;
//   b. the full ECE sweep through the CLI, every port open, then with one
//      host dropping some role ports (nft DROP: a filtered probe costs one --probe-timeout,
//      two attempts of half each);
//   c. the 4-port matrix (20000/21000/22000/2375 listeners on every host, every
//      host probes every other host): the closest CLI sweep (--skip all but
//      install-check and docker-2375), the exact matrix through the CLI as a
//      playbook (`play playbooks/matrix.yml`) and through the engine API
//      (dist/engine/sweep.js runSweep with a hand-built Plan);
//   d. Ansible (bench/ansible/matrix.yml) doing the same matrix (10 hosts by default);
//   e. probes in batches from the source host (the engine's host agent) vs one SSH
//      direct-tcpip channel per probe from the controller (SshConnection.forwardOut),
//      with the same host agent (hostAgentCommand) holding the listeners.
// Prints markdown tables to stdout. Needs root, a built dist/ (`npm run build`),
// /usr/bin/time (apt package `time`), ansible-playbook for (d).
//
//   sudo node bench/sweep-bench.mjs 10 25 50
//   sudo node bench/sweep-bench.mjs 10 --reps 1 --no-ansible
//   sudo node bench/sweep-bench.mjs 10 25 --ansible-max 25 --forward-at 10,25
//
// Options: --reps N (runs per measurement, median shown; default 3),
// --ansible-max N (run Ansible up to this fleet size; default 10, 0 = never),
// --no-pipelining (skip the second Ansible run with ANSIBLE_PIPELINING=True),
// --forward-at a,b (fleet sizes for (e); default 25), --out FILE (also write the
// tables there), --before BIN (another build's dist/cli/bin.js: its `play matrix.yml`
// runs beside ours, same lab, same reps, and so do its full sweep, alternating with ours, and its monitored
// sweep), --full-only (floor, full sweep, engine phases, monitored sweeps; nothing else). Each size also runs one full CLI sweep
// with bench/loop-monitor.mjs preloaded (event-loop delay, stalls, SSH channels
// per host) and notes /proc/loadavg before lab up and after lab down. Lab: prefix ecebn, folder /tmp/ecebn-lab; waits while another
// lab exists and always takes its own lab down.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { argv, opt, ROOT } from './args.mjs';

const CLI = join(ROOT, 'dist/cli/bin.js');
const PLAYBOOK = join(ROOT, 'bench/ansible/matrix.yml');
const PREFIX = 'ecebn';
const LAB = '/tmp/ecebn-lab';
const MATRIX_PORTS = [20000, 21000, 22000, 2375];
const TIME = '/usr/bin/time';
const NFT_TABLE = 'ecebn_bench';
// What "some ports filtered" means: h2 drops ZooKeeper discovery and the forwarder range.
const NFT_RULES = `table inet ${NFT_TABLE} {\n  chain input {\n    type filter hook input priority -10; policy accept;\n    tcp dport { 2112, 12191-12201 } drop\n  }\n}\n`;
const dist = (p) => pathToFileURL(join(ROOT, 'dist', p)).href;

// ---------------------------------------------------------------- child modes
// `--child <kind> <inventory>` runs one measurement in its own process (so the
// parent can take its peak RSS with /usr/bin/time) and prints one JSON line.

async function loadFleet(inventory) {
  const { loadInventory } = await import(dist('inventory/load.js'));
  return loadInventory(inventory).fleet;
}

/** The exact matrix: listeners on the 4 ports everywhere, every host -> every other host. */
function matrixPlan(fleet) {
  const probes = [];
  for (const from of fleet.hosts)
    for (const to of fleet.hosts)
      if (from !== to)
        for (const port of MATRIX_PORTS)
          probes.push({ id: `${from.name}>${to.name}:${port}`, from: from.name, to: to.name, address: to.address, port, expect: 'open', rules: ['install-check'] });
  return {
    catalogVersion: 'bench',
    options: { ports: 'sample', sampleInterior: 3, enable: [], skip: [], firstHost: false },
    hosts: fleet.hosts.map((host) => ({ host, roles: host.roles, firstHost: false, listeners: MATRIX_PORTS.map((port) => ({ port, rules: ['install-check'] })) })),
    probes,
    outbound: [],
    facts: [],
    warnings: [],
    rules: [],
  };
}

async function engineRun(plan, inventory) {
  const { runSweep } = await import(dist('engine/sweep.js'));
  const { defaultEngineOptions } = await import(dist('engine/options.js'));
  const { ECE_CATALOG } = await import(dist('catalog/ece-catalog.js'));
  const { SshConnection } = await import(dist('transport/ssh.js'));
  const { exitCodeOf } = await import(dist('cli/exit-code.js'));
  const phases = {};
  let last;
  const t0 = performance.now();
  const result = await runSweep({
    plan,
    catalog: ECE_CATALOG,
    inventory,
    toolVersion: 'bench',
    connect: (host) => new SshConnection(host, { hostKeyChecking: 'strict', connectTimeoutMs: 10_000 }),
    options: defaultEngineOptions(),
    exitCodeOf,
    emit: (e) => {
      // Each task of playbooks/preflight.yml announces its phase; connecting happens
      // inside the first (facts), and the closing `listen: absent` task is the cleanup.
      if (e.kind !== 'task-start') return;
      const now = performance.now();
      if (last) phases[last.phase] = Math.round(now - last.at);
      last = { phase: e.phase in phases ? 'cleanup' : e.phase, at: now };
    },
  });
  const end = performance.now();
  if (last) phases[last.phase] = Math.round(end - last.at);
  return {
    probes: result.checks.length,
    totals: result.totals,
    outcomes: countOutcomes(result.checks.filter((c) => c.kind === 'probe')),
    exitCode: result.exitCode,
    engineMs: Math.round(end - t0),
    phases,
  };
}

function countOutcomes(records) {
  const c = {};
  for (const r of records) c[r.result.outcome] = (c[r.result.outcome] ?? 0) + 1;
  return c;
}

const CHILDREN = {
  /** Exact 4-port matrix through runSweep (connect, facts, listen, probe in batches, cleanup). */
  'matrix-engine': async (inventory) => engineRun(matrixPlan(await loadFleet(inventory)), inventory),

  /** The full ECE plan through runSweep, for the phase breakdown. */
  'full-engine': async (inventory) => {
    const fleet = await loadFleet(inventory);
    const { planSweep } = await import(dist('plan/plan-sweep.js'));
    const { defaultPlanOptions } = await import(dist('plan/options.js'));
    const { ECE_CATALOG } = await import(dist('catalog/ece-catalog.js'));
    return engineRun(planSweep(fleet, ECE_CATALOG, defaultPlanOptions()), inventory);
  },

  /**
   * Exact 4-port matrix, probes as one direct-tcpip channel per probe from the
   * controller through the source host's sshd (no probe batches). Listeners are
   * the engine's host agent (hostAgentCommand: its facts commands run first, so
   * "listen" here includes facts); a silent port gets two attempts of half the
   * 2 s timeout each, as in the agent.
   */
  'matrix-forward': async (inventory) => {
    const fleet = await loadFleet(inventory);
    const { SshConnection } = await import(dist('transport/ssh.js'));
    const { hostAgentCommand } = await import(dist('tasks/host-agent-script.js'));
    const { default: pLimit } = await import('p-limit');
    const plan = matrixPlan(fleet);
    const phases = {};
    const t0 = performance.now();
    let t = t0;
    const lap = (name) => {
      const now = performance.now();
      phases[name] = Math.round(now - t);
      t = now;
    };
    const conns = new Map(fleet.hosts.map((h) => [h.name, new SshConnection(h, { hostKeyChecking: 'strict', connectTimeoutMs: 10_000 })]));
    await Promise.all([...conns.values()].map((c) => c.connect()));
    lap('connect');
    const listeners = await Promise.all(
      [...conns.values()].map(
        (c) =>
          new Promise((resolve, reject) => {
            const cmd = c.start(hostAgentCommand(MATRIX_PORTS, 900));
            cmd.onLine((l) => l.startsWith('READY') && resolve(cmd));
            cmd.done.then((r) => reject(new Error(`${c.host}: host agent exited: ${r.stderr}`)));
          }),
      ),
    );
    lap('listen');
    const outcomes = {};
    const bySource = new Map();
    for (const p of plan.probes) bySource.set(p.from, [...(bySource.get(p.from) ?? []), p]);
    await Promise.all(
      [...bySource].map(([from, list]) => {
        const conn = conns.get(from);
        const limit = pLimit(64); // the engine's --concurrency default, per source host
        return Promise.all(
          list.map((p) =>
            limit(async () => {
              let r = await conn.forwardOut(p.address, p.port, 1000);
              if (r.outcome === 'filtered') r = await conn.forwardOut(p.address, p.port, 1000);
              outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
            }),
          ),
        );
      }),
    );
    lap('probe');
    for (const l of listeners) l.stop();
    await Promise.all(listeners.map((l) => l.done));
    await Promise.all([...conns.values()].map((c) => c.close()));
    lap('cleanup');
    return { probes: plan.probes.length, outcomes, engineMs: Math.round(performance.now() - t0), phases };
  },
};

// ---------------------------------------------------------------- parent
if (process.argv[2] === '--child') {
  const [, , , kind, inventory] = process.argv;
  const out = await CHILDREN[kind](inventory);
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

const flag = (name) => argv.includes(name);
const optNames = new Set(['--reps', '--ansible-max', '--forward-at', '--out', '--before']);
const sizes = argv.filter((a, i) => /^\d+$/.test(a) && !optNames.has(argv[i - 1])).map(Number);
if (sizes.length === 0) sizes.push(10, 25, 50);
const REPS = Number(opt('--reps', 3));
const ANSIBLE_MAX = flag('--no-ansible') ? 0 : Number(opt('--ansible-max', 10));
const PIPELINING = !flag('--no-pipelining');
const FORWARD_AT = new Set(String(opt('--forward-at', '25')).split(',').filter(Boolean).map(Number));
const OUT = opt('--out');
// Another build's dist/cli/bin.js (e.g. main, `git archive` + tsc): its `play matrix.yml`, full sweep and
// monitored sweep run beside ours (full sweeps alternate before/after, so load drift hits both alike).
const BEFORE = opt('--before');
// --full-only: the floor, the full sweep (and the before build's), the engine's phases and the monitored
// sweeps; no filtered run, no 4-port matrix, no Ansible (a 50-host run fits in a few minutes of lab lock).
const FULL_ONLY = flag('--full-only');
const LOOP_MONITOR = join(ROOT, 'bench/loop-monitor.mjs');

const log = (...a) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sh(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Run a command under /usr/bin/time; wall from here, peak RSS (largest single process) from time. */
function measure(cmd, args, { env, timeoutMs = 30 * 60_000 } = {}) {
  const tdir = mkdtempSync(join(tmpdir(), 'ecebn-time-'));
  const tfile = join(tdir, 'time');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(TIME, ['-f', '%M %U %S', '-o', tfile, cmd, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      let rssMB;
      let userS;
      let sysS;
      try {
        const [kb, user, sys] = readFileSync(tfile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        if (Number.isFinite(kb)) rssMB = kb / 1024;
        if (Number.isFinite(user) && Number.isFinite(sys)) [userS, sysS] = [user, sys];
      } catch {}
      rmSync(tdir, { recursive: true, force: true });
      resolve({ code, wall, rssMB, userS, sysS, stdout, stderr });
    });
  });
}

async function waitForNoLab() {
  for (let waited = 0; ; waited += 20) {
    const ns = sh('ip', ['netns', 'list']).trim();
    const mine = ns.split('\n').filter(Boolean).every((l) => l.startsWith(`${PREFIX}-`));
    if (!ns || (mine && existsSync(join(LAB, 'lab.json')))) return;
    if (waited >= 600) throw new Error(`another lab still exists after 10 minutes:\n${ns}`);
    log(`another lab exists (${ns.split('\n').length} namespaces); waiting 20 s`);
    await sleep(20_000);
  }
}

function labUp(n) {
  const t0 = performance.now();
  sh('node', [CLI, 'lab', 'up', String(n), '--prefix', PREFIX, '--dir', LAB]);
  log(`lab up ${n}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function labDown() {
  const r = spawnSync('node', [CLI, 'lab', 'down', '--prefix', PREFIX, '--dir', LAB], { encoding: 'utf8' });
  log(`lab down: exit ${r.status}${r.status ? ' ' + r.stderr.trim() : ''}`);
}

/** `ssh -F ssh_config hN true` to every host at once; wall until the last exits. */
async function sshFloor(n) {
  const t0 = performance.now();
  const codes = await Promise.all(
    Array.from({ length: n }, (_, i) => new Promise((resolve) => spawn('ssh', ['-F', join(LAB, 'ssh_config'), `h${i + 1}`, 'true'], { stdio: 'ignore' }).on('close', resolve))),
  );
  const wall = (performance.now() - t0) / 1000;
  const bad = codes.filter((c) => c !== 0).length;
  if (bad) throw new Error(`ssh floor: ${bad} of ${n} ssh runs failed`);
  return wall;
}

/** One CLI run (`sweep [flags]` or `play <playbook>`); probes (inbound + outbound checks) and outcomes from its JSON. */
async function cliRun(command, extra, { bin = CLI, nodeArgs = [], env } = {}) {
  const json = join(mkdtempSync(join(tmpdir(), 'ecebn-run-')), 'run.json');
  const m = await measure('node', [...nodeArgs, bin, ...command, '-i', join(LAB, 'inventory.yml'), '--no-tui', '--json', json, ...extra], { env });
  if (!existsSync(json)) throw new Error(`${command.join(' ')} wrote no JSON (exit ${m.code}): ${m.stderr.slice(-500)}`);
  const r = JSON.parse(readFileSync(json, 'utf8'));
  rmSync(dirname(json), { recursive: true, force: true });
  return { ...m, probes: r.checks.length, outcomes: countOutcomes(r.checks.filter((c) => c.kind === 'probe')), exitCode: r.exitCode, durationMs: r.durationMs };
}
const cliSweep = (extra, o) => cliRun(['sweep'], extra, o);
const cliPlay = (playbook, extra = [], o) => cliRun(['play', join(ROOT, playbook)], extra, o);

/** One full CLI sweep with bench/loop-monitor.mjs preloaded: event-loop delay, stalls, SSH channels per host. */
async function monitoredSweep(extra = [], bin = CLI) {
  const out = join(mkdtempSync(join(tmpdir(), 'ecebn-loop-')), 'loop.json');
  const r = await cliSweep(extra, { bin, nodeArgs: ['--import', LOOP_MONITOR], env: { LOOP_MONITOR_OUT: out } });
  const loop = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(dirname(out), { recursive: true, force: true });
  return { ...r, loop };
}

async function child(kind) {
  const m = await measure('node', [fileURLToPath(import.meta.url), '--child', kind, join(LAB, 'inventory.yml')]);
  if (m.code !== 0) throw new Error(`child ${kind} exit ${m.code}: ${m.stderr.slice(-800)}`);
  return { ...m, ...JSON.parse(m.stdout.trim().split('\n').pop()) };
}

async function ansible(n, pipelining) {
  const m = await measure('ansible-playbook', ['-i', join(LAB, 'inventory.yml'), '-f', String(n), '-e', 'ansible_python_interpreter=/usr/bin/python3', PLAYBOOK], {
    env: { ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_FORKS: String(n), ANSIBLE_PIPELINING: pipelining ? 'True' : 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False' },
  });
  const probes = (m.stdout.match(/^ok: \[[^\]]+\] => \(item=h\d+:\d+\)/gm) ?? []).length;
  const failed = (m.stdout.match(/^(failed|fatal): /gm) ?? []).length;
  writeFileSync(`/tmp/ecebn-ansible-${n}${pipelining ? '-pipelining' : ''}.log`, m.stdout + m.stderr);
  if (m.code !== 0 || failed) log(`ansible exit ${m.code}, ${failed} failed items (log /tmp/ecebn-ansible-${n}*.log)`);
  return { ...m, probes, failed };
}

/** Keep the run with the median wall, note min-max and the largest peak RSS. */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.wall - b.wall);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...mid, min: sorted[0].wall, max: sorted.at(-1).wall, rssMB: Math.max(...runs.map((r) => r.rssMB ?? 0)) || undefined, reps: runs.length };
}

/** Two measurements alternated A, B, A, B, ... `reps` times each; the median run of each. */
async function alternate(labelA, fnA, labelB, fnB, reps = REPS) {
  const a = [];
  const b = [];
  for (let i = 0; i < reps; i++) {
    for (const [label, fn, runs] of [[labelA, fnA, a], [labelB, fnB, b]]) {
      runs.push(await fn());
      log(`${label} #${i + 1}: ${runs.at(-1).wall.toFixed(2)} s${runs.at(-1).rssMB ? `, ${runs.at(-1).rssMB.toFixed(0)} MB` : ''}`);
    }
  }
  return [medianRun(a), medianRun(b)];
}

/** Run fn `reps` times; keep the run with the median wall, note min-max. */
async function repeat(label, fn, reps = REPS) {
  const runs = [];
  for (let i = 0; i < reps; i++) {
    runs.push(await fn());
    log(`${label} #${i + 1}: ${runs.at(-1).wall.toFixed(2)} s${runs.at(-1).rssMB ? `, ${runs.at(-1).rssMB.toFixed(0)} MB` : ''}`);
  }
  const sorted = [...runs].sort((a, b) => a.wall - b.wall);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...mid, min: sorted[0].wall, max: sorted.at(-1).wall, rssMB: Math.max(...runs.map((r) => r.rssMB ?? 0)) || undefined, reps };
}

function matrixSkipIds() {
  const plan = JSON.parse(sh('node', [CLI, 'plan', '-i', join(LAB, 'inventory.yml'), '--json']));
  return plan.rules.map((r) => r.id).filter((id) => id !== 'install-check' && id !== 'docker-2375');
}

const rows = [];
const phaseRows = [];
const loopRows = [];
const loads = [];
const notes = [];
let interrupted = false;

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

async function benchSize(n) {
  await waitForNoLab();
  loads.push({ hosts: n, when: 'before lab up', load: loadavg() });
  labUp(n);
  let nftOn = false;
  try {
    const floors = [];
    for (let i = 0; i < Math.max(REPS, 3); i++) floors.push(await sshFloor(n));
    const floor = median(floors);
    log(`floor ${n}: ${floors.map((f) => f.toFixed(2)).join(' ')}`);
    const row = (method, r, extra = {}) => rows.push({ hosts: n, method, wall: r.wall, min: r.min, max: r.max, probes: r.probes, rssMB: r.rssMB, userS: r.userS, sysS: r.sysS, floor, ...extra });
    row('OpenSSH floor: ssh hN true, all at once', { wall: floor, min: Math.min(...floors), max: Math.max(...floors) });

    // b. full ECE sweep, every port open (with --before: alternating with the before build)
    if (BEFORE) {
      const [fb, full] = await alternate(`full sweep (before) ${n}`, () => cliSweep([], { bin: BEFORE }), `full sweep ${n}`, () => cliSweep([]));
      row(`(before: ${BEFORE}) full ECE sweep (CLI)`, fb, { outcomes: fb.outcomes, fullBefore: true });
      row('ece-preflight full ECE sweep (CLI)', full, { outcomes: full.outcomes });
    } else {
      const full = await repeat(`full sweep ${n}`, () => cliSweep([]));
      row('ece-preflight full ECE sweep (CLI)', full, { outcomes: full.outcomes });
    }
    const fe = await child('full-engine');
    phaseRows.push({ hosts: n, what: 'full ECE sweep (engine API)', r: fe });
    for (let i = 0; i < (BEFORE ? 2 : 1); i++) {
      for (const [build, bin] of BEFORE ? [['before', BEFORE], ['this checkout', CLI]] : [['this checkout', CLI]]) {
        const mon = await monitoredSweep([], bin);
        loopRows.push({ hosts: n, build, r: mon });
        log(`monitored sweep ${n} (${build}): ${mon.wall.toFixed(2)} s, loop max ${mon.loop.loopDelayMs.max} ms, exec/host ${JSON.stringify(mon.loop.channels.execPerHost)}`);
      }
    }
    if (FULL_ONLY) return;

    // b'. some ports filtered on h2
    sh('ip', ['netns', 'exec', `${PREFIX}-h2`, 'nft', '-f', '-'], NFT_RULES);
    nftOn = true;
    const filt = await repeat(`filtered sweep ${n}`, () => cliSweep([]));
    row('ece-preflight full ECE sweep, h2 drops 2112,12191-12201 (CLI)', filt, { outcomes: filt.outcomes });
    const ff = await child('full-engine');
    phaseRows.push({ hosts: n, what: 'full ECE sweep, h2 filtered (engine API)', r: ff });
    sh('ip', ['netns', 'exec', `${PREFIX}-h2`, 'nft', 'delete', 'table', 'inet', NFT_TABLE]);
    nftOn = false;

    // c. 4-port matrix
    const skip = matrixSkipIds();
    const mcli = await repeat(`matrix CLI ${n}`, () => cliSweep(['--skip', ...skip, 'outbound', 'external']));
    row('ece-preflight 4-port matrix, closest CLI (--skip all but install-check, docker-2375)', mcli, { matrix: true, outcomes: mcli.outcomes });
    const mplay = await repeat(`matrix play ${n}`, () => cliPlay('playbooks/matrix.yml'));
    row('ece-preflight 4-port matrix, exact (CLI: play playbooks/matrix.yml)', mplay, { matrix: true, play: true, outcomes: mplay.outcomes, exitCode: mplay.exitCode });
    if (BEFORE) {
      const before = await repeat(`matrix play (before) ${n}`, () => cliPlay('playbooks/matrix.yml', [], { bin: BEFORE }));
      row(`(before: ${BEFORE}) play playbooks/matrix.yml`, before, { matrix: true, playBefore: true, outcomes: before.outcomes, exitCode: before.exitCode });
    }
    const meng = await repeat(`matrix engine ${n}`, () => child('matrix-engine'));
    row('ece-preflight 4-port matrix, exact (engine API, runSweep)', meng, { matrix: true, outcomes: meng.outcomes });
    phaseRows.push({ hosts: n, what: '4-port matrix, probes in batches on the source (runSweep)', r: meng });

    // e. one direct-tcpip channel per probe from the controller
    if (FORWARD_AT.has(n)) {
      const mfw = await repeat(`matrix forwardOut ${n}`, () => child('matrix-forward'));
      row('4-port matrix, exact, one SSH direct-tcpip channel per probe (forwardOut)', mfw, { matrix: true, outcomes: mfw.outcomes });
      phaseRows.push({ hosts: n, what: '4-port matrix, one forwardOut channel per probe', r: mfw });
    }

    // d. Ansible
    if (n <= ANSIBLE_MAX) {
      for (const pipelining of PIPELINING ? [false, true] : [false]) {
        const a = await repeat(`ansible ${n}${pipelining ? ' pipelining' : ''}`, () => ansible(n, pipelining), 1);
        row(`Ansible ${spawnSync('ansible', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].replace('ansible ', '')} matrix.yml, forks=${n}${pipelining ? ', pipelining' : ''}`, a, { matrix: true, ansible: !pipelining, ansiblePipelining: pipelining, failed: a.failed });
      }
    }
  } finally {
    if (nftOn) spawnSync('ip', ['netns', 'exec', `${PREFIX}-h2`, 'nft', 'delete', 'table', 'inet', NFT_TABLE]);
    labDown();
    loads.push({ hosts: n, when: 'after lab down', load: loadavg() });
  }
}

const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const signed = (x) => (x >= 0 ? '+' : '') + fmt(x);
const int = (x) => (x === undefined ? '-' : x.toLocaleString('en-US'));

function render() {
  let md = '';
  md += `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${sh('ssh', ['-V']).trim() || spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr.trim()}. Wall is the median of ${REPS} runs (min-max in brackets; Ansible: one run).\n\n`;
  md += '| hosts | method | wall s | probes | probes/s | peak RSS MB | CPU s user+sys (median run) | vs floor | vs Ansible |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|\n';
  for (const r of rows) {
    const ans = rows.find((x) => x.hosts === r.hosts && x.ansible);
    const vsAns = r.matrix && ans && !r.ansible && !r.ansiblePipelining ? `${fmt(ans.wall / r.wall, 1)}x faster` : '';
    const range = r.min !== undefined && r.max !== undefined && r.max - r.min > 0.005 ? ` (${fmt(r.min)}-${fmt(r.max)})` : '';
    const isFloor = r.method.startsWith('OpenSSH');
    md += `| ${r.hosts} | ${r.method} | ${fmt(r.wall)}${range} | ${int(r.probes)} | ${r.probes ? int(Math.round(r.probes / r.wall)) : '-'} | ${fmt(r.rssMB, 0)} | ${r.userS !== undefined ? `${fmt(r.userS + r.sysS)} (${fmt(r.userS)}+${fmt(r.sysS)})` : '-'} | ${isFloor ? '1' : fmt(r.wall / r.floor, 1) + 'x'} | ${vsAns} |\n`;
  }
  md += '\nOutcomes (probes by outcome, median run):\n\n';
  for (const r of rows) if (r.outcomes) md += `- ${r.hosts} hosts, ${r.method}: ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}${r.exitCode !== undefined ? `; exit code ${r.exitCode}` : ''}\n`;
  md += '\nPhases inside the engine (ms, one run, engine API in a child process; "total" excludes Node start-up):\n\n';
  md += '| hosts | run | connect | facts | listen | probe | outbound | cleanup | total |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|\n';
  for (const p of phaseRows) {
    const ph = p.r.phases;
    md += `| ${p.hosts} | ${p.what} | ${ph.connect ?? '-'} | ${ph.facts ?? '-'} | ${ph.listen ?? '-'} | ${ph.probe ?? '-'} | ${ph.outbound ?? '-'} | ${ph.cleanup ?? '-'} | ${p.r.engineMs} |\n`;
  }
  md += '\nController event loop during one full CLI sweep (bench/loop-monitor.mjs preloaded; delay of a 10 ms timer; SSH channels opened per host):\n\n';
  md += '| hosts | build | wall s | CPU s user+sys | loop delay p50 ms | p99 ms | max ms | stalls >= 100 ms | longest stall during | exec channels per host | forwardOut | refused opens (retried) | peak RSS MB | RSS peaked during |\n|---:|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|\n';
  for (const { hosts, build, r } of loopRows) {
    const l = r.loop;
    const e = l.channels.execPerHost;
    md += `| ${hosts} | ${build} | ${fmt(r.wall)} | ${r.userS !== undefined ? `${fmt(r.userS + r.sysS)} (${fmt(r.userS)}+${fmt(r.sysS)})` : '-'} | ${l.loopDelayMs.p50} | ${l.loopDelayMs.p99} | ${l.loopDelayMs.max} | ${l.stallsOver100ms} | ${l.stalls[0] ? `${l.stalls[0].during} (${l.stalls[0].lateMs} ms at ${l.stalls[0].atMs} ms)` : '-'} | ${e ? (e.min === e.max ? e.min : `${e.min}-${e.max}`) : '-'} (${l.channels.hosts} hosts) | ${l.channels.forwardOut} | ${l.channels.refusedOpens ?? 0} | ${fmt(r.rssMB, 0)} | ${l.rssPeak ? `${l.rssPeak.during} (${l.rssPeak.mb} MB at ${l.rssPeak.atMs} ms)` : '-'} |\n`;
  }
  const withMemory = loopRows.filter((x) => x.r.loop.memory?.length);
  if (withMemory.length) {
    md += '\nMemory of the monitored sweeps (process.memoryUsage() when each TASK line, PLAY RECAP and exit came; MB):\n\n| hosts | build | at | ms | rss | heapUsed | heapTotal | external | arrayBuffers |\n|---:|---|---|---:|---:|---:|---:|---:|---:|\n';
    for (const { hosts, build, r } of withMemory) for (const m of r.loop.memory) md += `| ${hosts} | ${build} | ${m.at} | ${m.atMs} | ${m.rssMB} | ${m.heapUsedMB} | ${m.heapTotalMB} | ${m.externalMB} | ${m.arrayBuffersMB} |\n`;
  }
  md += '\n/proc/loadavg: ' + loads.map((l) => `${l.hosts} hosts ${l.when}: ${l.load}`).join('; ') + '\n';
  md += '\nTargets (issue 18):\n\n';
  const find = (n, pred) => rows.find((r) => r.hosts === n && pred(r));
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const ans10 = find(10, (r) => r.ansible);
  for (const p of rows.filter((r) => r.play)) {
    const b = find(p.hosts, (r) => r.playBefore);
    md += `- ${p.hosts}-host \`play matrix.yml\` within OpenSSH floor + 0.5 s (${fmt(p.floor)} + 0.50 = ${fmt(p.floor + 0.5)} s): ${fmt(p.wall)} s (${signed(p.wall - p.floor)} s)${b ? `; before: ${fmt(b.wall)} s (${signed(b.wall - b.floor)} s)` : ''} -> ${verdict(p.wall <= p.floor + 0.5)}\n`;
    if (ans10 && p.hosts === 10) md += `- 10-host \`play matrix.yml\` >= 90x faster than Ansible: ${fmt(ans10.wall / p.wall, 1)}x (${fmt(p.wall)} s vs ${fmt(ans10.wall)} s) -> ${verdict(ans10.wall / p.wall >= 90)}\n`;
  }
  for (const [n, x] of [[20, 1.8], [50, 1.5]]) {
    const full = find(n, (r) => r.method === 'ece-preflight full ECE sweep (CLI)');
    if (full) md += `- ${n}-host full sweep within ${x}x the OpenSSH floor (${fmt(full.floor)} s -> ${fmt(x * full.floor)} s): ${fmt(full.wall)} s = ${fmt(full.wall / full.floor, 2)}x -> ${verdict(full.wall <= x * full.floor)}\n`;
    const fb = find(n, (r) => r.fullBefore);
    if (full && fb) md += `  (before: ${fmt(fb.wall)} s = ${fmt(fb.wall / fb.floor, 2)}x)\n`;
  }
  const rss50 = rows.filter((r) => r.hosts === 50 && r.method.startsWith('ece-preflight') && r.method.includes('(CLI'));
  if (rss50.length) {
    const rss = Math.max(...rss50.map((r) => r.rssMB ?? 0));
    md += `- controller peak RSS under 120 MB at 50 hosts (CLI runs, largest): ${fmt(rss, 0)} MB -> ${verdict(rss < 120)}\n`;
    const fb = find(50, (r) => r.fullBefore);
    if (fb) md += `  (before, full sweep: ${fmt(fb.rssMB, 0)} MB)\n`;
  }
  for (const n of [...new Set(rows.map((r) => r.hosts))]) {
    const full = find(n, (r) => r.method === 'ece-preflight full ECE sweep (CLI)');
    const filt = find(n, (r) => r.method.includes('h2 drops'));
    if (full && filt) md += `- ${n} hosts: a filtered port adds at most one probe timeout (2.00 s): ${fmt(filt.wall)} s vs ${fmt(full.wall)} s open = ${signed(filt.wall - full.wall)} s -> ${verdict(filt.wall - full.wall <= 2)}\n`;
  }
  return md;
}

const onSignal = () => {
  if (interrupted) process.exit(99);
  interrupted = true;
  log('interrupted: taking the lab down');
  spawnSync('ip', ['netns', 'exec', `${PREFIX}-h2`, 'nft', 'delete', 'table', 'inet', NFT_TABLE]);
  labDown();
  process.exit(99);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

if (!existsSync(CLI)) throw new Error('dist/ is missing: npm run build');
if (!existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install -y time`);
const t0 = performance.now();
try {
  for (const n of sizes) await benchSize(n);
} finally {
  const md = render();
  process.stdout.write(md);
  if (OUT) writeFileSync(OUT, md);
  log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
