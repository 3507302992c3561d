import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { toAnsibleList } from '../../../src/inventory/to-ansible-list.js';

// Each folder under test/fixtures/inventory holds an inventory (with optional
// group_vars/ and host_vars/) and expected.json, the output of the real
// `ansible-inventory -i inventory.* --list` (see regenerate.sh there).
const root = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'expected.json')))
  .map((d) => d.name);

describe('toAnsibleList matches ansible-inventory --list', () => {
  it('has fixture cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });
  for (const name of cases) {
    it(name, () => {
      const dir = join(root, name);
      const file = readdirSync(dir).find((f) => f.startsWith('inventory.'));
      expect(file).toBeDefined();
      const { model } = loadInventory(join(dir, file!));
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
      expect(toAnsibleList(model)).toEqual(expected);
    });
  }
});
