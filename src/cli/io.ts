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

/** Color only on a terminal, and never under NO_COLOR (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  return !!io.stdout.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}
