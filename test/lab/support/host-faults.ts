import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { labExec, restartSshd, stopSshd, type LabHost, type LabInfo } from '../../../src/lab/lab.js';
import { sleep } from '../../../src/lab/netns.js';
import { sshdConfigPath, startSshd as startSshdAsConfigured } from '../../../src/lab/sshd.js';

/**
 * Faults of one lab host, injected from outside while a run goes on: its sshd
 * killed, a firewall rule, an sshd with other limits. Everything here acts
 * inside the host's own namespaces (labExec) or on its lab folder.
 */

/** The host's processes as its own PID namespace numbers them: pid, command name. */
export async function hostProcesses(host: LabHost): Promise<{ pid: number; comm: string }[]> {
  const r = await labExec(host, ['ps', '-eo', 'pid=,comm=']);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length >= 2)
    .map(([pid, comm]) => ({ pid: Number(pid), comm: comm! }));
}

/**
 * SIGKILL every sshd of the host (the listener and each session's), by pid
 * inside the host's PID namespace: what a crashed or OOM-killed sshd does to
 * the connections it held. Returns the pids killed.
 */
export async function killSshd(host: LabHost): Promise<number[]> {
  const pids = (await hostProcesses(host)).filter((p) => p.comm === 'sshd').map((p) => p.pid);
  if (pids.length === 0) throw new Error(`${host.name}: no sshd to kill`);
  const r = await labExec(host, ['kill', '-KILL', ...pids.map(String)]);
  if (r.code !== 0) throw new Error(`${host.name}: kill ${pids.join(' ')}: ${r.stderr}`);
  return pids;
}

/**
 * TCP listeners on the host other than its sshd (:22) and, on h1, the
 * registry stand-in (:443): what a run must not leave behind.
 */
export async function strayListeners(lab: LabInfo, host: LabHost): Promise<string[]> {
  const r = await labExec(host, ['ss', '-ltnH']);
  const first = lab.hosts[0]?.name;
  return r.stdout.split('\n').filter((l) => l.trim() && !/:22\s/.test(l) && !(host.name === first && /:443\s/.test(l)));
}

/** Every host's stray listeners, `host: line`, until none are left or `withinMs` passed. */
export async function waitNoStrayListeners(lab: LabInfo, withinMs: number): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = (await Promise.all(lab.hosts.map(async (h) => (await strayListeners(lab, h)).map((l) => `${h.name}: ${l.trim()}`)))).flat();
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(250);
  }
}

/** An nft table of one input chain in the host: `tcp dport 22 drop` and the like. */
export async function nftInput(host: LabHost, table: string, ...rules: string[]): Promise<void> {
  const script = `table inet ${table} {\n chain input {\n  type filter hook input priority -10;\n  ${rules.join('\n  ')}\n }\n}\n`;
  const r = await labExec(host, ['nft', '-f', '-'], { stdin: script });
  if (r.code !== 0) throw new Error(`nft on ${host.name}: ${r.stderr}`);
}

export async function nftDelete(host: LabHost, table: string): Promise<void> {
  await labExec(host, ['nft', 'delete', 'table', 'inet', table]);
}

/**
 * Run the host's sshd with `lines` (e.g. `MaxStartups 2:100:2`) in front of
 * the lab's sshd_config (a line after its `Match` block would be scoped to
 * it); the lab's own MaxStartups line is taken out. restoreSshd() puts the
 * lab's config back.
 */
export async function sshdWith(host: LabHost, lines: string[]): Promise<void> {
  const config = readFileSync(sshdConfigPath(host), 'utf8')
    .split('\n')
    .filter((l) => !/^MaxStartups\b/.test(l))
    .join('\n');
  await stopSshd(host);
  writeFileSync(sshdConfigPath(host), `${lines.join('\n')}\n${config}`);
  // sshd's own start, not the lab's: the lab's rewrites sshd_config first.
  host.sshdPid = await startSshdAsConfigured(host);
}

/** The lab's sshd again (config rewritten, sshd restarted). */
export async function restoreSshd(host: LabHost): Promise<void> {
  await restartSshd(host);
}

/** The host's sshd log, for assertion messages. */
export function sshdLog(host: LabHost): string {
  try {
    return readFileSync(`${host.dir}/sshd.log`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * `n` unauthenticated connections to the host's sshd, held open: each got
 * sshd's banner, so sshd counts it against MaxStartups until it is closed (or
 * LoginGraceTime ends it). One turned away ("Exceeded MaxStartups": sshd
 * still counted an earlier connection) is tried again shortly.
 */
export async function holdStartups(host: LabHost, n: number, withinMs = 5000): Promise<net.Socket[]> {
  const held: net.Socket[] = [];
  const deadline = Date.now() + withinMs;
  while (held.length < n) {
    const sock = net.connect({ host: host.address, port: 22 });
    const banner = await new Promise<string>((resolve) => {
      sock.once('data', (b) => resolve(String(b)));
      sock.once('error', (e) => resolve(e.message));
      sock.once('close', () => resolve('closed'));
    });
    if (banner.startsWith('SSH-')) held.push(sock);
    else {
      sock.destroy();
      if (Date.now() > deadline) {
        held.forEach((s) => s.destroy());
        throw new Error(`${host.name}: cannot hold ${n} startups (${banner.trim()})`);
      }
      await sleep(100);
    }
  }
  return held;
}

/** Counts the TCP connection attempts (SYNs) the host's port 22 receives from now on (an nft counter in the host). */
export async function countSshConnects(host: LabHost): Promise<{ read(): Promise<number>; remove(): Promise<void> }> {
  const table = 'sshconnects';
  await nftInput(host, table, 'tcp dport 22 tcp flags & (syn | ack) == syn counter');
  return {
    async read() {
      const r = await labExec(host, ['nft', 'list', 'table', 'inet', table]);
      const m = /counter packets (\d+)/.exec(r.stdout);
      if (!m) throw new Error(`${host.name}: no counter in ${r.stdout}${r.stderr}`);
      return Number(m[1]);
    },
    remove: () => nftDelete(host, table),
  };
}
