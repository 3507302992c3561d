import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import { runCli } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// sweep --preconditions: what the ECE installer checks, judged per host from
// facts and named in every output. Lab hosts log in as root and have no
// Docker daemon, so those two fail on both; the storage path is set per host
// in host_vars (h1: a folder that exists, h2: one that does not).
const used = useLab({ hosts: 2, prefix: 'ecepr', roles: ['director,coordinator,proxy', 'director,allocator'] }, (lab, dir) => {
  const storage = path.join(dir, 'data-h1');
  mkdirSync(storage);
  const hv = path.join(path.dirname(lab.inventoryFile), 'host_vars');
  mkdirSync(hv, { recursive: true });
  writeFileSync(path.join(hv, 'h1.yml'), `ece_storage_path: ${storage}\n`);
  writeFileSync(path.join(hv, 'h2.yml'), `ece_storage_path: ${path.join(dir, 'no-such-folder')}\n`);
});

const sweep = async (extra: string[]) => {
  const { lab, dir } = used;
  const json = path.join(dir, `run-${extra.join('_').replace(/\W/g, '')}.json`);
  const r = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--no-save', '--skip', 'outbound', '--json', json, ...extra]);
  return { ...r, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
};
const statusOf = (r: RunResult, host: string, id: string) => r.hostChecks?.find((c) => c.host === host && c.id === id)?.status;

describe('sweep --preconditions', () => {
  it('judges the installer preconditions per host, names the failures, fails the run; without the flag none is judged', async () => {
    const on = await sweep(['--preconditions']);
    expect(statusOf(on.result, 'h1', 'storage-path')).toBe('pass');
    expect(statusOf(on.result, 'h2', 'storage-path')).toBe('fail');
    for (const h of ['h1', 'h2']) {
      expect(statusOf(on.result, h, 'local-port-range')).toBe('pass');
      expect(statusOf(on.result, h, 'firewalld')).toBe('pass');
      expect(statusOf(on.result, h, 'install-user')).toBe('fail');
      expect(['fail', 'warn']).toContain(statusOf(on.result, h, 'docker'));
    }
    expect(on.stdout).toMatch(/h2 storage-path: fail: storage path .*no-such-folder does not exist/);
    expect(on.stdout).toMatch(/h1 install-user: fail: the install user is root/);
    expect(on.result.summary.status).toBe('failed');
    expect(on.code).toBe(2);

    const off = await sweep([]);
    expect(off.result.hostChecks?.filter((c) => c.kind === 'precondition') ?? []).toEqual([]);
    expect(off.code, off.stdout).toBe(0);
  }, 120_000);

  it('--skip takes a host requirement id: that requirement is neither judged nor listed', async () => {
    const all = await sweep([]);
    expect(all.result.hostChecks?.some((c) => c.id === 'director-rtt')).toBe(true);
    const skipped = await sweep(['--skip', 'director-rtt']);
    expect(skipped.result.hostChecks?.some((c) => c.id === 'director-rtt') ?? false).toBe(false);
    expect(skipped.code).toBe(0);
    const typo = await runCli(['sweep', '-i', used.lab.inventoryFile, '--no-tui', '--no-save', '--skip', 'director-rtx']);
    expect(typo.code).toBe(5);
    expect(typo.stderr).toMatch(/--skip director-rtx: not a check; .* a requirement id/);
  }, 120_000);
});
