import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULE_CATALOGUE } from '../../../src/modules/index.js';
import { loadPlaybook } from '../../../src/playbook/parse.js';
import type { Item } from '../../../src/playbook/types.js';

const modulesOf = (items: Item[]): string[] => items.flatMap((i) => (i.kind === 'task' ? [i.module] : [...modulesOf(i.block), ...modulesOf(i.rescue), ...modulesOf(i.always)]));

describe('playbooks/role-change.yml', () => {
  it('the firewall play first, then one sweep play: only the last play probes, so the run counts one sweep', async () => {
    const pb = await loadPlaybook(fileURLToPath(new URL('../../../playbooks/role-change.yml', import.meta.url)), MODULE_CATALOGUE);
    expect(pb.plays).toHaveLength(2);
    const [fw, sweep] = pb.plays.map((p) => modulesOf([...p.preTasks, ...p.tasks, ...p.postTasks]));
    expect(fw).toEqual(['firewall']);
    expect(pb.plays[0]!.gatherFacts).toBe(true);
    expect(sweep).toEqual(['facts', 'host_checks', 'listen', 'probe', 'outbound', 'listen']);
  });
});
