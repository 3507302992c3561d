import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { labExec, labHost } from '../../src/lab/lab.js';
import { sleep } from '../../src/lab/netns.js';
import { BIN } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// Faults of the controller itself: what is left on the hosts when it dies.
const used = useLab({ hosts: 3, prefix: 'ecefl', roles: ['director,coordinator', 'proxy', 'allocator'] });

const strayListeners = async (h: string) =>
  (await labExec(labHost(used.lab, h), ['ss', '-ltnH'])).stdout.split('\n').filter((l) => l.trim() && !/:(22|443)\s/.test(l));

describe('faults of the controller', () => {
  it('SIGKILL of the controller mid-probe: every remote listener ends by itself (the SSH channel closes under it)', async () => {
    const { lab } = used;
    // A DROP keeps the probe phase long enough to kill the controller inside it.
    await labExec(labHost(lab, 'h1'), ['nft', '-f', '-'], {
      stdin: 'table inet t {\n chain input {\n  type filter hook input priority 0;\n  tcp dport 18000-23999 drop\n }\n}\n',
    });
    try {
      const child = spawn(process.execPath, [BIN, 'sweep', '-i', lab.inventoryFile, '--no-tui', '--no-save', '--probe-timeout', '5000'], {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no probe phase:\n${out}`)), 60_000);
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          if (/TASK \[Probe the ECE port matrix\]/.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await sleep(300);
      const listening = (await Promise.all(lab.hosts.map((h) => strayListeners(h.name)))).flat();
      expect(listening.length).toBeGreaterThan(0);
      child.kill('SIGKILL');
      // nothing cleans up for it: the hosts must do it themselves
      let left = listening;
      for (let i = 0; i < 50 && left.length; i++) {
        await sleep(200);
        left = (await Promise.all(lab.hosts.map((h) => strayListeners(h.name)))).flat();
      }
      expect(left).toEqual([]);
    } finally {
      await labExec(labHost(lab, 'h1'), ['nft', 'flush', 'ruleset']);
    }
  }, 120_000);
});
