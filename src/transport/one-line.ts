/**
 * Error text flattened to one line. Every SSH file builds messages from ssh2
 * and fs errors, and a HostUnreachableError is printed as one line; it lives
 * here, not in ssh.ts, so the files ssh.ts imports need not import it back.
 */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
