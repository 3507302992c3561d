import { closeSync, openSync, readSync, writeSync } from 'node:fs';
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

/**
 * Copy a JSON file this run already wrote for the same result (its saved run)
 * to `file`: the same bytes as writeJsonFile would render, for the cost of a
 * copy (rendering is ~100 ms at 50 hosts). Created as writeJsonFile creates
 * it (0666 less the umask), not with the saved run's 0600.
 */
export function copyJsonFile(from: string, file: string): void {
  const src = openSync(from, 'r');
  try {
    const fd = openSync(file, 'w', 0o666);
    try {
      const buf = Buffer.allocUnsafe(CHUNK * 4);
      for (let n = readSync(src, buf); n > 0; n = readSync(src, buf)) {
        for (let off = 0; off < n; ) off += writeSync(fd, buf, off, n - off);
      }
    } finally {
      closeSync(fd);
    }
  } finally {
    closeSync(src);
  }
}
