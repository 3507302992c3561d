import type { HostCheckRecord } from '../engine/host-check.js';

/** Where ECE keeps its data unless the inventory says otherwise (`ece_storage_path`), as the installer defaults. */
export const DEFAULT_STORAGE_PATH = '/mnt/data/elastic';

/**
 * The installer's storage-path precondition as a command plus a pure
 * judgement. The path comes from the inventory, so it reaches the shell only
 * as base64 (digits, letters, `+/=`) decoded on the host.
 */
export function storagePathCommand(path: string): string {
  if (!path.startsWith('/') || path.includes('\0')) throw new Error(`ece_storage_path must be an absolute path, got ${JSON.stringify(path)}`);
  const b64 = Buffer.from(path, 'utf8').toString('base64');
  return [
    `P=$(printf %s '${b64}' | base64 -d) || exit 3`,
    'if [ -d "$P" ]; then if [ -w "$P" ]; then echo writable; else echo readonly; fi',
    'elif [ -e "$P" ]; then echo notdir',
    'else echo missing; fi',
  ].join('\n');
}

export function judgeStoragePath(host: string, path: string, output: string, code: number | null): HostCheckRecord {
  const rec = (status: HostCheckRecord['status'], message: string): HostCheckRecord => ({ kind: 'precondition', id: 'storage-path', host, status, message });
  switch (code === 0 ? output.trim() : '') {
    case 'writable':
      return rec('pass', `storage path ${path} is present and writable`);
    case 'readonly':
      return rec('fail', `storage path ${path} is not writable by the login user: the installer writes there (chown it to the install user)`);
    case 'notdir':
      return rec('fail', `storage path ${path} exists but is not a folder`);
    case 'missing':
      return rec('fail', `storage path ${path} does not exist: create it (the installer's --host-storage-path, default ${DEFAULT_STORAGE_PATH})`);
    default:
      return rec('not-checked', `storage path ${path} could not be checked (exit ${code ?? 'none'})`);
  }
}
