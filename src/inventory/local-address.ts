/**
 * The address other hosts would use to reach this machine, for the embedded
 * default inventory (no inventory given): probing 127.0.0.1 goes through the
 * loopback interface, which firewalls let through, so it would pass ports
 * that other hosts find closed. Pure: the interfaces and the default route's
 * interface are read by the caller (src/cli/local-address.ts).
 */
export interface InterfaceAddress {
  address: string;
  family: string | number;
  internal: boolean;
}

/**
 * The first IPv4 address of the default route's interface; else the first
 * IPv4 address that is neither internal nor link-local; else undefined (a
 * machine with loopback only: 127.0.0.1 it is, and the plan says so).
 */
export function pickLocalAddress(interfaces: Record<string, InterfaceAddress[] | undefined>, defaultRouteInterface?: string): string | undefined {
  const v4 = (list: InterfaceAddress[] | undefined) =>
    (list ?? []).filter((a) => (a.family === 'IPv4' || a.family === 4) && !a.internal && !a.address.startsWith('169.254.')).map((a) => a.address);
  if (defaultRouteInterface) {
    const own = v4(interfaces[defaultRouteInterface]);
    if (own.length) return own[0];
  }
  for (const name of Object.keys(interfaces)) {
    const any = v4(interfaces[name]);
    if (any.length) return any[0];
  }
  return undefined;
}

/** The interface of the IPv4 default route in /proc/net/route's text (destination and mask 0), if any. */
export function defaultRouteInterface(procNetRoute: string): string | undefined {
  for (const line of procNetRoute.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f[1] === '00000000' && f[7] === '00000000') return f[0];
  }
  return undefined;
}
