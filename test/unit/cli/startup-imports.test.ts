import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.js';

const SRC = path.resolve(__dirname, '../../../src');

/**
 * The modules a file loads when it is imported: its static value imports
 * (`import type` and `await import()` excluded), followed through src/.
 * Packages are returned by name and not followed.
 */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    // import x from '...', import { a } from '...', export { a } from '...', import '...'
    const re = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
    for (const m of text.matchAll(re)) {
      if (m[2]) continue; // `import type` / `export type`: erased
      const spec = m[3]!;
      if (/^\s*import\s*\{[^}]*\}/.test(m[0]) && /^\s*import\s*\{\s*(type\s+[^,}]+,?\s*)+\}/.test(m[0])) continue; // only type specifiers
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        const base = path.resolve(path.dirname(file), spec).replace(/\.js$/, '');
        const found = ['.ts', '.tsx'].map((e) => base + e).find((f) => existsSync(f));
        if (found) visit(found);
      } else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('CLI start-up stays light', () => {
  it('main.ts loads no command implementation: no ink, react, ssh2, zod, nor yargs before --version', () => {
    const { packages, files } = staticGraph(path.join(SRC, 'cli/main.ts'));
    expect([...packages].filter((p) => ['ink', 'react', 'ssh2', 'zod', 'yargs', 'js-yaml', 'p-limit'].includes(p))).toEqual([]);
    const rel = [...files].map((f) => path.relative(SRC, f));
    for (const heavy of ['cli/run-play.ts', 'engine/play-runner.ts', 'transport/ssh.ts', 'ui/live-renderer.tsx', 'lab/lab.ts', 'inventory/select.ts', 'report/json.ts']) {
      expect(rel).not.toContain(heavy);
    }
  });

  it('plan loads no ssh2, zod, ink or react: it resolves targets (ssh -G) and plans, nothing more', () => {
    const pkgs = new Set<string>();
    // what plan's handler imports when it runs (src/cli/commands/plan.ts)
    for (const f of ['catalog/ece-catalog.ts', 'plan/plan-sweep.ts', 'plan/summary.ts', 'cli/common-options.ts', 'cli/load-fleet.ts', 'cli/format-plan.ts', 'cli/ssh-settings.ts', 'cli/connection-settings.ts', 'cli/ssh-targets.ts', 'cli/commands/plan.ts']) {
      for (const p of staticGraph(path.join(SRC, f)).packages) pkgs.add(p);
    }
    expect([...pkgs].filter((p) => ['ink', 'react', 'ssh2', 'zod'].includes(p))).toEqual([]);
    const dynamic = [...readFileSync(path.join(SRC, 'cli/commands/plan.ts'), 'utf8').matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]);
    expect(dynamic.map((d) => path.resolve(SRC, 'cli/commands', d!).replace(/\.js$/, '.ts')).map((f) => path.relative(SRC, f)).sort()).toEqual(
      ['catalog/ece-catalog.ts', 'plan/plan-sweep.ts', 'plan/summary.ts', 'cli/common-options.ts', 'cli/load-fleet.ts', 'cli/format-plan.ts', 'cli/ssh-settings.ts', 'cli/connection-settings.ts', 'cli/ssh-targets.ts'].sort(),
    );
  });

  it('pick-renderer.ts does not load ink for plain output', () => {
    const { packages } = staticGraph(path.join(SRC, 'cli/pick-renderer.ts'));
    expect(packages.has('ink')).toBe(false);
    expect(packages.has('react')).toBe(false);
  });

  it('--version alone is answered without yargs, as yargs would', async () => {
    const r = await runMain(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const viaYargs = await runMain(['--version', '--version']);
    expect(viaYargs.stdout).toBe(r.stdout);
  });
});
