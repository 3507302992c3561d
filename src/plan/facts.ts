import type { FactName } from './types.js';

/**
 * Every fact a sweep gathers. A record rather than a list so that a new
 * FactName that is not added here fails to compile.
 */
const FACTS: Record<FactName, true> = {
  os: true,
  kernel: true,
  ipv6: true,
  docker: true,
  firewall: true,
  listening: true,
  'local-port-range': true,
  python: true,
};

export const ALL_FACTS: readonly FactName[] = Object.keys(FACTS) as FactName[];
