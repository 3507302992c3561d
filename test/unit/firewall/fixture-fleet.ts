import { readFileSync, writeFileSync } from 'node:fs';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { desiredRules } from '../../../src/firewall/desired.js';
import type { HostRuleSet } from '../../../src/firewall/types.js';
import { defaultPlanOptions } from '../../../src/plan/options.js';
import { planSweep } from '../../../src/plan/plan-sweep.js';
import { fleet, host } from '../plan/fleet-builder.js';

export const FIXTURES = new URL('../../fixtures/firewall/', import.meta.url);

/**
 * The fleet behind the captured fixtures: a director+coordinator, a proxy
 * reached over IPv6 and an allocator, with client and admin networks set on
 * the proxy, so every kind of source (host, network, v4, v6, any, self)
 * shows up in one host's rules.
 */
export function fixtureFleet() {
  return fleet([
    host('h1', ['director', 'coordinator'], { address: '198.18.0.1' }),
    host('h2', ['proxy'], { address: '2001:db8::2', clientCidrs: ['198.18.1.0/24', '2001:db8:1::/48'], adminCidrs: ['198.18.9.0/24'] }),
    host('h3', ['allocator'], { address: '198.18.0.3', port: 2222 }),
  ]);
}

export function fixtureRuleSets(controller = '198.18.0.250/32'): HostRuleSet[] {
  const plan = planSweep(fixtureFleet(), ECE_CATALOG, { ...defaultPlanOptions(), firstHost: false });
  return desiredRules(plan, ECE_CATALOG, { controllerAddress: () => controller });
}

/** Compare with a committed file; UPDATE_FIREWALL_FIXTURES=1 writes it instead. */
export function golden(name: string, actual: string): string {
  const url = new URL(name, FIXTURES);
  if (process.env['UPDATE_FIREWALL_FIXTURES']) writeFileSync(url, actual);
  return readFileSync(url, 'utf8');
}

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}
