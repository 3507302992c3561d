import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeStoragePath, storagePathCommand } from '../../../src/tasks/storage-path.js';

const run = (p: string) => {
  try {
    return { out: execFileSync('sh', ['-c', storagePathCommand(p)], { encoding: 'utf8' }), code: 0 };
  } catch (e) {
    return { out: '', code: (e as { status: number }).status };
  }
};

describe('storage path precondition', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecep-storage-'));

  it('reads the folder for real and judges it: writable, missing, not a folder', () => {
    const ok = run(dir);
    expect(judgeStoragePath('h1', dir, ok.out, ok.code)).toMatchObject({ status: 'pass', id: 'storage-path' });
    const gone = path.join(dir, 'nope');
    expect(judgeStoragePath('h1', gone, run(gone).out, 0).status).toBe('fail');
    const file = path.join(dir, 'file');
    writeFileSync(file, '');
    expect(judgeStoragePath('h1', file, run(file).out, 0).message).toMatch(/not a folder/);
  });

  it('an inventory path reaches the shell only as base64: quotes and $() stay a path', () => {
    const evil = path.join(dir, "a'b $(touch x) `y`");
    mkdirSync(evil);
    expect(storagePathCommand(evil)).not.toContain('$(touch');
    expect(run(evil).out.trim()).toBe('writable');
    expect(() => storagePathCommand('relative/path')).toThrow(/absolute path/);
  });

  it('a folder the user cannot write fails (as non-root; root writes everywhere)', () => {
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const r = run(ro);
    const expected = process.getuid?.() === 0 ? 'pass' : 'fail';
    expect(judgeStoragePath('h1', ro, r.out, r.code).status).toBe(expected);
    expect(judgeStoragePath('h1', ro, 'readonly\n', 0).message).toMatch(/not writable/);
    expect(judgeStoragePath('h1', ro, '', 3).status).toBe('not-checked');
  });
});
