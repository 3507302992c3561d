import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ExprEvalError, ExprSyntaxError } from '../../../src/playbook/expr.js';
import { splitFreeForm } from '../../../src/playbook/free-form.js';
import { templatable } from '../../../src/playbook/module-schema.js';
import { parseTemplate, renderTemplate } from '../../../src/playbook/template.js';

const VARS = { port: 2112, host: 'h1', ports: [22, 443], on: true, nothing: null, d: { a: 'x' }, quote: "it's" };

describe('renderTemplate', () => {
  it.each<[unknown, unknown]>([
    ['plain text', 'plain text'],
    ['{{ port }}', 2112],
    ['{{port}}', 2112],
    ['{{ ports }}', [22, 443]],
    ['{{ on }}', true],
    ['{{ nothing }}', null],
    ['{{ d }}', { a: 'x' }],
    ['{{ port + 1 }}', 2113],
    ['{{ host }}:{{ port }}', 'h1:2112'],
    [' {{ port }}', ' 2112'],
    ['port {{ port }}', 'port 2112'],
    ['ports {{ ports }}', 'ports [22, 443]'],
    ['on={{ on }} none={{ nothing }}', 'on=True none=None'],
    ['{{ d }} as text!', "{'a': 'x'} as text!"],
    ['{{ quote }}!', "it's!"],
    ["{{ '}}' }}", '}}'],
    ["{{ {'a': {'b': 1}} }}", { a: { b: 1 } }],
    ["{{ missing | default('dflt') }}", 'dflt'],
    ['{ not a template }', '{ not a template }'],
    [['{{ port }}', 'x{{ host }}', 3], [2112, 'xh1', 3]],
    [{ a: '{{ port }}', b: { c: ['{{ host }}'] }, n: 1, t: true, z: null }, { a: 2112, b: { c: ['h1'] }, n: 1, t: true, z: null }],
  ])('%j -> %j', (input, want) => {
    expect(renderTemplate(input, VARS)).toEqual(want);
  });

  it('does not touch keys', () => {
    expect(renderTemplate({ '{{ host }}': 1 }, VARS)).toEqual({ '{{ host }}': 1 });
  });

  it('renders a templated user variable once when read, but never data', () => {
    const vars = { base: 2000, port: '{{ base + 112 }}', out: { stdout: '{{ base }}' } };
    expect(renderTemplate('{{ port }}/{{ out.stdout }}', vars, { templated: new Set(['base', 'port']) })).toBe('2112/{{ base }}');
  });

  it.each<[string, string]>([
    ['{{ missing }}', "'missing' is undefined"],
    ['x {{ missing }}', "'missing' is undefined"],
    ['{{ d.b }}', "'d.b' is undefined"],
    ['{{ port + host }}', "unsupported operand type(s) for +: 'int' and 'str'"],
  ])('%s fails: %s', (input, message) => {
    expect(() => renderTemplate(input, VARS)).toThrow(ExprEvalError);
    expect(() => renderTemplate(input, VARS)).toThrow(message);
  });

  it.each<[string, number, string]>([
    ['{% if on %}x{% endif %}', 1, 'not {% statements %}'],
    ['a {# note #}', 3, 'not {# comments #}'],
    ['{{ port', 1, "'{{' is never closed"],
    ['ab {{ port == }}', 15, 'expected a value'],
    ['{{ port | nope }}', 11, "unknown filter 'nope'"],
  ])('%j is refused at column %i', (input, col, reason) => {
    let err: unknown;
    try {
      parseTemplate(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExprSyntaxError);
    expect((err as ExprSyntaxError).col).toBe(col);
    expect((err as ExprSyntaxError).reason).toContain(reason);
  });
});

describe('splitFreeForm', () => {
  it.each<[string, string[]]>([
    ['echo hi', ['echo', 'hi']],
    ["echo 'a b' \"c d\" e\\ f", ['echo', 'a b', 'c d', 'e f']],
    ['echo {{ a b }}', ['echo', '{{ a b }}']],
    ["echo pre{{ x | default('1 2') }}post next", ['echo', "pre{{ x | default('1 2') }}post", 'next']],
    ['echo "{{ x }} y"', ['echo', '{{ x }} y']],
    ['echo {{ "#" }} # comment', ['echo', '{{ "#" }}']],
  ])('%j', (input, want) => {
    expect(splitFreeForm(input)).toEqual(want);
  });
});

describe('templatable', () => {
  const port = templatable(z.number().int().min(1));
  it.each<[unknown, boolean]>([
    [22, true],
    ['{{ port }}', true],
    ['x{{ port }}y', true],
    ['22', false],
    [0, false],
    [null, false],
  ])('%j accepted: %s', (v, ok) => {
    expect(port.safeParse(v).success).toBe(ok);
  });
});
