import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probesOf } from '../../src/engine/check-record.js';
import type { RunResult } from '../../src/engine/result.js';
import { labHost, startSshd, type LabHost } from '../../src/lab/lab.js';
import { sleep } from '../../src/lab/netns.js';
import { delayHost } from './support/delay-queue.js';
import { countSshConnects, holdStartups, hostProcesses, killSshd, nftDelete, nftInput, restoreSshd, sshdLog, sshdWith, strayListeners, waitNoStrayListeners } from './support/host-faults.js';
import { runCli } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// Faults of a host while a sweep runs (issue "Hardening"): its sshd killed, a
// DROP on its port 22, a slow link, an sshd that turns connections away. A
// 3-host lab: h1 director+coordinator (the first host: all four roles), h2
// proxy (the host that suffers), h3 allocator. Each case asserts the report
// (host, state, exit code) and that no listener is left on any host.
let h2: LabHost;
const used = useLab({ hosts: 3, prefix: 'ecemr', roles: ['director,coordinator', 'proxy', 'allocator'] }, (lab) => {
  h2 = labHost(lab, 'h2');
});
const dir = used.dir;

interface Sweep {
  code: number | null;
  stdout: string;
  stderr: string;
  result: RunResult;
  ms: number;
}

let runs = 0;
/** `sweep --json`, timed; `onStdout` sees the plain output as it comes. */
async function sweep(args: string[], opts: { inventory?: string; onStdout?: (all: string) => void; timeoutMs?: number } = {}): Promise<Sweep> {
  const json = path.join(dir, `run-${++runs}.json`);
  let all = '';
  const started = Date.now();
  const run = await runCli(['sweep', '-i', opts.inventory ?? used.lab.inventoryFile, '--no-tui', '--no-save', '--json', json, ...args], {
    timeoutMs: opts.timeoutMs ?? 90_000,
    onStdout: (chunk) => {
      all += chunk;
      opts.onStdout?.(all);
    },
  });
  const ms = Date.now() - started;
  if (!existsSync(json)) throw new Error(`no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  return { ...run, ms, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
}

const states = (r: RunResult) => r.hosts.map((h) => [h.name, h.state]);
const notChecked = (r: RunResult) => r.summary.hostsNotChecked.map((g) => [g.name, g.state]);
/** Checks that say a path is broken or could not be told: a fault of SSH must produce none. */
const failures = (r: RunResult) => r.checks.filter((c) => c.verdict === 'blocked' || c.verdict === 'error').map((c) => JSON.stringify(c));

/** What a fault the run rides out ends in: exit 0, every host done, the run complete, nothing failing. */
function expectAllChecked({ code, stdout, result }: Sweep): void {
  expect(code, stdout).toBe(0);
  expect(states(result)).toEqual([
    ['h1', 'done'],
    ['h2', 'done'],
    ['h3', 'done'],
  ]);
  expect(result.summary.complete).toBe(true);
  expect(failures(result)).toEqual([]);
}

/** What both lost-connection faults end in: exit 3, h2 unreachable with `why`, h2 alone not checked, the others' paths all ok. */
function expectH2Lost({ code, stdout, result }: Sweep, why: RegExp): void {
  expect(code, stdout).toBe(3);
  expect(states(result)).toEqual([
    ['h1', 'done'],
    ['h2', 'unreachable'],
    ['h3', 'done'],
  ]);
  expect(result.hosts.find((h) => h.name === 'h2')!.error).toMatch(why);
  expect(notChecked(result)).toEqual([['h2', 'unreachable']]);
  expect(stdout).toMatch(/INCOMPLETE: 1 of 3 hosts not checked/);
  const between = probesOf(result.checks).filter((p) => p.from !== 'h2' && p.to !== 'h2');
  expect(between.length).toBeGreaterThan(100);
  expect(between.filter((p) => p.verdict !== 'ok')).toEqual([]);
}
const PROBE_TASK = /TASK \[Probe the ECE port matrix\]/;

/** 2375 must be closed: a DROP there is `ok` and holds each host's probe batch for the probe timeout (a probe phase long enough to hit). */
async function holdProbePhase(): Promise<void> {
  for (const h of used.lab.hosts) await nftInput(h, 'hold', 'tcp dport 2375 drop');
}
async function releaseProbePhase(): Promise<void> {
  for (const h of used.lab.hosts) await nftDelete(h, 'hold');
}

describe('faults of a host during a sweep', () => {
  it('sshd killed during the probe phase: that host is unreachable (connection lost), the others complete, INCOMPLETE, exit 3, its agent ends by itself', async () => {
    const { lab } = used;
    await holdProbePhase();
    let kill: Promise<number[]> | undefined;
    try {
      const run = await sweep(['--probe-timeout', '4000'], {
        onStdout: (all) => {
          // h2's batch waits 4 s on its 2375 probes: 1 s in, it is mid-batch.
          if (!kill && PROBE_TASK.test(all)) kill = sleep(1000).then(() => killSshd(h2));
        },
      });
      const { stdout, result } = run;
      expect(await kill, stdout).toHaveLength(2); // the listener and the session's sshd
      expectH2Lost(run, /^h2: connection to root@198\.18\.0\.12:22 lost: /);
      expect(result.hosts.find((h) => h.name === 'h2')!.errorKind).toBe('connection-lost');
      expect(result.summary.status).toBe('incomplete');
      expect(stdout).toMatch(/INCOMPLETE: 1 of 3 hosts not checked; \d+ of \d+ planned checks not run/);
      expect(stdout).toMatch(/h2: unreachable: h2: connection to root@198\.18\.0\.12:22 lost: /);
      // what h2 had not answered is not checked, never blamed on the network
      expect(failures(result)).toEqual([]);
      expect(probesOf(result.checks).some((p) => p.from === 'h2' && p.port === 2375)).toBe(false);
      expect(result.summary.checked.probes).toBeLessThan(result.summary.planned.probes);
      expect(run.ms).toBeLessThan(30_000);
      // h2's agent lost its stdin with its sshd: it and its listeners are gone, nothing else cleaned up for it
      let agents = ['python3'];
      for (let i = 0; i < 20 && agents.length; i++) {
        agents = (await hostProcesses(h2)).filter((p) => p.comm.startsWith('python')).map((p) => `${p.pid} ${p.comm}`);
        if (agents.length) await sleep(250);
      }
      expect(agents).toEqual([]);
      expect(await waitNoStrayListeners(lab, 5000)).toEqual([]);
    } finally {
      await kill?.catch(() => undefined);
      await releaseProbePhase();
      await startSshd(h2);
    }
    expect(await strayListeners(lab, h2)).toEqual([]);
  }, 60_000);

  it('DROP on port 22 during the probe phase: the run ends within the keepalive bound, that host unreachable, exit 3; its agent and listeners end by themselves, the DROP still in place', async () => {
    const { lab } = used;
    // ServerAliveInterval 1 x ServerAliveCountMax 3, as an operator sets it in ssh_config or the inventory: a dead link is given up in ~4 s.
    const inventory = path.join(dir, 'keepalive.yml');
    writeFileSync(inventory, readFileSync(lab.inventoryFile, 'utf8').replace('StrictHostKeyChecking=yes', 'StrictHostKeyChecking=yes -o ServerAliveInterval=1 -o ServerAliveCountMax=3'));
    // a lifetime well past the watchdog's bound: listeners gone before it are the watchdog's doing
    const ttlSec = 60;
    await holdProbePhase();
    let drop: Promise<void> | undefined;
    let droppedAt = 0;
    try {
      const started = Date.now();
      const run = await sweep(['--probe-timeout', '2000', '--listener-ttl', String(ttlSec)], {
        inventory,
        timeoutMs: 60_000,
        onStdout: (all) => {
          if (!drop && PROBE_TASK.test(all)) drop = nftInput(h2, 'cut', 'tcp dport 22 drop').then(() => void (droppedAt = Date.now()));
        },
      });
      await drop;
      const { stdout, result } = run;
      expect(droppedAt, stdout).toBeGreaterThan(0);
      // bounded: from the DROP, the keepalive bound (~4 s) plus the cleanup of the dead session (at most 5 s + 2 s), never the 15-minute TCP timeout
      expect(Date.now() - droppedAt, stdout).toBeLessThan(20_000);
      expectH2Lost(run, /^h2: connection to root@198\.18\.0\.12:22 lost: Keepalive timeout/);
      // the one failure there may be is the DROP itself, when the controller's SSH probe came after it
      expect(failures(result).filter((c) => !c.includes('"id":"@controller>h2:22"'))).toEqual([]);
      // the healthy hosts were cleaned up by the run itself
      expect(await strayListeners(lab, labHost(lab, 'h1'))).toEqual([]);
      expect(await strayListeners(lab, labHost(lab, 'h3'))).toEqual([]);
      // h2's agent cannot hear the controller, and behind a DROP its stdin never closes: its watchdog (twice the
      // 3 s keepalive bound, at least 10 s, from the last heartbeat) ends it and its listeners, the DROP still in place
      const left = await waitNoStrayListeners(lab, Math.max(0, droppedAt + 16_000 - Date.now()));
      expect(left).toEqual([]);
      expect(Date.now() - started).toBeLessThan(ttlSec * 1000);
      expect((await hostProcesses(h2)).filter((p) => p.comm.startsWith('python'))).toEqual([]);
      await nftDelete(h2, 'cut');
    } finally {
      await drop?.catch(() => undefined);
      await nftDelete(h2, 'cut');
      await releaseProbePhase();
    }
  }, 60_000);

  it('a slow host (300 ms added each way, a 1 s probe budget): the run completes with no false filtered', async () => {
    const { lab } = used;
    const slow = await delayHost(h2, 300);
    try {
      const run = await sweep(['--probe-timeout', '1000']);
      const { result, ms } = run;
      expectAllChecked(run);
      expect(probesOf(result.checks).filter((p) => p.result.outcome === 'filtered')).toEqual([]);
      // the delay was there: paths through h2 took the added round trip (600 ms), more than half the budget
      const viaH2 = probesOf(result.checks).filter((p) => (p.from === 'h2' || p.to === 'h2') && p.result.outcome === 'open');
      expect(viaH2.length).toBeGreaterThan(50);
      expect(Math.max(...viaH2.map((p) => p.result.ms))).toBeGreaterThanOrEqual(550);
      expect(ms).toBeLessThan(45_000);
    } finally {
      await slow.stop();
    }
    expect(await waitNoStrayListeners(lab, 3000)).toEqual([]);
  }, 60_000);

  it('sshd with MaxStartups 2:100:2 and MaxSessions 1, its startups taken by others: the connect is retried with backoff and the host is checked', async () => {
    const { lab } = used;
    await sshdWith(h2, ['MaxStartups 2:100:2', 'MaxSessions 1']);
    let held: net.Socket[] = [];
    try {
      // Two unauthenticated connections of someone else fill MaxStartups.
      held = await holdStartups(h2, 2);
      const connects = await countSshConnects(h2);
      // ...for 2.5 s after the run starts: its first connects to h2 are dropped
      const release = sleep(2500).then(() => held.forEach((s) => s.destroy()));
      // The SYNs h2 got up to its facts: the tool's connects only (later, the controller probes h2:22 too).
      let beforeFacts: Promise<number> | undefined;
      const run = await sweep(['--probe-timeout', '1000'], {
        onStdout: (all) => {
          if (!beforeFacts && /ok: \[h2\] facts/.test(all)) beforeFacts = connects.read();
        },
      });
      const { stdout, ms } = run;
      await release;
      const tries = await beforeFacts;
      await connects.remove();
      // one connection per host for the whole run: more than one means h2 turned it away and it was tried again
      expect(tries, `${stdout}\n${sshdLog(h2)}`).toBeGreaterThan(1);
      expect(tries).toBeLessThanOrEqual(6);
      expect(sshdLog(h2)).toMatch(/MaxStartups throttling/);
      expect(ms).toBeLessThan(30_000);
      expectAllChecked(run);
    } finally {
      held.forEach((s) => s.destroy());
      await restoreSshd(h2);
    }
    expect(await waitNoStrayListeners(lab, 3000)).toEqual([]);
  }, 60_000);
});
