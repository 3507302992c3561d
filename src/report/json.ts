import { RESULT_SCHEMA, type RunResult } from '../engine/result.js';
import { ParseError } from '../errors.js';
import { firstIssue, RUN_SCHEMA } from './run-schema.js';
import { outboundRecord, probeRecord } from '../engine/check-record.js';
import type { OutboundCheck, Probe } from '../plan/types.js';
import type { ProbeResult, Verdict } from '../tasks/probe-outcome.js';
import { summaryOf } from './summary.js';

/**
 * The RunResult as pretty JSON: the machine-readable record of a run, and
 * what a re-run after role changes reads back (docs/REPORT-SCHEMA.md).
 */
export function renderJson(result: RunResult): string {
  const parts: string[] = [];
  renderJsonTo(result, (s) => parts.push(s));
  return parts.join('');
}

/** Top-level lists that can hold tens of thousands of entries: written entry by entry. */
const LONG_LISTS = new Set(['checks', 'notChecked', 'hostChecks', 'hosts']);

/**
 * The same text as `JSON.stringify(result, null, 2)` (with the summary
 * first), handed out in pieces: a long list goes out one entry at a time, so
 * a file can be written without holding a 50-host run's ~11 MB of JSON (and
 * its Buffer copy) in memory at once.
 */
export function renderJsonTo(result: RunResult, write: (chunk: string) => void): void {
  // The summary comes first: a person opening the file reads the verdict before 10,000 probes.
  const { schema, summary, ...rest } = result;
  const obj: Record<string, unknown> = { schema, summary, ...rest };
  // As JSON.stringify: a key whose value is undefined or a function is left out.
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function');
  write('{');
  keys.forEach((k, i) => {
    write(`${i ? ',' : ''}\n  ${JSON.stringify(k)}: `);
    const v = obj[k];
    if (Array.isArray(v) && v.length > 0 && LONG_LISTS.has(k)) {
      write('[');
      v.forEach((item, j) => write(`${j ? ',' : ''}\n    ${nest(JSON.stringify(item ?? null, null, 2) ?? 'null', '    ')}`));
      write('\n  ]');
    } else write(nest(JSON.stringify(v, null, 2), '  '));
  });
  write(keys.length ? '\n}\n' : '}\n');
}

/** A JSON text placed one level deeper (its strings hold no raw newline: JSON escapes them). */
const nest = (json: string, pad: string): string => json.replace(/\n/g, `\n${pad}`);

const SCHEMA_PREFIX = 'ece-preflight/run@';
const CURRENT_MAJOR = Number(RESULT_SCHEMA.slice(SCHEMA_PREFIX.length));

/** Top-level fields and their JSON types; enough to refuse a file that is not ours before using it. */
const FIELDS: Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'> = {
  tool: 'object',
  catalogVersion: 'string',
  inventory: 'string',
  startedAt: 'string',
  endedAt: 'string',
  durationMs: 'number',
  interrupted: 'boolean',
  exitCode: 'number',
  hosts: 'array',
  checks: 'array',
  warnings: 'array',
  recap: 'object',
  totals: 'object',
};

/**
 * run@1 -> run@2: `probes` ({probe, result, verdict, hint}) and `outbound`
 * ({check, ...}) become one `checks` list of CheckRecords.
 */
function upgradeFromV1(obj: Record<string, unknown>, source: string): void {
  for (const field of ['probes', 'outbound']) {
    if (typeOf(obj[field]) !== 'array') throw new ParseError(`field "${field}" must be array, got ${typeOf(obj[field])}`, source);
  }
  const probes = (obj.probes as V1Probe[]).map((p) => probeRecord(p.probe, p.result, p.verdict, p.hint));
  const outbound = (obj.outbound as V1Outbound[]).map((o) => outboundRecord(o.check, o.result, o.verdict, o.hint));
  obj.checks = [...probes, ...outbound];
  delete obj.probes;
  delete obj.outbound;
  obj.schema = RESULT_SCHEMA;
}

interface V1Probe {
  probe: Probe;
  result: ProbeResult;
  verdict: Verdict;
  hint?: string;
}

interface V1Outbound {
  check: OutboundCheck;
  result: ProbeResult;
  verdict: Verdict;
  hint?: string;
}

const typeOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/**
 * Parse a JSON report written by renderJson. Throws ParseError naming the
 * problem: not JSON, not an ece-preflight result, a schema version this
 * build cannot read (a newer major), or a missing/mistyped field.
 */
export function readRunResult(text: string, source = 'run result'): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ParseError(`not JSON: ${(err as Error).message}`, source);
  }
  if (typeOf(data) !== 'object') throw new ParseError(`expected a JSON object, got ${typeOf(data)}`, source);
  const obj = data as Record<string, unknown>;
  const schema = obj.schema;
  if (typeof schema !== 'string' || !schema.startsWith(SCHEMA_PREFIX)) {
    throw new ParseError(
      `not an ece-preflight run result: "schema" is ${JSON.stringify(schema)}, expected "${RESULT_SCHEMA}"`,
      source,
    );
  }
  const major = Number(schema.slice(SCHEMA_PREFIX.length));
  // run@1 kept probes and outbound checks in two arrays: read it as one.
  if (major === 1) upgradeFromV1(obj, source);
  // run@2 lacks only the outcome `unresolved`: every run@2 file is a run@3 file.
  else if (major === 2) obj.schema = RESULT_SCHEMA;
  else if (!Number.isInteger(major) || major !== CURRENT_MAJOR) {
    throw new ParseError(
      `unsupported schema version "${schema}": this ece-preflight reads "${RESULT_SCHEMA}"` +
        (major > CURRENT_MAJOR ? ' (written by a newer ece-preflight; upgrade to read it)' : ''),
      source,
    );
  }
  for (const [field, type] of Object.entries(FIELDS)) {
    if (typeOf(obj[field]) !== type) {
      throw new ParseError(`field "${field}" must be ${type}, got ${typeOf(obj[field])}`, source);
    }
  }
  // Optional fields: absent in older files, but never of another type.
  if (obj.notChecked !== undefined && typeOf(obj.notChecked) !== 'array') {
    throw new ParseError(`field "notChecked" must be array, got ${typeOf(obj.notChecked)}`, source);
  }
  // Every field the reports read, with its type: nothing crafted reaches a page.
  const checked = RUN_SCHEMA.safeParse(obj);
  if (!checked.success) throw new ParseError(`not a valid run result: ${firstIssue(checked.error)}`, source);
  // Files from before the summary existed: derive it, never assume complete.
  if (typeOf(obj.summary) !== 'object') obj.summary = summaryOf(obj as unknown as RunResult);
  return obj as unknown as RunResult;
}
