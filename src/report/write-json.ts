import { closeSync, openSync, writeSync } from 'node:fs';
import type { RunResult } from '../engine/result.js';
import { renderJsonTo } from './json.js';

/** Bytes gathered before each write: few syscalls, and never the whole file in memory. */
const CHUNK = 256 * 1024;

/**
 * Write the run's JSON to `file` as it is rendered, 256 KB at a time: a
 * 50-host run is ~11 MB of text, which as one string plus its Buffer copy
 * was the controller's memory peak at exit. Throws as writeFileSync does.
 */
export function writeJsonFile(file: string, result: RunResult, mode = 0o666): void {
  const fd = openSync(file, 'w', mode);
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      if (size === 0) return;
      writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    };
    renderJsonTo(result, (chunk) => {
      pending.push(chunk);
      size += chunk.length;
      if (size >= CHUNK) flush();
    });
    flush();
  } finally {
    closeSync(fd);
  }
}
