import { inVersionRange } from '../catalog/versions.js';
import type { HostCheckRecord } from '../engine/host-check.js';
import type { PlannedRequirement } from '../plan/types.js';
import type { HostFacts } from './facts-types.js';

/** Requirements judged on one host from its facts; the others are fleet-level. */
export function isPerHostRequirement(r: Pick<PlannedRequirement, 'kind'>): boolean {
  return r.kind === 'ipv6-enabled';
}

/**
 * A fleet-level requirement, judged without facts: the first host holds all
 * four roles by plan (its port probes are the check); bandwidth is measured
 * only with --bandwidth (by the `bandwidth` task, tasks/bandwidth.ts), and
 * says so instead of letting it pass silently when it is not. Round trips
 * are measured per pair (tasks/round-trip.ts).
 */
export function judgeFleetRequirement(r: PlannedRequirement): HostCheckRecord[] {
  switch (r.kind) {
    case 'first-host-all-roles':
      return r.hosts.map((host) => ({
        kind: 'requirement',
        id: r.requirement,
        host,
        status: 'pass',
        message: 'planned with all four roles: every role port is probed on it (the port checks say whether they are open)',
      }));
    case 'max-rtt-ms':
      // Measured per pair by host_checks (tasks/round-trip.ts), not judged here.
      return [];
    case 'min-bandwidth-gbit':
      // --bandwidth: the bandwidth task measures it, one pair per pair of zones.
      if (r.measure) return [];
      return [
        {
          kind: 'requirement',
          id: r.requirement,
          status: 'not-checked',
          message: `${r.purpose}: not measured (a bounded transfer per pair of zones with --bandwidth, or --skip bandwidth) (${r.hosts.join(', ')})`,
        },
      ];
    default:
      return [];
  }
}

/**
 * IPv6 on a proxy (seed: "For versions 2.4.0 and 2.4.1, IPv6 should remain
 * enabled on any host with the Proxy role. In 2.4.2 and later, IPv6 can be
 * disabled."). The plan only lists the proxies whose version is in range or
 * unknown; the version is looked at again here so the line can say why.
 */
export function judgeIpv6Requirement(r: PlannedRequirement, host: string, version: string | undefined, facts: HostFacts | undefined): HostCheckRecord {
  const base = { kind: 'requirement' as const, id: r.requirement, host };
  const ipv6 = facts?.ipv6;
  if (!ipv6) return { ...base, status: 'not-checked', message: 'IPv6 state could not be read (no facts)' };
  const addrs = ipv6.addresses?.length ? ` (${ipv6.addresses.join(', ')})` : ' (no global IPv6 address)';
  if (ipv6.enabled) return { ...base, status: 'pass', message: `IPv6 enabled${addrs}` };
  const range = versionText(r.versions);
  if (version === undefined || version === '') {
    return {
      ...base,
      status: 'warn',
      message: `IPv6 is disabled and ece_version is not set: ECE ${range} needs IPv6 on proxies (later versions do not); set ece_version to decide`,
    };
  }
  if (!inVersionRange(version, r.versions)) return { ...base, status: 'pass', message: `IPv6 disabled, fine on ECE ${version} (only ${range} needs it)` };
  return {
    ...base,
    status: 'fail',
    message: `IPv6 is disabled (net.ipv6.conf.all.disable_ipv6=1) on a proxy for ECE ${version}: ${range} needs it enabled; enable IPv6 or install a later version`,
  };
}

function versionText(v: PlannedRequirement['versions']): string {
  if (!v) return 'every version';
  if (v.min && v.max) return `${v.min} to ${v.max}`;
  return v.min ? `${v.min} and later` : `up to ${v.max}`;
}
