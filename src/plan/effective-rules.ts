import type { Catalog, InboundRule, OutboundRule } from '../catalog/types.js';
import type { PlanOptions, PlanWarning } from './types.js';
import { containerOnlyRule } from './container-only.js';
import { optionalFlags } from './options.js';

export interface EffectiveRules {
  inbound: InboundRule[];
  outbound: OutboundRule[];
  /** The container-only ports, probed must-be-closed without a listener; undefined when skipped. */
  containerOnly?: InboundRule;
  warnings: PlanWarning[];
}

/**
 * The catalog after `enable` and `skip`: optional rules only when their flag
 * is on; skipped ids and categories dropped. Skipping 'external' removes the
 * controller as a source, and a rule left with no source is dropped (nothing
 * would probe it, so nothing should listen for it either).
 */
export function effectiveRules(catalog: Catalog, options: PlanOptions): EffectiveRules {
  const skip = new Set(options.skip);
  const enable = new Set(options.enable);
  const warnings: PlanWarning[] = [];
  const flags = optionalFlags(catalog);
  for (const flag of options.enable) {
    if (!flags.includes(flag)) {
      warnings.push({ code: 'unknown-flag', message: `--enable ${flag}: no optional rule uses it (known: ${flags.join(', ') || 'none'})` });
    }
  }

  const inbound: InboundRule[] = [];
  for (const rule of catalog.inbound) {
    if (rule.optional && !enable.has(rule.optional.flag)) continue;
    if (skip.has(rule.id) || (rule.tags ?? []).some((t) => skip.has(t))) continue;
    const sources = skip.has('external') ? rule.sources.filter((s) => s.kind !== 'external') : rule.sources;
    if (sources.length === 0) continue;
    inbound.push(sources === rule.sources ? rule : { ...rule, sources });
  }
  const outbound = skip.has('outbound') ? [] : catalog.outbound.filter((r) => !skip.has(r.id));
  const co = containerOnlyRule(catalog);
  const containerOnly = co && !skip.has(co.id) && !skip.has('container-only') ? co : undefined;
  return { inbound, outbound, ...(containerOnly ? { containerOnly } : {}), warnings };
}
