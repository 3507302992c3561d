import os from 'node:os';
import path from 'node:path';

/**
 * `~` and `$VAR` in a path, as Ansible's unfrackpath expands them
 * (os.path.expanduser(os.path.expandvars(p))): an unset variable is left as
 * written, like Python does.
 */
export function expandUserPath(p: string, home?: string, env: NodeJS.ProcessEnv = {}): string {
  let out = p.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? whole);
  const h = home ?? os.homedir();
  if (out === '~') out = h;
  else if (out.startsWith('~/')) out = path.join(h, out.slice(2));
  return out;
}
