import { describe, expect, it } from 'vitest';
import { RESULT_SCHEMA } from '../../../src/engine/result.js';
import { ParseError } from '../../../src/errors.js';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRunResult, renderJson, renderJsonTo } from '../../../src/report/json.js';
import { copyJsonFile, writeJsonFile } from '../../../src/report/write-json.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

describe('json report', () => {
  const { result } = buildFleetRun();
  const text = renderJson(result);

  it('is the RunResult, pretty-printed, and reads back unchanged', () => {
    expect(text).toContain(`\n  "schema": "${RESULT_SCHEMA}",\n`);
    expect(text.endsWith('}\n')).toBe(true);
    expect(readRunResult(text)).toEqual(result);
  });

  it('is written in pieces, byte for byte what JSON.stringify gives (summary first), empty lists and undefined fields alike', () => {
    const { schema, summary, ...rest } = result;
    expect(text).toBe(`${JSON.stringify({ schema, summary, ...rest }, null, 2)}\n`);
    const odd = { ...result, checks: [], hosts: [result.hosts[0]!, { ...result.hosts[1]!, facts: undefined }], notChecked: undefined };
    const { schema: s2, summary: m2, ...rest2 } = odd;
    expect(renderJson(odd)).toBe(`${JSON.stringify({ schema: s2, summary: m2, ...rest2 }, null, 2)}\n`);
    const chunks: string[] = [];
    renderJsonTo(result, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(result.checks.length); // one piece per check at least: never the whole text
    expect(chunks.join('')).toBe(text);
  });

  it('writeJsonFile streams the same text to a file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ecep-json-')), 'run.json');
    writeJsonFile(file, result);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(() => writeJsonFile(path.join(file, 'sub.json'), result)).toThrow(/ENOTDIR/);
  });

  it('copyJsonFile gives a report the saved run\'s bytes, created as writeJsonFile creates a file (not 0600)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecep-json-'));
    const saved = path.join(dir, 'saved.json');
    writeJsonFile(saved, result, 0o600);
    copyJsonFile(saved, path.join(dir, 'copy.json'));
    writeJsonFile(path.join(dir, 'rendered.json'), result);
    expect(readFileSync(path.join(dir, 'copy.json'), 'utf8')).toBe(text);
    expect(statSync(saved).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'copy.json')).mode & 0o777).toBe(statSync(path.join(dir, 'rendered.json')).mode & 0o777);
  });

  it('reads a run@1 file (probes and outbound in two lists) as one list of checks', () => {
    const v1 = JSON.parse(text) as Record<string, unknown>;
    const checks = v1.checks as { kind: string; id: string; from: string; to: string; address: string; port: number; expect: string; rules: string[]; result: unknown; verdict: string; hint?: string }[];
    v1.schema = 'ece-preflight/run@1';
    v1.probes = checks.filter((c) => c.kind === 'probe').map((c) => ({ probe: { id: c.id, from: c.from, to: c.to, address: c.address, port: c.port, expect: c.expect, rules: c.rules }, result: c.result, verdict: c.verdict, ...(c.hint ? { hint: c.hint } : {}) }));
    v1.outbound = checks.filter((c) => c.kind === 'outbound').map((c) => ({ check: { id: c.id, from: c.from, host: c.to, port: c.port, rule: c.rules[0] }, result: c.result, verdict: c.verdict, ...(c.hint ? { hint: c.hint } : {}) }));
    delete v1.checks;
    const read = readRunResult(JSON.stringify(v1), 'old.json');
    expect(read.schema).toBe(RESULT_SCHEMA);
    expect(read.checks).toEqual(result.checks);
  });

  it('reads a run@2 file (no `unresolved` outcome yet) as it is', () => {
    const v2 = JSON.parse(text) as Record<string, unknown>;
    v2.schema = 'ece-preflight/run@2';
    const read = readRunResult(JSON.stringify(v2), 'v2.json');
    expect(read.schema).toBe(RESULT_SCHEMA);
    expect(read).toEqual(result);
  });

  it('reads back an unresolved check and its count; refuses an outcome it does not know', () => {
    const o = JSON.parse(text) as { checks: { result: { outcome: string; detail?: string }; verdict: string }[]; totals: Record<string, number> };
    o.checks[0]!.result = { outcome: 'unresolved', detail: 'EAI_NONAME' } as never;
    (o.checks[0]!.result as unknown as { ms: number }).ms = 3;
    o.checks[0]!.verdict = 'error';
    o.totals.unresolved = 1;
    const read = readRunResult(JSON.stringify(o));
    expect(read.checks[0]!.result).toEqual({ outcome: 'unresolved', detail: 'EAI_NONAME', ms: 3 });
    expect(read.totals.unresolved).toBe(1);
    o.checks[0]!.result.outcome = 'nxdomain';
    expect(() => readRunResult(JSON.stringify(o), 'x.json')).toThrow(/checks\[0\]\.result\.outcome/);
  });

  const bad = (mutate: (o: Record<string, unknown>) => void): string => {
    const o = JSON.parse(text) as Record<string, unknown>;
    mutate(o);
    return JSON.stringify(o);
  };

  it.each([
    ['not JSON', '{"schema": ', /last\.json: not JSON/],
    ['an array', '[]', /expected a JSON object, got array/],
    ['no schema', bad((o) => delete o.schema), /not an ece-preflight run result: "schema" is undefined, expected "ece-preflight\/run@3"/],
    ['another tool', bad((o) => (o.schema = 'other/run@1')), /not an ece-preflight run result/],
    ['a newer major', bad((o) => (o.schema = 'ece-preflight/run@4')), /unsupported schema version "ece-preflight\/run@4".*upgrade/],
    ['a missing field', bad((o) => delete o.checks), /field "checks" must be array, got undefined/],
    ['a mistyped field', bad((o) => (o.durationMs = '12')), /field "durationMs" must be number, got string/],
    // markup where the reports print a number: refused before any page is written
    ['markup as a count', bad((o) => ((o.totals as Record<string, unknown>).ok = '<script>alert(1)</script>')), /not a valid run result: totals\.ok: /],
    ['markup as a port', bad((o) => (((o.checks as Record<string, unknown>[])[0]!).port = '<img onerror=x>')), /not a valid run result: checks\[0\]\.port: /],
    ['a mistyped optional field', bad((o) => (o.notChecked = {})), /field "notChecked" must be array, got object/],
  ])('refuses %s with a clear ParseError', (_what, input, message) => {
    expect(() => readRunResult(input, 'last.json')).toThrow(ParseError);
    expect(() => readRunResult(input, 'last.json')).toThrow(message);
  });
});
