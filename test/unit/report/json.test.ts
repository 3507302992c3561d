import { describe, expect, it } from 'vitest';
import { RESULT_SCHEMA } from '../../../src/engine/result.js';
import { ParseError } from '../../../src/errors.js';
import { readRunResult, renderJson } from '../../../src/report/json.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

describe('json report', () => {
  const { result } = buildFleetRun();
  const text = renderJson(result);

  it('is the RunResult, pretty-printed, and reads back unchanged', () => {
    expect(text).toContain(`\n  "schema": "${RESULT_SCHEMA}",\n`);
    expect(text.endsWith('}\n')).toBe(true);
    expect(readRunResult(text)).toEqual(result);
  });

  const bad = (mutate: (o: Record<string, unknown>) => void): string => {
    const o = JSON.parse(text) as Record<string, unknown>;
    mutate(o);
    return JSON.stringify(o);
  };

  it.each([
    ['not JSON', '{"schema": ', /last\.json: not JSON/],
    ['an array', '[]', /expected a JSON object, got array/],
    ['no schema', bad((o) => delete o.schema), /not an ece-preflight run result: "schema" is undefined, expected "ece-preflight\/run@1"/],
    ['another tool', bad((o) => (o.schema = 'other/run@1')), /not an ece-preflight run result/],
    ['a newer major', bad((o) => (o.schema = 'ece-preflight/run@2')), /unsupported schema version "ece-preflight\/run@2".*upgrade/],
    ['a missing field', bad((o) => delete o.probes), /field "probes" must be array, got undefined/],
    ['a mistyped field', bad((o) => (o.durationMs = '12')), /field "durationMs" must be number, got string/],
  ])('refuses %s with a clear ParseError', (_what, input, message) => {
    expect(() => readRunResult(input, 'last.json')).toThrow(ParseError);
    expect(() => readRunResult(input, 'last.json')).toThrow(message);
  });
});
