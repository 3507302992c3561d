import { firewalldBackend } from './firewalld.js';
import { iptablesBackend } from './iptables.js';
import { nftablesBackend } from './nftables.js';
import { BACKEND_NAMES, type BackendName, type FirewallBackend } from './types.js';
import { ufwBackend } from './ufw.js';

export function isBackendName(v: string): v is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(v);
}

/** The backend by name; firewalld takes the zone its rules go to (default: firewalld's default zone). */
export function backendFor(name: BackendName, options: { firewalldZone?: string } = {}): FirewallBackend {
  switch (name) {
    case 'nftables':
      return nftablesBackend;
    case 'iptables':
      return iptablesBackend;
    case 'firewalld':
      return firewalldBackend(options.firewalldZone);
    case 'ufw':
      return ufwBackend;
  }
}
