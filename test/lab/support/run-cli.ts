import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary, as a user runs it (npm test builds first). */
export const BIN = fileURLToPath(new URL('../../../dist/cli/bin.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `ece-preflight ARGS` to completion (NO_COLOR, no TTY: plain output). */
export function runCli(
  args: string[],
  opts: { timeoutMs?: number; env?: Record<string, string>; onStdout?: (chunk: string, child: import('node:child_process').ChildProcess) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ece-preflight ${args.join(' ')} did not finish in ${opts.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 120_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(c, child);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
