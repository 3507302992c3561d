/** Facts gathered per host (each parsed by a pure function in src/tasks/facts.ts). */
export interface PortInUse {
  port: number;
  /** Process name and pid as `ss -ltnp` prints them, when it tells. */
  process?: string;
}

export type FirewallBackend = 'nftables' | 'iptables' | 'firewalld' | 'ufw' | 'none';

export interface HostFacts {
  os?: string;
  kernel?: string;
  /**
   * IPv6 as the kernel has it (`net.ipv6.conf.all.disable_ipv6`; no such file:
   * IPv6 is not in the kernel, so off) and the host's global IPv6 addresses
   * (scope global: ULA included; not loopback, not link-local), when listed.
   */
  ipv6?: { enabled: boolean; addresses?: string[] };
  docker?: { present: boolean; socket: boolean };
  firewall?: {
    /** The backend rules would be written to (firewalld/ufw win over raw nft/iptables). */
    backend: FirewallBackend;
    /** firewalld running: the ECE installer fails (3.5) or warns (4.0). */
    firewalldActive: boolean;
    ufwActive: boolean;
    /** Number of nftables rules / iptables rules seen (0: nothing loaded). */
    nftRules: number;
    iptablesRules: number;
    /** false: the session was not root, so the rules could not be listed (run with become). */
    rulesVisible?: boolean;
    /** When the rules were visible: a fingerprint of them (rulesFingerprint), so a rule changed in place is a change too. */
    rulesHash?: string;
  };
  listening?: PortInUse[];
  localPortRange?: [number, number];
  python?: string;
  /** The user the installer would run as (the login user, also under sudo): ECE wants non-root, UID and GID >= 1000. */
  installUser?: { name: string; uid: number; gid: number };
  /** The host's IPv4 and IPv6 addresses (loopback included), as `ip -o addr` / `hostname -I` list them. */
  addresses?: string[];
}
