import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import ssh2 from 'ssh2';
import type { Fleet } from '../model/fleet.js';
import { SshConnection, type SshOptions } from '../transport/ssh.js';
import type { CliIo } from './io.js';
import { InterruptedError } from '../errors.js';

/** A key file ssh2 can read only with a passphrase. */
export function isEncryptedKey(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const parsed = ssh2.utils.parseKey(readFileSync(file));
    return parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message);
  } catch {
    return false;
  }
}

/** The encrypted key files the fleet's SSH hosts would use (inventory, -o, ~/.ssh/config, defaults). */
export function encryptedKeysOf(fleet: Fleet, opts: SshOptions): string[] {
  const files = new Set<string>();
  for (const h of fleet.hosts) {
    if (h.connection !== 'ssh') continue;
    let ids: string[];
    try {
      ids = new SshConnection(h, opts).resolve().identityFiles;
    } catch {
      continue; // the host fails with this when it connects
    }
    for (const f of ids) files.add(f);
  }
  return [...files].filter(isEncryptedKey);
}

/**
 * Ask once, before any connection, for the passphrase of the fleet's
 * encrypted key, as ssh does, but only on a terminal and only when neither
 * ECE_PREFLIGHT_KEY_PASSPHRASE nor ssh-agent can serve. Elsewhere the hosts
 * fail authentication with a message that names the variable.
 */
export async function askKeyPassphrase(fleet: Fleet, opts: SshOptions, io: CliIo): Promise<string | undefined> {
  if (io.env['ECE_PREFLIGHT_KEY_PASSPHRASE'] !== undefined || io.env['SSH_AUTH_SOCK']) return undefined;
  if (!io.stdin?.isTTY) return undefined;
  const keys = encryptedKeysOf(fleet, opts);
  if (keys.length === 0) return undefined;
  return promptHidden(io, `Enter passphrase for key ${keys.join(', ')}: `);
}

/** Ask on the terminal without echoing the answer (passphrases, the sudo password of -K). */
export async function promptHidden(io: CliIo, question: string): Promise<string> {
  if (!io.stdin) throw new Error('no terminal to ask on');
  let muted = false;
  const output = new Writable({
    write: (chunk, _enc, done) => {
      if (!muted) io.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      // Ctrl-C at the prompt stops the tool (exit 99), as at any other moment; nothing has run yet.
      rl.once('SIGINT', () => {
        io.stderr.write('\n');
        reject(new InterruptedError('interrupted at the prompt: nothing was run'));
      });
      rl.question(question, (answer) => {
        io.stderr.write('\n');
        resolve(answer);
      });
      muted = true; // the prompt is out; do not echo what is typed
    });
  } finally {
    rl.close();
  }
}
