import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './support/run-cli.js';

// The bin as npx and a shell run it: through its shebang, which carries a V8
// flag (`env -S node --max-semi-space-size=2`: the controller's memory at 50
// hosts, bench/RESULTS.md). The tests otherwise run `node BIN`, which skips
// the shebang; this one proves the shebang works here and passes the flag.
// (In the lab project: it needs the built dist/, which `npm test` makes first.)
describe('the built bin', () => {
  it('runs through its shebang with the young-generation flag', () => {
    const probe = path.join(mkdtempSync(path.join(tmpdir(), 'ecep-bin-')), 'argv.cjs');
    writeFileSync(probe, "process.stderr.write('EXECARGV ' + JSON.stringify(process.execArgv) + '\\n');\n");
    const r = spawnSync(BIN, ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.stderr).toContain('EXECARGV ["--max-semi-space-size=2"]');
  });
});
