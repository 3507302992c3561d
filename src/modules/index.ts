import type { ModuleCatalogue } from '../playbook/module-schema.js';
import { assertModule } from './assert.js';
import { bandwidthModule } from './bandwidth.js';
import { commandModule, shellModule } from './command.js';
import { debugModule } from './debug.js';
import { firewallModule } from './firewall.js';
import { factsModule } from './facts.js';
import { hostChecksModule } from './host-checks.js';
import { listenModule } from './listen.js';
import { outboundModule } from './outbound.js';
import { pingModule } from './ping.js';
import { probeModule } from './probe.js';
import { runDiffModule } from './run-diff.js';
import type { Module } from './types.js';

/** Every module a playbook can name, by its short name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module has its own argument type
export const MODULES: ReadonlyMap<string, Module<any, any>> = new Map(
  [factsModule, hostChecksModule, listenModule, probeModule, outboundModule, firewallModule, commandModule, shellModule, assertModule, debugModule, pingModule, runDiffModule, bandwidthModule].map((m) => [m.name, m]),
);

/** What the playbook parser needs of them: names and argument schemas (it never imports a module). */
export const MODULE_CATALOGUE: ModuleCatalogue = new Map(
  [...MODULES.values()].map((m) => [m.name, { name: m.name, args: m.args, freeForm: m.freeForm }]),
);
