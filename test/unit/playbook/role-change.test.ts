import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULE_CATALOGUE } from '../../../src/modules/index.js';
import { loadPlaybook } from '../../../src/playbook/parse.js';
import type { Item } from '../../../src/playbook/types.js';

const modulesOf = (items: Item[]): string[] => items.flatMap((i) => (i.kind === 'task' ? [i.module] : [...modulesOf(i.block), ...modulesOf(i.rescue), ...modulesOf(i.always)]));
const SWEEP = ['facts', 'host_checks', 'listen', 'probe', 'outbound', 'listen'];

describe('playbooks/role-change.yml', () => {
  it('the change window: diff, sweep, firewall, the same sweep again (the second replaces the first)', async () => {
    const pb = await loadPlaybook(fileURLToPath(new URL('../../../playbooks/role-change.yml', import.meta.url)), MODULE_CATALOGUE);
    expect(pb.plays).toHaveLength(4);
    const [diff, before, fw, after] = pb.plays.map((p) => modulesOf([...p.preTasks, ...p.tasks, ...p.postTasks]));
    expect(diff).toEqual(['run_diff']);
    expect(before).toEqual(SWEEP);
    expect(fw).toEqual(['firewall']);
    expect(pb.plays[2]!.gatherFacts).toBe(true);
    expect(pb.plays[2]!.become).toBe(true);
    expect(after).toEqual(SWEEP);
    // one set of sweep vars for both sweeps (a YAML anchor): -e changes both alike
    expect(pb.plays[3]!.vars).toEqual(pb.plays[1]!.vars);
  });
});
