// What the bench scripts share: the checkout's root, and `--name value` flags.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const argv = process.argv.slice(2);

/** The value after `name` on the command line, else `dflt`. */
export function opt(name, dflt) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
}
