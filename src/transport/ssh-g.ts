/**
 * Asks the local OpenSSH client how it would reach a host: `ssh -G` reads
 * ssh_config (Include, Match, tokens) and prints the final options without
 * connecting or running a ProxyCommand. The only thing this contacts is the
 * local ssh binary (and whatever `Match exec` lines in the user's own config
 * run, as plain `ssh host` would).
 */
import { spawn } from 'node:child_process';
import { parseSshG, type SshGOptions } from './ssh-g-output.js';

export type SshGRun = { ok: true; options: SshGOptions } | { ok: false; missing: true } | { ok: false; missing: false; error: string };

const TIMEOUT_MS = 10_000;

export function runSshG(args: readonly string[], sshBinary = 'ssh'): Promise<SshGRun> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (r: SshGRun): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(sshBinary, ['-G', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, missing: false, error: `ssh -G did not answer within ${TIMEOUT_MS / 1000} s (a Match exec in ssh_config?)` });
    }, TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 8192) stderr += d;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(e.code === 'ENOENT' ? { ok: false, missing: true } : { ok: false, missing: false, error: `ssh -G: ${e.message}` });
    });
    child.on('close', (code) => {
      if (code === 0) finish({ ok: true, options: parseSshG(stdout) });
      else finish({ ok: false, missing: false, error: `ssh -G: ${firstProblem(stderr) ?? `exit ${code}`}` });
    });
  });
}

/** The line that says what is wrong (not the tty notice ssh prints when stdin is not a terminal). */
function firstProblem(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^Pseudo-terminal will not be allocated/.test(l));
}

let baseline: Promise<SshGRun> | undefined;

/** What ssh -G prints with no config at all: OpenSSH's own defaults, to tell them from configured values. Once per process. */
export function sshGBaseline(): Promise<SshGRun> {
  baseline ??= runSshG(['-F', '/dev/null', '--', 'localhost']);
  return baseline;
}
