import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../engine/result.js';
import { UsageError } from '../errors.js';
import { renderJson } from '../report/json.js';
import { renderJunit, type JunitPer } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderHtml } from '../report/html.js';
import { copyJsonFile, writeJsonFile } from '../report/write-json.js';
import type { CliIo } from './io.js';

export type ReportFormat = 'json' | 'junit' | 'md' | 'html';

/** How reports are cut: `--junit-per path|rule`. */
export interface ReportOptions {
  junitPer?: JunitPer;
  /** The previous saved run (the run history's last before this one): md and html then say what changed since. */
  previous?: RunResult;
  /** A file that already holds this result's JSON (the run just saved): a JSON report is a copy of it. */
  jsonFrom?: string;
}

/** Render one format; every renderer reads only the RunResult (md and html also the previous run, when given). */
export function renderReport(result: RunResult, format: ReportFormat, opts: ReportOptions = {}): string {
  const renderers: Record<ReportFormat, (r: RunResult) => string> = {
    json: renderJson,
    junit: (r) => renderJunit(r, { per: opts.junitPer }),
    md: (r) => renderMarkdown(r, opts.previous),
    html: (r) => renderHtml(r, opts.previous),
  };
  return renderers[format](result);
}

/** `--report FILE.md|FILE.html` picks the format by extension. */
export function formatOfFile(file: string): ReportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'md';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.xml') return 'junit';
  if (ext === '.json') return 'json';
  throw new UsageError(`--report ${file}: name the file .md or .html (or use --json / --junit)`);
}

/**
 * Write every report asked for. A report that cannot be written (a folder
 * that is a file, no permission, a full disk) is one line on stderr and the
 * others are still written; returns how many failed, so the caller keeps the
 * run's exit code and can still tell CI (it never ends in a stack trace).
 */
export function writeReports(result: RunResult, files: { json?: string; junit?: string; report?: string[] }, io: CliIo, opts: ReportOptions = {}): number {
  const targets: [string, ReportFormat][] = [];
  if (files.json) targets.push([files.json, 'json']);
  if (files.junit) targets.push([files.junit, 'junit']);
  for (const f of files.report ?? []) targets.push([f, formatOfFile(f)]);
  let failed = 0;
  for (const [file, format] of targets) {
    const full = path.resolve(io.cwd, file);
    try {
      mkdirSync(path.dirname(full), { recursive: true });
      // The JSON is streamed to the file: a fleet's is tens of MB, never held whole.
      // (never onto itself: opening the target would empty the source)
      if (format === 'json') opts.jsonFrom && path.resolve(opts.jsonFrom) !== full ? copyJsonFile(opts.jsonFrom, full) : writeJsonFile(full, result);
      else writeFileSync(full, renderReport(result, format, opts));
      io.stderr.write(`wrote ${format} report: ${file}\n`);
    } catch (e) {
      failed++;
      const err = e as NodeJS.ErrnoException;
      io.stderr.write(`ERROR: cannot write the ${format} report ${file}: ${err.message.split('\n')[0]}\n`);
    }
  }
  return failed;
}
