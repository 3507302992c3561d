import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { labDown, labUp, type LabInfo, type LabUpOptions } from '../../../src/lab/lab.js';

export interface UsedLab {
  /** The lab, once beforeAll has brought it up. */
  readonly lab: LabInfo;
  /** The test file's own temporary folder (the lab's, and for its files). */
  readonly dir: string;
}

/**
 * One lab for a test file: a temporary folder, `lab up` before the tests
 * (then `ready`, for per-file set-up), `lab down` and the folder removed
 * after. Each file names its own prefix, so its namespaces are its own.
 */
export function useLab(opts: Omit<LabUpOptions, 'dir'> & { prefix: string }, ready?: (lab: LabInfo, dir: string) => Promise<void> | void, timeoutMs = 120_000): UsedLab {
  const dir = mkdtempSync(path.join(tmpdir(), `${opts.prefix}-`));
  let lab: LabInfo | undefined;
  beforeAll(async () => {
    lab = await labUp({ ...opts, dir });
    await ready?.(lab, dir);
  }, timeoutMs);
  afterAll(async () => {
    await labDown(dir, { prefix: opts.prefix });
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get lab() {
      if (!lab) throw new Error('the lab is not up (useLab: beforeAll has not run)');
      return lab;
    },
    dir,
  };
}
