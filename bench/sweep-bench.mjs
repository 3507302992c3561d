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
// tables there). Lab: prefix ecebn, folder /tmp/ecebn-lab; waits while another
// lab exists and always takes its own lab down.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
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

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const optNames = new Set(['--reps', '--ansible-max', '--forward-at', '--out']);
const sizes = argv.filter((a, i) => /^\d+$/.test(a) && !optNames.has(argv[i - 1])).map(Number);
if (sizes.length === 0) sizes.push(10, 25, 50);
const REPS = Number(opt('--reps', 3));
const ANSIBLE_MAX = flag('--no-ansible') ? 0 : Number(opt('--ansible-max', 10));
const PIPELINING = !flag('--no-pipelining');
const FORWARD_AT = new Set(String(opt('--forward-at', '25')).split(',').filter(Boolean).map(Number));
const OUT = opt('--out');

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
    const child = spawn(TIME, ['-f', '%M', '-o', tfile, cmd, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      let rssMB;
      try {
        const kb = Number(readFileSync(tfile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb)) rssMB = kb / 1024;
      } catch {}
      rmSync(tdir, { recursive: true, force: true });
      resolve({ code, wall, rssMB, stdout, stderr });
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
async function cliRun(command, extra) {
  const json = join(mkdtempSync(join(tmpdir(), 'ecebn-run-')), 'run.json');
  const m = await measure('node', [CLI, ...command, '-i', join(LAB, 'inventory.yml'), '--no-tui', '--json', json, ...extra]);
  if (!existsSync(json)) throw new Error(`${command.join(' ')} wrote no JSON (exit ${m.code}): ${m.stderr.slice(-500)}`);
  const r = JSON.parse(readFileSync(json, 'utf8'));
  rmSync(dirname(json), { recursive: true, force: true });
  return { ...m, probes: r.checks.length, outcomes: countOutcomes(r.checks.filter((c) => c.kind === 'probe')), exitCode: r.exitCode, durationMs: r.durationMs };
}
const cliSweep = (extra) => cliRun(['sweep'], extra);
const cliPlay = (playbook, extra = []) => cliRun(['play', join(ROOT, playbook)], extra);

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
const notes = [];
let interrupted = false;

async function benchSize(n) {
  await waitForNoLab();
  labUp(n);
  let nftOn = false;
  try {
    const floors = [];
    for (let i = 0; i < Math.max(REPS, 3); i++) floors.push(await sshFloor(n));
    const floor = median(floors);
    log(`floor ${n}: ${floors.map((f) => f.toFixed(2)).join(' ')}`);
    const row = (method, r, extra = {}) => rows.push({ hosts: n, method, wall: r.wall, min: r.min, max: r.max, probes: r.probes, rssMB: r.rssMB, floor, ...extra });
    row('OpenSSH floor: ssh hN true, all at once', { wall: floor, min: Math.min(...floors), max: Math.max(...floors) });

    // b. full ECE sweep, every port open
    const full = await repeat(`full sweep ${n}`, () => cliSweep([]));
    row('ece-preflight full ECE sweep (CLI)', full, { outcomes: full.outcomes });
    const fe = await child('full-engine');
    phaseRows.push({ hosts: n, what: 'full ECE sweep (engine API)', r: fe });

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
  }
}

const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const int = (x) => (x === undefined ? '-' : x.toLocaleString('en-US'));

function render() {
  let md = '';
  md += `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${sh('ssh', ['-V']).trim() || spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr.trim()}. Wall is the median of ${REPS} runs (min-max in brackets; Ansible: one run).\n\n`;
  md += '| hosts | method | wall s | probes | probes/s | peak RSS MB | vs floor | vs Ansible |\n|---:|---|---:|---:|---:|---:|---:|---:|\n';
  for (const r of rows) {
    const ans = rows.find((x) => x.hosts === r.hosts && x.ansible);
    const vsAns = r.matrix && ans && !r.ansible && !r.ansiblePipelining ? `${fmt(ans.wall / r.wall, 1)}x faster` : '';
    const range = r.min !== undefined && r.max !== undefined && r.max - r.min > 0.005 ? ` (${fmt(r.min)}-${fmt(r.max)})` : '';
    const isFloor = r.method.startsWith('OpenSSH');
    md += `| ${r.hosts} | ${r.method} | ${fmt(r.wall)}${range} | ${int(r.probes)} | ${r.probes ? int(Math.round(r.probes / r.wall)) : '-'} | ${fmt(r.rssMB, 0)} | ${isFloor ? '1' : fmt(r.wall / r.floor, 1) + 'x'} | ${vsAns} |\n`;
  }
  md += '\nOutcomes (probes by outcome, median run):\n\n';
  for (const r of rows) if (r.outcomes) md += `- ${r.hosts} hosts, ${r.method}: ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}${r.exitCode !== undefined ? `; exit code ${r.exitCode}` : ''}\n`;
  md += '\nPhases inside the engine (ms, one run, engine API in a child process; "total" excludes Node start-up):\n\n';
  md += '| hosts | run | connect | facts | listen | probe | outbound | cleanup | total |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|\n';
  for (const p of phaseRows) {
    const ph = p.r.phases;
    md += `| ${p.hosts} | ${p.what} | ${ph.connect ?? '-'} | ${ph.facts ?? '-'} | ${ph.listen ?? '-'} | ${ph.probe ?? '-'} | ${ph.outbound ?? '-'} | ${ph.cleanup ?? '-'} | ${p.r.engineMs} |\n`;
  }
  md += '\nTargets:\n\n';
  const find = (n, pred) => rows.find((r) => r.hosts === n && pred(r));
  const ans10 = find(10, (r) => r.ansible);
  const eng10 = find(10, (r) => r.method.includes('exact (engine API'));
  const cli10 = find(10, (r) => r.method.includes('closest CLI'));
  if (ans10 && eng10) {
    md += `- 10-host 4-port matrix >= 50x faster than Ansible: exact matrix ${fmt(ans10.wall / eng10.wall, 1)}x, closest CLI ${fmt(ans10.wall / cli10.wall, 1)}x -> ${ans10.wall / eng10.wall >= 50 ? 'met' : 'NOT met'}\n`;
    const play10 = find(10, (r) => r.play);
    if (play10) md += `- 10-host \`play matrix.yml\` >= 90x faster than Ansible: ${fmt(ans10.wall / play10.wall, 1)}x (${fmt(play10.wall)} s vs ${fmt(ans10.wall)} s) -> ${ans10.wall / play10.wall >= 90 ? 'met' : 'NOT met'}\n`;
    const pip10 = find(10, (r) => r.ansiblePipelining);
    if (pip10) md += `- (same, against Ansible with pipelining: exact matrix ${fmt(pip10.wall / eng10.wall, 1)}x, closest CLI ${fmt(pip10.wall / cli10.wall, 1)}x)\n`;
  }
  for (const p of rows.filter((r) => r.play))
    md += `- ${p.hosts}-host \`play matrix.yml\` within OpenSSH floor + 0.5 s (${fmt(p.floor)} + 0.50 = ${fmt(p.floor + 0.5)} s): ${fmt(p.wall)} s (+${fmt(p.wall - p.floor)} s) -> ${p.wall <= p.floor + 0.5 ? 'met' : 'NOT met'}\n`;
  const big = Math.max(...rows.map((r) => r.hosts));
  const full = find(big, (r) => r.method === 'ece-preflight full ECE sweep (CLI)');
  const filt = find(big, (r) => r.method.includes('h2 drops'));
  if (full) {
    md += `- ${big}-host full sweep within 3x of the OpenSSH floor (${fmt(full.floor)} s): ${fmt(full.wall)} s = ${fmt(full.wall / full.floor, 1)}x -> ${full.wall <= 3 * full.floor ? 'met' : 'NOT met'}\n`;
    md += `- ${big}-host filtered sweep (one probe timeout = 2.00 s): literal, within floor + timeout ${fmt(full.floor + 2)} s: ${fmt(filt.wall)} s -> ${filt.wall <= full.floor + 2 ? 'met' : 'NOT met'}; filtering adds at most one timeout to the open sweep (${fmt(full.wall)} + 2.00 = ${fmt(full.wall + 2)} s) -> ${filt.wall <= full.wall + 2 ? 'met' : 'NOT met'} (+${fmt(filt.wall - full.wall)} s); within 3 x floor + timeout ${fmt(3 * full.floor + 2)} s -> ${filt.wall <= 3 * full.floor + 2 ? 'met' : 'NOT met'}\n`;
    const rss = Math.max(...rows.filter((r) => r.hosts === big && r.method.startsWith('ece-preflight')).map((r) => r.rssMB ?? 0));
    md += `- controller peak RSS under 200 MB at ${big} hosts: max ${fmt(rss, 0)} MB -> ${rss < 200 ? 'met' : 'NOT met'}\n`;
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
