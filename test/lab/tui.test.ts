import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labExec, labHost, labUp, type LabInfo } from '../../src/lab/lab.js';
import { BIN } from './support/run-cli.js';

// The real binary in a real terminal (tmux), read back as a person sees it.
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(path.join(tmpdir(), 'ecep-tui-'));
const prefix = 'ecetu';
const session = `ecep-tui-${process.pid}`;
let lab: LabInfo;

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForScreen(test: (s: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (test(last)) return last;
    await sleep(100);
  }
  throw new Error(`screen never matched; last screen:\n${last}`);
}

function startInTmux(args: string[]) {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    /* none yet */
  }
  // env -u CI: ink draws only the last frame and ignores keys when CI is set
  // (as it is in our CI); a person's terminal has no CI variable.
  // (SSH_AUTH_SOCK and ECE_PREFLIGHT_KEY_PASSPHRASE too: the prompt test needs neither.)
  const cmd = ['env', '-u', 'CI', '-u', 'SSH_AUTH_SOCK', '-u', 'ECE_PREFLIGHT_KEY_PASSPHRASE', process.execPath, BIN, ...args]
    .map((a) => `'${a}'`)
    .join(' ');
  tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '50', `${cmd}; echo EXIT=$?; sleep 600`);
}

const inputChain = (...rules: string[]) => `table inet t {\n chain input {\n  type filter hook input priority 0;\n  ${rules.join('\n  ')}\n }\n}\n`;

describe.skipIf(!hasTmux)('the live terminal UI, in tmux, against the lab', () => {
  beforeAll(async () => {
    lab = await labUp({
      hosts: 8,
      dir,
      prefix,
      roles: ['director,coordinator', 'director,coordinator', 'director,coordinator', 'proxy', 'proxy', 'allocator', 'allocator', 'allocator'],
    });
    // two faults: ZooKeeper discovery dropped on h2, the proxy port for allocators rejected on h4
    for (const [h, rules] of [
      ['h2', inputChain('tcp dport 2112 drop')],
      ['h4', inputChain('tcp dport 9200 reject with tcp reset')],
    ] as const) {
      const r = await labExec(labHost(lab, h), ['nft', '-f', '-'], { stdin: rules });
      if (r.code !== 0) throw new Error(r.stderr);
    }
  });

  afterAll(async () => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      /* gone */
    }
    await labDown(dir, { prefix });
    rmSync(dir, { recursive: true, force: true });
  });

  it('fills the matrix live, then shows the recap and the broken paths', async () => {
    const json = path.join(dir, 'run.json');
    startInTmux(['sweep', '-i', lab.inventoryFile, '--probe-timeout', '1500', '--json', json]);
    // live: the header names the phase while probes are in flight, the matrix is on screen
    const live = await waitForScreen((s) => /\bprobe\b|Probe the ECE port matrix/.test(s) && /from \\ to/.test(s), 30_000);
    expect(live).toMatch(/ece-preflight\s+.*inventory\.yml\s+8 hosts/);
    expect(live).toMatch(/director\s+coordinator\s+proxy\s+allocator/);
    const done = await waitForScreen((s) => /EXIT=\d+/.test(s), 60_000);
    expect(done).toMatch(/EXIT=2/);
    expect(done).toMatch(/PLAY RECAP/);
    expect(done).toMatch(/h2\s+: ok=\d+ .*blocked=[1-9]/);
    expect(done).toMatch(/h4\s+: ok=\d+ .*blocked=[1-9]/);
    expect(done).toMatch(/\d+ failed, \d+ exposed, \d+ not checked, \d+ ok/);
    expect(done).toMatch(/FAILED: \d+ paths failing/);
    // the failures panel names the broken paths with their outcome
    expect(done).toMatch(/h2:2112/);
    expect(done).toMatch(/filtered/);
    expect(done).toMatch(/h4:9200/);
    expect(done).toMatch(/refused/);
    // matrix cells: directors cannot all reach directors; allocators cannot all reach proxies
    const matrixRow = (from: string) => done.split('\n').find((l) => new RegExp(`^\\s*${from}\\s{2,}`).test(l)) ?? '';
    expect(matrixRow('director')).toMatch(/blocked|\d+\/\d+/);
    expect(existsSync(json)).toBe(true);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.exitCode).toBe(2);
  });

  it('stops cleanly on q: remote listeners removed, exit 99', async () => {
    // a long DROP keeps the probe phase busy long enough to press q
    const r = await labExec(labHost(lab, 'h1'), ['nft', '-f', '-'], { stdin: inputChain('tcp dport 18000-23999 drop') });
    expect(r.code).toBe(0);
    startInTmux(['sweep', '-i', lab.inventoryFile, '--probe-timeout', '4000']);
    await waitForScreen((s) => /\bprobe\b/.test(s) && /q or Ctrl-C/.test(s), 30_000);
    tmux('send-keys', '-t', session, 'q');
    const done = await waitForScreen((s) => /EXIT=\d+/.test(s), 30_000);
    expect(done).toMatch(/EXIT=99/);
    expect(done).toMatch(/interrupted/);
    for (const h of lab.hosts) {
      const ss = await labExec(labHost(lab, h.name), ['ss', '-ltnH']);
      expect(ss.stdout.split('\n').filter((l) => l.trim() && !/:(22|443)\s/.test(l)), h.name).toEqual([]);
    }
  });

  it('asks once for the passphrase of an encrypted key, without echo, and connects; the passphrase is in no output, report, state file or process argv', async () => {
    const r = await labExec(labHost(lab, 'h1'), ['nft', 'flush', 'ruleset']);
    expect(r.code).toBe(0);
    const locked = path.join(dir, 'id_locked');
    copyFileSync(lab.keyFile, locked);
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'open sesame', '-f', locked]);
    const inv = path.join(dir, 'locked.yml');
    writeFileSync(inv, readFileSync(lab.inventoryFile, 'utf8').replace(/ansible_ssh_private_key_file: .*/, `ansible_ssh_private_key_file: ${locked}`));
    const state = path.join(dir, 'locked-state');
    const json = path.join(dir, 'locked.json');
    const report = path.join(dir, 'locked.md');
    startInTmux(['sweep', '-i', inv, '--limit', 'h3:h5', '--no-tui', '--skip', 'outbound', '--state-dir', state, '--json', json, '--report', report]);
    await waitForScreen((s) => /Enter passphrase for key .*id_locked:/.test(s), 15_000);
    // Every process of this machine (the lab hosts' too: they share its PID table) while the run goes on.
    const argvSeen = new Set<string>();
    const scan = setInterval(() => {
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          if (cmd.includes('sesame')) argvSeen.add(cmd.replace(/\0/g, ' '));
        } catch {
          // gone already
        }
      }
    }, 25);
    let done: string;
    try {
      tmux('send-keys', '-t', session, 'open sesame', 'Enter');
      done = await waitForScreen((s) => /EXIT=\d+/.test(s), 30_000);
    } finally {
      clearInterval(scan);
    }
    expect(done).not.toContain('open sesame');
    expect([...argvSeen]).toEqual([]);
    const written = [json, report, ...readdirSync(path.join(state, 'runs')).map((f) => path.join(state, 'runs', f))];
    expect(written.length).toBeGreaterThanOrEqual(3);
    for (const f of written) expect(readFileSync(f, 'utf8'), f).not.toContain('sesame');
    expect(done).toMatch(/h3\s+: ok=\d+ .*failed=0 .*blocked=0/);
    expect(done).toMatch(/EXIT=0/);
  });
});
