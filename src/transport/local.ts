import { spawn } from 'node:child_process';
import type { Connection, ExecOptions, ExecResult, RunningCommand, StartOptions } from './connection.js';
import { BoundedText } from './bounded-text.js';
import { LineSplitter } from './line-splitter.js';

/**
 * ansible_connection: local. Runs commands on this machine through `sh -c`,
 * with the same contract as the SSH transport so tasks cannot tell them apart.
 */
export class LocalConnection implements Connection {
  constructor(readonly host: string) {}

  async connect(): Promise<void> {}

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const running = this.start(command, { stdin: opts.stdin });
    running.stop();
    if (!opts.timeoutMs) return running.done;
    return withTimeout(running, opts.timeoutMs);
  }

  start(command: string, opts: StartOptions = {}): RunningCommand {
    // detached: the command gets its own process group, so stop() can end the
    // whole tree (sh and what it started) by PID, never by name.
    const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const lines = new LineSplitter();
    const stdout = new BoundedText();
    const stderr = new BoundedText();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout.push(chunk);
      lines.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.stdin.on('error', () => {}); // the command may exit before reading its stdin
    if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
    const done = new Promise<ExecResult>((resolve) => {
      child.on('error', (err) => resolve({ code: 127, stdout: stdout.text(), stderr: stderr.text() + String(err) }));
      child.on('close', (code, signal) => {
        lines.end();
        resolve({ code, signal: signal ?? undefined, stdout: stdout.text(), stderr: stderr.text() });
      });
    });
    return {
      onLine: (handler) => lines.onLine(handler),
      done,
      write: (text: string) => {
        if (!child.stdin.writableEnded) child.stdin.write(text);
      },
      stop: () => child.stdin.end(),
      kill: () => {
        if (child.pid && child.exitCode === null) {
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            /* already gone */
          }
        }
      },
    };
  }

  async close(): Promise<void> {}
}

function withTimeout(running: RunningCommand, ms: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      running.kill?.();
      resolve({ code: null, signal: 'TIMEOUT', stdout: '', stderr: `timed out after ${ms} ms` });
    }, ms);
    running.done.then((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}
