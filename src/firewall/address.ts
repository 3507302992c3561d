import { ParseError } from '../errors.js';
import type { FleetHost } from '../model/fleet.js';
import { canonicalCidr, parseCidr } from './cidr.js';

/**
 * The address other hosts reach this host from, as a canonical /32 or /128:
 * the source address its peers' packets carry, which is the address they
 * probe (`host.address`: `ece_host_ip`, else `ansible_host`, else the
 * ssh_config HostName). A name is refused, not resolved: a firewall rule
 * needs the address, and resolving here would make the plan depend on the
 * controller's DNS.
 */
export function firewallAddressOf(host: FleetHost): string {
  const value = host.address;
  const varName = host.addressSource === 'ece_host_ip' ? 'ece_host_ip' : host.addressSource === 'ssh_config' ? 'ssh_config HostName' : 'ansible_host';
  try {
    const c = parseCidr(value);
    if (c.prefix !== (c.family === 'ipv4' ? 32 : 128)) throw new Error(`expected one address, got the network ${JSON.stringify(value)}`);
    return canonicalCidr(value);
  } catch (err) {
    const isName = /^[A-Za-z]/.test(value) && !value.includes(':') && !value.includes('/');
    const why = isName ? `${JSON.stringify(value)} is a name; firewall rules need the IP address other hosts see` : (err as Error).message;
    throw new ParseError(`host ${host.name}: ${varName}: ${why} (set ansible_host or ece_host_ip to the address)`);
  }
}

/** The CIDRs of one list variable, canonical; a bad one is one error naming host, variable and value. */
export function cidrsOf(host: FleetHost, varName: 'ece_client_cidrs' | 'ece_admin_cidrs', values: string[]): string[] {
  return values.map((v) => {
    try {
      return canonicalCidr(v);
    } catch (err) {
      throw new ParseError(`host ${host.name}: ${varName}: ${(err as Error).message}`);
    }
  });
}

/**
 * The controller's address as the host sees it, from the host's SSH_CLIENT
 * (`client-ip client-port server-port`): behind NAT or a bastion this is not
 * the controller's own address, and it is the one the rule must allow.
 */
export function controllerAddressFromSshClient(sshClient: string): string {
  const ip = sshClient.trim().split(/\s+/)[0] ?? '';
  try {
    return canonicalCidr(ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1'));
  } catch {
    throw new Error(`SSH_CLIENT does not start with an address: ${JSON.stringify(sshClient)}`);
  }
}
