import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outboundOf } from '../../src/engine/check-record.js';
import type { RunResult } from '../../src/engine/result.js';
import { labExec, labHost } from '../../src/lab/lab.js';
import { runCli } from './support/run-cli.js';
import { useLab } from './support/use-lab.js';

// A host whose egress to the registry is dropped (an nft output rule in that
// host only): its outbound check fails as filtered with a hint naming the
// port, the rule and where to allow it; the other host's passes. The registry
// is the lab's stand-in on h1:443 (the lab inventory points ece_registry and
// ece_install_script_host there): nothing leaves the lab.
const used = useLab({ hosts: 2, prefix: 'eceeg', roles: ['director,coordinator,proxy', 'allocator'] });

describe('egress to the registry dropped on one host', () => {
  it('fails that host\'s outbound check (filtered) with a hint; the other host passes; exit 2', async () => {
    const { lab, dir } = used;
    const h1 = labHost(lab, 'h1');
    const set = await labExec(labHost(lab, 'h2'), ['nft', '-f', '-'], {
      stdin: `table inet egress {\n chain output {\n  type filter hook output priority 0;\n  ip daddr ${h1.address} tcp dport 443 drop\n }\n}\n`,
    });
    expect(set.code, set.stderr).toBe(0);
    const json = path.join(dir, 'run.json');
    const r = await runCli(['sweep', '-i', lab.inventoryFile, '--no-tui', '--no-save', '--probe-timeout', '600', '--json', json]);
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    const out = outboundOf(result.checks);
    const fromH2 = out.filter((c) => c.from === 'h2');
    expect(fromH2.length).toBeGreaterThan(0);
    for (const c of fromH2) {
      expect(c).toMatchObject({ to: h1.address, port: 443, verdict: 'blocked', result: { outcome: 'filtered' } });
      expect(c.hint).toMatch(new RegExp(`^h2 -> ${h1.address.replace(/\./g, '\\.')}:443 filtered: allow outbound tcp/443 from h2 \\(outbound-[\\w-]+\\) in its firewall and any egress proxy or firewall`));
    }
    expect(out.filter((c) => c.from === 'h1').every((c) => c.verdict === 'ok')).toBe(true);
    expect(r.stdout).toMatch(/BLOCKED h2 -> 198\.18\.0\.11:443 filtered/);
    expect(result.summary.status).toBe('failed');
    expect(r.code).toBe(2);
  }, 120_000);
});
