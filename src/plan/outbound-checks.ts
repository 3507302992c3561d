import type { Endpoint, FleetHost } from '../model/fleet.js';
import { bypassesProxy } from '../model/no-proxy.js';
import type { OutboundRule } from '../catalog/types.js';
import type { OutboundCheck } from './types.js';

/**
 * Outbound checks per host, in host order: the registry, then the host that
 * serves the installation script, then each snapshot repository. The registry
 * is checked on its configured port (a private registry on :5000 is what the
 * host will really pull from), under the rule whose port matches or else the
 * first registry rule that is not tied to a host. Rules tied to one host (80
 * to docker.elastic.co) add their ports only when the registry is that host.
 * The install script's host and snapshot repositories are checked on their
 * own ports. One check per (host, endpoint, port): an endpoint that serves
 * two rules (a mirror serving the registry and the script) is one check
 * citing both. With ece_https_proxy every check of the host goes through the
 * proxy (`proxy`), except to endpoints its ece_no_proxy names.
 */
export function outboundChecks(hosts: FleetHost[], rules: OutboundRule[]): OutboundCheck[] {
  const registryRules = rules.filter((r) => r.target === 'registry');
  const scriptRules = rules.filter((r) => r.target === 'install-script');
  const snapshotRules = rules.filter((r) => r.target === 'snapshot-repos');
  const checks: OutboundCheck[] = [];
  for (const host of hosts) {
    const seen = new Map<string, OutboundCheck>();
    const proxy = host.httpsProxy;
    const add = (endpoint: Endpoint, port: number, rule: string): void => {
      const key = `${endpoint.host}:${port}`;
      const earlier = seen.get(key);
      if (earlier) {
        if (earlier.rule !== rule && !(earlier.alsoRules ?? []).includes(rule)) earlier.alsoRules = [...(earlier.alsoRules ?? []), rule];
        return;
      }
      const via = proxy && !bypassesProxy(endpoint.host, host.noProxy ?? []) ? proxy : undefined;
      const check: OutboundCheck = { id: `${host.name}>${key}`, from: host.name, host: endpoint.host, port, rule, ...(via ? { proxy: { ...via } } : {}) };
      seen.set(key, check);
      checks.push(check);
    };
    const reg = host.registry;
    const main = registryRules.find((r) => r.ports.includes(reg.port)) ?? registryRules.find((r) => !r.onlyHost);
    if (main) add(reg, reg.port, main.id);
    for (const rule of registryRules) {
      if (rule.onlyHost === reg.host) for (const port of rule.ports) add(reg, port, rule.id);
    }
    const script = host.installScript;
    if (script?.host) {
      for (const rule of scriptRules) {
        for (const port of rule.endpointPort ? [script.port] : rule.ports) add(script, port, rule.id);
      }
    }
    for (const repo of host.snapshotRepos) {
      for (const rule of snapshotRules) {
        for (const port of rule.endpointPort ? [repo.port] : rule.ports) add(repo, port, rule.id);
      }
    }
  }
  return checks;
}
