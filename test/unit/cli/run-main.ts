import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { main } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/io.js';

/** Drive the CLI in-process with fake streams, as tests of a CLI should. */
export async function runMain(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const io: CliIo = { stdout, stderr, env: { NO_COLOR: '1', ...env }, cwd: process.cwd(), signals: new EventEmitter() };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}
