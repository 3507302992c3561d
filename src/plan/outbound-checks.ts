import type { Endpoint, FleetHost } from '../model/fleet.js';
import type { OutboundRule } from '../catalog/types.js';
import type { OutboundCheck } from './types.js';

/**
 * Outbound checks per host, in host order: the registry, then each snapshot
 * repository. The registry is checked on its configured port (a private
 * registry on :5000 is what the host will really pull from), under the rule
 * whose port matches or else the first registry rule that is not tied to a
 * host. Rules tied to one host (80 to docker.elastic.co) add their ports only
 * when the registry is that host. One check per (host, endpoint, port).
 */
export function outboundChecks(hosts: FleetHost[], rules: OutboundRule[]): OutboundCheck[] {
  const registryRules = rules.filter((r) => r.target === 'registry');
  const snapshotRules = rules.filter((r) => r.target === 'snapshot-repos');
  const checks: OutboundCheck[] = [];
  for (const host of hosts) {
    const seen = new Set<string>();
    const add = (endpoint: Endpoint, port: number, rule: string): void => {
      const key = `${endpoint.host}:${port}`;
      if (seen.has(key)) return;
      seen.add(key);
      checks.push({ id: `${host.name}>${key}`, from: host.name, host: endpoint.host, port, rule });
    };
    const reg = host.registry;
    const main = registryRules.find((r) => r.ports.includes(reg.port)) ?? registryRules.find((r) => !r.onlyHost);
    if (main) add(reg, reg.port, main.id);
    for (const rule of registryRules) {
      if (rule.onlyHost === reg.host) for (const port of rule.ports) add(reg, port, rule.id);
    }
    for (const repo of host.snapshotRepos) {
      for (const rule of snapshotRules) {
        for (const port of rule.endpointPort ? [repo.port] : rule.ports) add(repo, port, rule.id);
      }
    }
  }
  return checks;
}
