import { readAnsibleConfig, type AnsibleConfig } from '../config/ansible-cfg.js';
import { UsageError } from '../errors.js';
import type { HostDefaults } from '../inventory/fleet.js';
import { selectInventory, type SelectedInventory } from '../inventory/select.js';
import type { Fleet } from '../model/fleet.js';
import type { FleetArgs } from './common-options.js';
import type { CliIo } from './io.js';
import { withLocalAddress } from './local-address.js';

/** ansible.cfg and ANSIBLE_* as Ansible finds them, from this command's environment and folder. */
export function ansibleConfigOf(io: CliIo): AnsibleConfig {
  return readAnsibleConfig({ env: io.env, cwd: io.cwd });
}

/**
 * -i (else ANSIBLE_INVENTORY / ansible.cfg, else the embedded localhost), -e
 * and --limit, passed through as typed: src/inventory/ reads them. Warnings
 * (a skipped vault file, a world-writable folder's ansible.cfg) go to stderr.
 */
export function loadInventoryFromArgs(argv: FleetArgs, io: CliIo, config: AnsibleConfig = ansibleConfigOf(io), hostDefaults?: HostDefaults): SelectedInventory {
  const sources = argv.inventory?.length ? argv.inventory : config.inventory?.value;
  const selected = selectInventory({
    ...(sources ? { sources } : {}),
    ...(argv.extraVars ? { extraVars: argv.extraVars } : {}),
    ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
    ...(hostDefaults ? { hostDefaults } : {}),
    cwd: io.cwd,
    ...(io.env['HOME'] ? { home: io.env['HOME'] } : {}),
  });
  for (const w of [...config.warnings, ...selected.notes]) io.stderr.write(`[WARNING]: ${w}\n`);
  return selected;
}

/** The inventory and the resolved fleet to work on; an empty one is refused. */
export function loadFleetFromArgs(argv: FleetArgs, io: CliIo, config?: AnsibleConfig, hostDefaults?: HostDefaults): SelectedInventory & { fleet: Fleet } {
  const selected = loadInventoryFromArgs(argv, io, config, hostDefaults);
  const fleet = withLocalAddress(selected.resolveFleet(), io);
  if (fleet.hosts.length === 0) throw new UsageError('no hosts to work on: the inventory has none');
  return { ...selected, fleet };
}
