import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import { labExec, labHost, labPidAlive } from '../../src/lab/lab.js';
import { runCli } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// Fault 7 of the hardening issue: a role port already held by another process
// on a host. The sweep reports the port with the process that holds it, still
// probes it (the holder answers), and never kills or disturbs that process.
const used = useLab({ hosts: 2, prefix: 'ecept', roles: ['director,coordinator,proxy', 'allocator'] });

describe('a role port held by another process', () => {
  it('is reported with its process, still probed, and the process is left running', async () => {
    const { lab, dir } = used;
    const h2 = labHost(lab, 'h2');
    const plan = JSON.parse((await runCli(['plan', '-i', lab.inventoryFile, '--json'])).stdout) as { hosts: { host: { name: string }; listeners: { port: number }[] }[] };
    // an allocator port other hosts must reach (not 2375, which must answer no one)
    const ports = plan.hosts.find((h) => h.host.name === 'h2')!.listeners.map((l) => l.port);
    const port = ports.includes(22000) ? 22000 : ports.find((p) => p !== 2375)!;
    // a long-lived listener of someone else's, started in h2's namespaces, detached
    const started = await labExec(h2, ['sh', '-c', `setsid python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", ${port})); s.listen(); time.sleep(600)' >/dev/null 2>&1 & echo $!`]);
    const pid = Number(started.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    try {
      for (let i = 0; i < 50 && !(await labExec(h2, ['ss', '-ltnH', `sport = :${port}`])).stdout.trim(); i++) await new Promise((r) => setTimeout(r, 100));
      const json = path.join(dir, 'run.json');
      const r = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--no-save', '--skip', 'outbound', '--json', json]);
      // named with the process and its pid as `ss -p` shows them on the host
      expect(r.stdout).toMatch(new RegExp(`ok: \\[h2\\] listening on \\d+ ports; in use: ${port} \\(python3\\(${pid}\\)\\)`));
      const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
      expect(result.hosts.find((h) => h.name === 'h2')?.listeners?.inUse).toEqual([{ port, process: `python3(${pid})` }]);
      // the holder answers, so the path is open: probed, not skipped
      const paths = result.checks.filter((c) => c.to === 'h2' && c.port === port);
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.every((c) => c.result.outcome === 'open')).toBe(true);
      expect(r.code, r.stdout).toBe(0);
      // never killed, still listening
      expect(await labPidAlive(h2, pid)).toBe(true);
      expect((await labExec(h2, ['ss', '-ltnH', `sport = :${port}`])).stdout).toMatch(new RegExp(`:${port}\\b`));
    } finally {
      await labExec(h2, ['kill', String(pid)]);
    }
  }, 120_000);
});
