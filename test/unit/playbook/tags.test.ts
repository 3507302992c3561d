import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatTaskListing, listTasks } from '../../../src/playbook/list-tasks.js';
import { parsePlaybook } from '../../../src/playbook/parse.js';
import { selectedByTags } from '../../../src/playbook/tags.js';
import { MODULES } from './catalogue.js';

const FIX = 'test/fixtures/playbook';

describe('selectedByTags', () => {
  it.each<[string[], string[], string[], boolean]>([
    // task tags, --tags, --skip-tags, runs
    [[], [], [], true],
    [['a'], [], [], true],
    [['never'], [], [], false],
    [['never', 'dbg'], ['dbg'], [], true],
    [['never'], ['never'], [], true],
    [['never', 'dbg'], ['all'], [], false],
    [['always'], ['x'], [], true],
    [['always'], [], ['always'], false],
    [['always'], [], ['all'], true],
    [['always'], [], ['all', 'always'], false],
    [['a'], [], ['all'], false],
    [['a'], ['b'], [], false],
    [['a', 'b'], ['b'], [], true],
    [['a'], ['b'], ['a'], false],
    [['a'], ['a'], ['a'], false],
    [[], ['untagged'], [], true],
    [['a'], ['untagged'], [], false],
    [['a'], ['tagged'], [], true],
    [[], ['tagged'], [], false],
    [['never', 'a'], ['tagged'], [], false],
    [['a'], [], ['tagged'], false],
    [[], [], ['tagged'], true],
    [[], [], ['untagged'], false],
    [['always', 'x'], ['y'], ['x'], false],
  ])('tags %j with --tags %j --skip-tags %j: %s', (taskTags, tags, skipTags, want) => {
    expect(selectedByTags(taskTags, { tags, skipTags })).toBe(want);
  });
});

interface Recorded {
  cases: { args: string; tags: string[]; skipTags: string[]; stdout: string }[];
}

describe('--list-tasks against ansible-playbook 2.14', () => {
  const recorded = JSON.parse(readFileSync(`${FIX}/tags-list-tasks.json`, 'utf8')) as Recorded;
  const pb = parsePlaybook(readFileSync(`${FIX}/tags.yml`, 'utf8'), 'tags.yml', MODULES);
  it('has the recorded cases', () => {
    expect(recorded.cases.length).toBeGreaterThan(15);
  });
  it.each(recorded.cases.map((c) => [c.args || '(no filter)', c] as const))('%s', (_, c) => {
    expect(formatTaskListing('tags.yml', listTasks(pb, { tags: c.tags, skipTags: c.skipTags }))).toBe(c.stdout);
  });
});
