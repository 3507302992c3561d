import { shellQuote, stepToShell } from './shell-words.js';
import type { BackendName, Change, Rule } from './types.js';

/** One host of `firewall plan`: its rules and what its backend would run. */
export interface HostFirewallPlan {
  host: string;
  roles: string[];
  backend: BackendName;
  rules: Rule[];
  warnings: string[];
  change: Change;
}

const portText = (r: Rule) => (r.ports[0] === r.ports[1] ? `${r.ports[0]}` : `${r.ports[0]}-${r.ports[1]}`);
const sourceText = (r: Rule) => (r.source === 'any' ? `any ${r.family}` : r.source === 'self' ? `this host (${r.family})` : r.source);

export function formatRule(r: Rule): string {
  return `${r.action.padEnd(6)} tcp ${portText(r).padEnd(11)} from ${sourceText(r).padEnd(24)} ${r.comment}`;
}

/** The text `ece-preflight firewall plan` prints. */
export function formatFirewallPlan(source: string, backend: BackendName, hosts: HostFirewallPlan[]): string {
  const out: string[] = [];
  out.push(`FIREWALL PLAN ${source}: ${hosts.length} host(s), backend ${backend}`);
  out.push('Rendered for a host that holds no rules of ours and, for nftables, no default-deny input chain:');
  out.push('apply reads each host first and loads only what differs. Nothing was connected to.');
  for (const h of hosts) {
    out.push('');
    out.push(`${h.host} (${h.roles.join(', ') || 'no role'}): ${h.rules.length} rules`);
    for (const r of h.rules) out.push(`  ${formatRule(r)}`);
    for (const w of h.warnings) out.push(`  [WARNING] ${w}`);
    out.push(`  ${h.backend} would run:`);
    for (const step of h.change.steps) out.push(...stepToShell(step).split('\n').map((l) => `    ${l}`));
    if (h.change.persist?.length) {
      out.push('  after the new-connection check, to persist:');
      for (const step of h.change.persist) out.push(`    ${step.argv.map(shellQuote).join(' ')}`);
    }
  }
  return out.join('\n') + '\n';
}

/** JSON shape of `firewall plan --json`. */
export function firewallPlanJson(source: string, backend: BackendName, hosts: HostFirewallPlan[]): unknown {
  return { source, backend, hosts: hosts.map((h) => ({ host: h.host, roles: h.roles, rules: h.rules, warnings: h.warnings, steps: h.change.steps, persist: h.change.persist ?? [] })) };
}

