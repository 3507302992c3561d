import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { main } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/io.js';

// An empty HOME: no ~/.ansible.cfg of the machine's user can leak into a test.
const emptyHome = mkdtempSync(path.join(tmpdir(), 'ecep-home-'));

/**
 * The network-safety pins vitest.config.ts sets for the suites (a sweep without
 * an inventory probes 127.0.0.1; nothing outside loopback and the lab), handed
 * to the in-process CLI too: its io.env is built here, not inherited.
 */
const SAFETY: NodeJS.ProcessEnv = Object.fromEntries(
  ['ECE_PREFLIGHT_LOCAL_ADDRESS', 'ECE_PREFLIGHT_ALLOWED_TARGETS'].flatMap((k) => (process.env[k] !== undefined ? [[k, process.env[k]]] : [])),
);

/** Drive the CLI in-process with fake streams, as tests of a CLI should. */
export async function runMain(args: string[], env: NodeJS.ProcessEnv = {}, opts: { cwd?: string } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const io: CliIo = { stdout, stderr, env: { NO_COLOR: '1', HOME: emptyHome, ...SAFETY, ...env }, cwd: opts.cwd ?? process.cwd(), signals: new EventEmitter() };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}
