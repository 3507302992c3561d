import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../engine/result.js';
import { ParseError, UsageError } from '../errors.js';
import { readRunResult } from '../report/json.js';
import { writeJsonFile } from '../report/write-json.js';

/**
 * Run history: every sweep and play keeps its full RunResult in a state
 * folder (default `.ece-preflight/` beside the inventory), under `runs/`,
 * with a `last` pointer. Re-runs after a role change read it back (`diff`,
 * `sweep --changed`).
 *
 * Writes are atomic (a temp file, then rename), so a run cut short never
 * leaves half a file; files are never overwritten (each run has its own
 * name). A file that is corrupt, foreign or from a newer ece-preflight is
 * reported in one line and never trusted.
 */

export const RUNS = 'runs';
export const LAST = 'last';

/** Where runs are kept: --state-dir, else `.ece-preflight/` beside the (first) inventory, else in the working folder. */
export function defaultStateDir(cwd: string, inventorySource: string | undefined): string {
  if (inventorySource && !inventorySource.startsWith('<') && existsSync(path.resolve(cwd, inventorySource))) {
    const full = path.resolve(cwd, inventorySource);
    const base = existsSync(full) && readdirSafe(full) ? full : path.dirname(full);
    return path.join(base, '.ece-preflight');
  }
  return path.join(cwd, '.ece-preflight');
}

function readdirSafe(p: string): boolean {
  try {
    readdirSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * `runs/20261127T181502.104Z-ab12.json`: sortable by time, unique within a
 * folder. The milliseconds matter: two runs in one second (a script, a
 * test) sorted by their random salt, so `last~1` could name the last run.
 */
export function runFileName(result: Pick<RunResult, 'startedAt'>, salt = Math.random().toString(16).slice(2, 6)): string {
  const stamp = result.startedAt.replace(/[-:]/g, '').replace(/\.(\d{3})\d*Z$/, '.$1Z');
  return `${stamp}-${salt}.json`;
}

/** Write through a temp file and a rename: a reader sees the old file or the whole new one, never half; a failed write leaves nothing. */
function atomicWrite(file: string, write: (tmp: string) => void): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    write(tmp);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Save a run (its JSON streamed to the file, never whole in memory); returns the file written. The `last` pointer moves only after the file is complete. */
export function saveRun(stateDir: string, result: RunResult): string {
  const runs = path.join(stateDir, RUNS);
  mkdirSync(runs, { recursive: true });
  const name = runFileName(result);
  const file = path.join(runs, name);
  atomicWrite(file, (tmp) => writeJsonFile(tmp, result, 0o600));
  atomicWrite(path.join(stateDir, LAST), (tmp) => writeFileSync(tmp, `${RUNS}/${name}\n`, { mode: 0o600 }));
  return file;
}

/** Run files, oldest first (names sort by time). */
export function listRuns(stateDir: string): string[] {
  const runs = path.join(stateDir, RUNS);
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(runs, f));
}

/** A run by file, or by its position from the end (`last`, `last~1`, ...). Throws ParseError / UsageError in one line. */
export function loadRun(stateDir: string, ref: string, cwd: string): { file: string; result: RunResult } {
  const file = resolveRef(stateDir, ref, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${ref}: cannot read ${file}: ${(e as Error).message}`);
  }
  return { file, result: readRunResult(text, path.relative(cwd, file) || file) };
}

/** `last`, `last~N`: a run named by its place in the history, not a file. */
const RUN_REF = /^last(?:~(\d+))?$/;

export function isRunRef(ref: string): boolean {
  return RUN_REF.test(ref);
}

function resolveRef(stateDir: string, ref: string, cwd: string): string {
  const m = RUN_REF.exec(ref);
  if (!m) return path.resolve(cwd, ref);
  const back = Number(m[1] ?? 0);
  if (back === 0) {
    const pointer = path.join(stateDir, LAST);
    if (!existsSync(pointer)) throw new UsageError(`no saved run in ${stateDir} (run a sweep first, or give --state-dir)`);
    const rel = readFileSync(pointer, 'utf8').trim();
    // The pointer is ours: a name under runs/, nothing else.
    if (!/^runs\/[\w.-]+\.json$/.test(rel)) throw new ParseError(`not an ece-preflight pointer: ${JSON.stringify(rel.slice(0, 60))}`, pointer);
    return path.join(stateDir, rel);
  }
  const runs = listRuns(stateDir);
  const file = runs[runs.length - 1 - back];
  if (!file) throw new UsageError(`${ref}: ${stateDir} holds ${runs.length} run${runs.length === 1 ? '' : 's'}`);
  return file;
}
