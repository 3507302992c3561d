import { ECE_CATALOG } from '../../catalog/ece-catalog.js';
import { UsageError } from '../../errors.js';
import { controllerAddressFromSshClient } from '../../firewall/address.js';
import { backendFor } from '../../firewall/backends.js';
import { desiredRules } from '../../firewall/desired.js';
import { firewallPlanJson, formatFirewallPlan, type HostFirewallPlan } from '../../firewall/format-plan.js';
import { FirewallBackendError, type CurrentRules } from '../../firewall/types.js';
import { planSweep } from '../../plan/plan-sweep.js';
import { planOptionsFrom } from '../common-options.js';
import type { CliIo } from '../io.js';
import { loadFleetFromArgs } from '../load-fleet.js';
import type { FleetArgs } from '../common-options.js';
import type { BackendName } from '../../firewall/types.js';

export interface FirewallPlanArgs extends FleetArgs {
  backend: BackendName;
  json?: boolean;
  controller?: string;
  zone?: string;
  enable?: string[];
  skip?: string[];
  firstHost?: boolean;
}

/** A host with nothing of ours and no input chain: what `plan` renders against, since it does not connect. */
const NOTHING_YET: CurrentRules = { ours: [], placements: [], foreign: { defaultDeny: false, inputChains: [], notes: [] } };

/** `firewall plan`: per host, the rules its roles need and what its backend would load. No connection. */
export function runFirewallPlan(argv: FirewallPlanArgs, io: CliIo): void {
  const selected = loadFleetFromArgs(argv, io);
  const { source } = selected;
  const shown = new Set(selected.fleet.hosts.map((h) => h.name));
  // Rules allow from every host of the inventory: --limit chooses the hosts shown, not the sources.
  const plan = planSweep(selected.resolveAll(), ECE_CATALOG, planOptionsFrom(argv));
  let controller: string | undefined;
  if (argv.controller !== undefined) {
    try {
      controller = controllerAddressFromSshClient(argv.controller);
    } catch {
      throw new UsageError(`--controller: not an IP address: ${JSON.stringify(argv.controller)}`);
    }
  }
  let backend;
  try {
    backend = backendFor(argv.backend, argv.zone !== undefined ? { firewalldZone: argv.zone } : {});
  } catch (err) {
    if (err instanceof FirewallBackendError) throw new UsageError(`--zone: ${err.message}`);
    throw err;
  }
  const sets = desiredRules(plan, ECE_CATALOG, { controllerAddress: () => controller });
  const hosts: HostFirewallPlan[] = sets.flatMap((set, i) =>
    shown.has(set.host)
      ? [{ host: set.host, roles: plan.hosts[i]!.roles, backend: argv.backend, rules: set.rules, warnings: set.warnings, change: backend.render(set.rules, NOTHING_YET) }]
      : [],
  );
  io.stdout.write(argv.json ? JSON.stringify(firewallPlanJson(source, argv.backend, hosts), null, 2) + '\n' : formatFirewallPlan(source, argv.backend, hosts));
}
