import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { defaultRouteInterface, pickLocalAddress } from '../inventory/local-address.js';
import type { Fleet } from '../model/fleet.js';
import { EMBEDDED_LOCALHOST_SOURCE } from '../inventory/localhost.js';
import type { CliIo } from './io.js';

/**
 * With no inventory, this machine is probed at the address other hosts would
 * use (its default route's interface), not 127.0.0.1: loopback passes any
 * firewall. Nothing is sent to find it (the routing table and interfaces are
 * read). ECE_PREFLIGHT_LOCAL_ADDRESS chooses another (tests pin 127.0.0.1).
 * Other inventories are returned as they are.
 */
export function withLocalAddress(fleet: Fleet, io: Pick<CliIo, 'env'>): Fleet {
  if (fleet.source !== EMBEDDED_LOCALHOST_SOURCE || fleet.hosts.length !== 1) return fleet;
  const address = io.env['ECE_PREFLIGHT_LOCAL_ADDRESS'] || pickLocalAddress(networkInterfaces(), defaultRoute());
  if (!address) return fleet;
  const [h] = fleet.hosts;
  // As ece_host_ip: facts then check it is one of this machine's own addresses.
  return { ...fleet, hosts: [{ ...h!, address, addressSource: 'ece_host_ip', eceHostIp: address }] };
}

/** The default route's interface from /proc/net/route; off Linux, none (the interfaces alone decide). */
function defaultRoute(): string | undefined {
  try {
    return defaultRouteInterface(readFileSync('/proc/net/route', 'utf8'));
  } catch {
    return undefined;
  }
}
