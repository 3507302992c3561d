/** The streams and environment a command runs with; tests pass fakes. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where SIGINT/SIGTERM come from; tests pass an EventEmitter. */
  signals?: NodeJS.EventEmitter;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signals: process };
}

/**
 * Colour on a terminal; never under a non-empty NO_COLOR (https://no-color.org);
 * FORCE_COLOR turns it on in a pipe too (CI logs that render ANSI), FORCE_COLOR=0 off.
 */
export function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force !== undefined) return true;
  return !!io.stdout.isTTY && io.env.TERM !== 'dumb';
}
