import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../../../src/engine/result.js';
import { labExec, labHost, type LabInfo } from '../../../src/lab/lab.js';
import { runCli } from './run-cli.js';

/** A Debian-style default-deny nftables input chain that lets SSH in: the firewall tests' starting host. */
export const DEFAULT_DENY = `table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    iif "lo" accept
    tcp dport 22 accept
  }
}
`;

/** Loads DEFAULT_DENY on each host; throws naming the host it failed on. */
export async function denyByDefault(lab: LabInfo, hosts: string[]): Promise<void> {
  for (const h of hosts) {
    const r = await labExec(labHost(lab, h), ['nft', '-f', '-'], { stdin: DEFAULT_DENY });
    if (r.code !== 0) throw new Error(`${h}: ${r.stderr}`);
  }
}

/**
 * The CLI against a lab's inventory with a run history of the test's own, and
 * a sweep (outbound skipped: the default-deny hosts do not serve the registry)
 * whose JSON result is read back.
 */
export function labCli(lab: () => LabInfo, dir: string) {
  const cli = (args: string[], timeoutMs = 120_000) =>
    runCli([...args, '-i', lab().inventoryFile, '--no-tui', '--state-dir', path.join(dir, 'state')], { timeoutMs });
  const sweep = async () => {
    const json = path.join(dir, `sweep-${Date.now()}.json`);
    const r = await cli(['sweep', '--skip', 'outbound', '--probe-timeout', '600', '--json', json]);
    return { ...r, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
  };
  return { cli, sweep };
}
