import { spawn } from 'node:child_process';

/** What a local command printed and how it ended. */
export interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  /** Throw when the exit code is not 0 (default true). */
  check?: boolean;
  timeoutMs?: number;
}

/**
 * Run one local command (argv form, never through a shell) and collect its
 * output. Used by the lab for ip, nft, ssh-keygen; nothing here reaches a network.
 */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('run: empty command');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const res: RunResult = {
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (opts.check !== false && code !== 0) {
        const why = res.stderr.trim().split('\n').slice(-3).join(' / ') || `exit ${code ?? signal}`;
        reject(new Error(`${argv.join(' ')}: ${why}`));
      } else resolve(res);
    });
    child.stdin.on('error', () => {
      /* the command may exit before reading stdin */
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Run tasks with at most `limit` in flight; results keep the input order. */
export async function inChunks<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Start a long-lived lab process detached (its own session, outliving the
 * test worker that started it) with no stdio. `exited()` says how it ended
 * once it has, so a readiness loop can stop waiting for a process that died.
 */
export function startDetached(argv: readonly string[], owner: string, what: string): { pid: number; exited: () => string | undefined } {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('startDetached: empty command');
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  child.once('error', (e) => {
    exited = e.message;
  });
  child.unref();
  if (!child.pid) throw new Error(`${owner}: could not start ${what}`);
  return { pid: child.pid, exited: () => exited };
}
