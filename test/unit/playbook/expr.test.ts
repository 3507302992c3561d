import { describe, expect, it } from 'vitest';
import { ExprEvalError, ExprSyntaxError, evalCondition, evalExpr, parseCondition, parseExpr } from '../../../src/playbook/expr.js';

const VARS = {
  n: 5,
  s: 'Hello',
  empty: '',
  zero: 0,
  nothing: null,
  yes_str: 'yes',
  no_str: 'no',
  num_str: '42',
  list: [1, 2, 3],
  names: ['web1', 'db1'],
  d: { a: 1, b: { c: 'deep' }, 'key with space': 'ks', '1': 'one' },
  ok: { changed: false, failed: false, rc: 0, stdout: 'fine' },
  bad: { changed: true, failed: true, rc: 2 },
  skip: { changed: false, skipped: true },
  looped: { results: [{ changed: false }, { changed: true }] },
  ver: '7.10.1',
  kernel: '4.18.0-372.el8.x86_64',
};

function run(src: string): unknown {
  return evalExpr(parseExpr(src), VARS);
}

// The values of the first table were checked once against Debian 12's ansible
// 2.14 (`ansible localhost -m debug -a var=x -e x='{{ EXPR }}'`, jinja2 native,
// these VARS as extra vars). All agree except where JS cannot tell: `'x' | float`
// is 0.0 there, and d[1] needs an int key there (YAML keys are strings here).
describe('evalExpr', () => {
  it.each<[string, unknown]>([
    // literals
    ["'single'", 'single'],
    ['"double"', 'double'],
    ["'a' 'b'", 'ab'],
    ["'it\\'s'", "it's"],
    ['42', 42],
    ['-3', -3],
    ['2.5', 2.5],
    ['1_000', 1000],
    ['true', true],
    ['True', true],
    ['false', false],
    ['False', false],
    ['none', null],
    ['None', null],
    ['[1, "a", [true]]', [1, 'a', [true]]],
    ['[]', []],
    ["{'k': 1}", { k: 1 }],
    ["('a', 'b')", ['a', 'b']],
    // variables, attributes, keys, indexes
    ['n', 5],
    ['d.a', 1],
    ['d.b.c', 'deep'],
    ["d['b']['c']", 'deep'],
    ["d['key with space']", 'ks'],
    ['d[1]', 'one'], // YAML keys reach us as strings (Python would need the int key 1)
    ['list[0]', 1],
    ['list.1', 2],
    ['list[-1]', 3],
    ['s[0]', 'H'],
    ['ok.rc', 0],
    // comparisons (Python semantics)
    ['n == 5', true],
    ['n == 5.0', true],
    ['n != 5', false],
    ["n == '5'", false],
    ['true == 1', true],
    ['n < 10', true],
    ['n <= 5', true],
    ['n > 5', false],
    ['n >= 5', true],
    ['1 < n < 10', true],
    ['1 < n < 3', false],
    ["'abc' < 'abd'", true],
    ['[1, 2] < [1, 3]', true],
    ['list == [1, 2, 3]', true],
    ["d.b == {'c': 'deep'}", true],
    ['nothing == none', true],
    // boolean logic returns operands, like Python
    ['n and s', 'Hello'],
    ['empty or s', 'Hello'],
    ['zero or empty', ''],
    ['not n', false],
    ['not empty', true],
    ['not n == 4', true],
    ['n == 5 and s == "Hello"', true],
    ['n == 4 or s == "Hello"', true],
    ['(n == 4 or n == 5) and not zero', true],
    ['n == 4 or n == 5 and zero', 0],
    // in / not in
    ['2 in list', true],
    ['4 not in list', true],
    ["'ell' in s", true],
    ["'a' in d", true],
    ["'z' in d", false],
    ["'web1' in names", true],
    ["s in ['Hello', 'x']", true],
    // tests
    ['n is defined', true],
    ['missing is defined', false],
    ['missing is not defined', true],
    ['missing is undefined', true],
    ['d.zz is defined', false],
    ['missing.a.b is defined', false],
    ['list[7] is defined', false],
    ['nothing is none', true],
    ['n is none', false],
    ['missing is none', false],
    ['ok is succeeded', true],
    ['ok is success', true],
    ['ok is failed', false],
    ['bad is failed', true],
    ['bad is not succeeded', true],
    ['bad is changed', true],
    ['ok is changed', false],
    ['looped is changed', true],
    ['skip is skipped', true],
    ['ok is skipped', false],
    ["ver is version('7.9', '>')", true],
    ["ver is version('7.10.1', '==')", true],
    ["ver is version('7.10.1')", true],
    ["ver is version('8.0', 'lt')", true],
    ["ver is version('7.10', '>=')", true],
    ["'2.4.2' is version('2.4.10', '<')", true],
    ["ver is version(version='7.11', operator='<')", true],
    ["kernel is version('4.18.0-372', '>=')", true],
    ["s is match('H.l')", true],
    ["s is match('ell')", false],
    ["s is search('ell')", true],
    ["s is search('^ell')", false],
    ["s is match('hello', ignorecase=true)", true],
    ["kernel is search('\\.el(\\d+)')", true],
    ["s is string", true],
    ['n is number', true],
    // filters
    ["'yes' | bool", true],
    ["'No' | bool", false],
    ["'TRUE' | bool", true],
    ["'1' | bool", true],
    ['1 | bool', true],
    ['0 | bool', false],
    ["'other' | bool", false],
    ['nothing | bool', null],
    ['yes_str | bool and not (no_str | bool)', true],
    ["'42' | int", 42],
    ["' 7 ' | int", 7],
    ["'3.9' | int", 3],
    ["'x' | int", 0],
    ["'x' | int(5)", 5],
    ["'ff' | int(base=16)", 255],
    ['3.9 | int', 3],
    ['true | int', 1],
    ["'2.5' | float", 2.5],
    ["'x' | float", 0],
    ['num_str | int + 1', 43],
    ['num_str | int > 40', true],
    ['list | length', 3],
    ['s | length', 5],
    ['d | length', 4],
    ['s | lower', 'hello'],
    ['s | upper', 'HELLO'],
    ['n | string', '5'],
    ['true | string', 'True'],
    ['nothing | string', 'None'],
    ["names | string", "['web1', 'db1']"],
    ["missing | default('fallback')", 'fallback'],
    ["missing | d('x')", 'x'],
    ['missing | default', ''],
    ["missing.a | default('deep')", 'deep'],
    ["n | default('x')", 5],
    ["empty | default('x')", ''],
    ["empty | default('x', true)", 'x'],
    ["empty | default('x', boolean=true)", 'x'],
    ["missing | default(n) + 1", 6],
    ['s | lower | upper', 'HELLO'],
    ["'yes' | ansible.builtin.bool", true],
    ["names | join(',')", 'web1,db1'],
    ['names | first', 'web1'],
    ['names | last', 'db1'],
    ["'  x ' | trim", 'x'],
    // arithmetic and concatenation
    ['n + 1', 6],
    ['n - 7', -2],
    ['n * 2', 10],
    ['n / 2', 2.5],
    ['n // 2', 2],
    ['-7 // 2', -4],
    ['-7 % 3', 2],
    ["s ~ '!' ~ n", 'Hello!5'],
    ["'a' + 'b'", 'ab'],
    ['[1] + [2]', [1, 2]],
    // inline if
    ["'big' if n > 3 else 'small'", 'big'],
    ["'big' if n > 9 else 'small'", 'small'],
    // precedence as in Jinja: filters and tests bind to the operand
    ['not missing is defined', true],
    ["n == '5' | int", true],
    ['-n | string', '-5'],
  ])('%s -> %j', (src, want) => {
    expect(run(src)).toEqual(want);
  });

  it.each<[string, string]>([
    ['missing', "'missing' is undefined"],
    ['missing == 1', "'missing' is undefined"],
    ['d.zz == 1', "'d.zz' is undefined"],
    ["ok.stdout_lines[0] == 'x'", "'ok.stdout_lines[0]' is undefined"],
    ['missing.a.b', "'missing.a.b' is undefined"],
    ['not missing', "'missing' is undefined"],
    ['missing | lower', "'missing' is undefined"],
    ["n < 'a'", "'<' not supported between instances of 'int' and 'str'"],
    ['nothing > 1', "'>' not supported between instances of 'NoneType' and 'int'"],
    ['1 in s', "'in <string>' requires string as left operand, not int"],
    ['1 in n', "argument of type 'int' is not iterable"],
    ['n is failed', "The 'failed' test expects a dictionary, got 'int'"],
    ["ver is version('1', 'bigger')", 'Invalid operator type (bigger)'],
    ["'1.0a' is version('1.0.1', '<')", "Version comparison failed: '<' not supported between instances of 'str' and 'int'"],
    ["s is match('(')", "invalid regular expression '('"],
    ['n | length', "object of type 'int' has no len()"],
    ['n / 0', 'division by zero'],
    ["n + 'a'", "unsupported operand type(s) for +: 'int' and 'str'"],
    ["s | lower(1)", 'lower() takes at most 0 arguments (1 given)'],
    ["missing | default('a', colour=1)", "default() got an unexpected keyword argument 'colour'"],
  ])('%s fails: %s', (src, message) => {
    let err: unknown;
    try {
      run(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExprEvalError);
    expect((err as Error).message).toContain(message);
  });

  it.each<[string, number, string]>([
    ['n ==', 5, 'expected a value, found end of expression'],
    ['n = 5', 3, "expected end of expression, found '='"],
    ['(n == 5', 8, "expected ')'"],
    ["'open", 1, 'unterminated string'],
    ['n is defind', 6, "unknown test 'defind' (did you mean 'defined'?)"],
    ['n | boool', 5, "unknown filter 'boool' (did you mean 'bool'?)"],
    ['n | frobnicate', 5, "unknown filter 'frobnicate'"],
    ['lookup("env", "HOME")', 7, 'calling a function or method is not supported'],
    ['s.upper()', 8, 'calling a function or method is not supported'],
    ['list[1:2]', 7, 'slices are not supported'],
    ['n && m', 3, "unexpected character '&'"],
    ['and n', 1, 'expected a value'],
    ['n is', 5, 'expected a test name'],
    ['', 1, 'expected a value'],
    ["missing | default('a', b=1, 'c')", 29, 'positional argument after a keyword argument'],
  ])('%j is a syntax error at column %i', (src, col, reason) => {
    let err: unknown;
    try {
      parseExpr(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExprSyntaxError);
    expect((err as ExprSyntaxError).col).toBe(col);
    expect((err as ExprSyntaxError).reason).toContain(reason);
  });
});

describe('evalCondition', () => {
  it.each<[string, boolean]>([
    ['n', true],
    ['empty', false],
    ['zero', false],
    ['nothing', false],
    ['list', true],
    ['[]', false],
    ['{}', false],
    ["'false'", true], // a non-empty string is true: write `| bool`, as in Ansible
    ["'false' | bool", false],
  ])('%s is %s', (src, want) => {
    expect(evalCondition(parseExpr(src), VARS)).toBe(want);
  });
});

describe('parseCondition', () => {
  it('accepts a condition wrapped in {{ }} and says so', () => {
    const c = parseCondition('{{ n == 5 }}');
    expect(c.wrapped).toBe(true);
    expect(evalCondition(c.ast, VARS)).toBe(true);
    expect(parseCondition('n == 5').wrapped).toBe(false);
  });

  it('refuses a template inside a condition, with the column of the braces', () => {
    expect(() => parseCondition('{{ n }} == 5')).toThrow(/without \{\{ \}\}/);
    try {
      parseCondition('n == {{ x }}');
    } catch (e) {
      expect((e as ExprSyntaxError).col).toBe(6);
    }
    expect.assertions(2);
  });

  it('points syntax errors inside braces at the text as written', () => {
    try {
      parseCondition('{{ n == }}');
    } catch (e) {
      expect((e as ExprSyntaxError).col).toBe(9);
    }
    expect.assertions(1);
  });
});

describe('no way into JS internals', () => {
  const proto = { o: {}, l: [], s: 'x' };
  it.each([
    '__proto__',
    'constructor',
    'o.__proto__',
    'o.constructor',
    "o['constructor']",
    'o.toString',
    'o.hasOwnProperty',
    'l.length',
    'l.constructor',
    's.length',
    'l.map',
    'toString',
    'valueOf',
  ])('%s is undefined', (src) => {
    expect(evalExpr(parseExpr(`${src} is defined`), proto)).toBe(false);
    expect(() => evalExpr(parseExpr(src), proto)).toThrow(ExprEvalError);
  });

  it('a dict literal with a __proto__ key keeps it as a key', () => {
    const v = evalExpr(parseExpr("{'__proto__': 1}"), {}) as Record<string, unknown>;
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});

describe('lazy templating of user variables', () => {
  const vars = { a: '{{ b + 1 }}', b: 1, loop1: '{{ loop2 }}', loop2: '{{ loop1 }}', out: { stdout: '{{ b }}' } };
  const templated = new Set(['a', 'b', 'loop1', 'loop2']);
  it('renders a templated variable when read', () => {
    expect(evalExpr(parseExpr('a == 2'), vars, { templated })).toBe(true);
  });
  it('leaves data (a registered result) as text, never rendering what a host printed', () => {
    expect(evalExpr(parseExpr('out.stdout'), vars, { templated })).toBe('{{ b }}');
  });
  it('renders nothing by default', () => {
    expect(evalExpr(parseExpr('a'), vars)).toBe('{{ b + 1 }}');
  });
  it('stops a loop between variables', () => {
    expect(() => evalExpr(parseExpr('loop1'), vars, { templated })).toThrow('recursive loop detected in template: loop1 -> loop2 -> loop1');
  });
});
