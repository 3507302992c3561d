import { formatSpecs, specFrom, specTo } from '../catalog/ports.js';
import type { PortSpec } from '../catalog/types.js';
import { compareVersions } from '../catalog/versions.js';
import type { HostCheckRecord } from '../engine/host-check.js';
import type { HostFacts } from './facts-types.js';

/** The installer's preconditions this tool judges, in output order. */
export const PRECONDITION_IDS = ['docker', 'install-user', 'local-port-range', 'firewalld', 'storage-path'] as const;

/**
 * What the ECE installer checks before it installs (elastic-cloud-enterprise.sh,
 * 3.5 and 4.0), judged from facts: pure, one record per precondition. A fact
 * that could not be read is 'not-checked', never a pass.
 * `eceTcpPorts`: the ports the host's roles need (full ranges).
 */
export function judgePreconditions(host: string, facts: HostFacts | undefined, eceVersion: string | undefined, eceTcpPorts: readonly PortSpec[]): HostCheckRecord[] {
  const rec = (id: string, status: HostCheckRecord['status'], message: string): HostCheckRecord => ({ kind: 'precondition', id, host, status, message });
  const out: HostCheckRecord[] = [];
  const d = facts?.docker;
  if (!d) out.push(rec('docker', 'not-checked', 'Docker could not be read (no facts)'));
  else if (!d.present) out.push(rec('docker', 'fail', 'Docker is not installed: the installer needs it (install Docker or Podman as Elastic documents)'));
  else if (!d.socket) out.push(rec('docker', 'fail', 'Docker is installed but /var/run/docker.sock is missing: start the Docker daemon'));
  else out.push(rec('docker', 'pass', 'Docker present, socket /var/run/docker.sock'));

  const u = facts?.installUser;
  if (!u) out.push(rec('install-user', 'not-checked', 'the install user could not be read'));
  else if (u.uid === 0) out.push(rec('install-user', 'fail', `the install user is root (${u.name}): the installer must run as a non-root user with UID and GID >= 1000`));
  else if (u.uid < 1000 || u.gid < 1000) out.push(rec('install-user', 'fail', `${u.name} has UID ${u.uid} GID ${u.gid}: the installer needs UID and GID >= 1000`));
  else out.push(rec('install-user', 'pass', `${u.name} UID ${u.uid} GID ${u.gid}`));

  const r = facts?.localPortRange;
  if (!r) out.push(rec('local-port-range', 'not-checked', 'net.ipv4.ip_local_port_range could not be read'));
  else {
    const overlap = eceTcpPorts.flatMap((s): PortSpec[] => {
      const from = Math.max(specFrom(s), r[0]);
      const to = Math.min(specTo(s), r[1]);
      return from > to ? [] : [from === to ? from : { from, to }];
    });
    out.push(
      overlap.length
        ? rec('local-port-range', 'fail', `net.ipv4.ip_local_port_range ${r[0]}-${r[1]} overlaps ECE ports ${formatSpecs(overlap)}: outgoing connections can take them; move the range (e.g. 32768 60999)`)
        : rec('local-port-range', 'pass', `net.ipv4.ip_local_port_range ${r[0]}-${r[1]} clear of the ECE ports`),
    );
  }

  const fw = facts?.firewall;
  if (!fw) out.push(rec('firewalld', 'not-checked', 'the firewall could not be read'));
  else if (!fw.firewalldActive) out.push(rec('firewalld', 'pass', 'firewalld not running'));
  else if (!eceVersion) out.push(rec('firewalld', 'warn', 'firewalld is running and ece_version is not set: the installer fails on it (3.5) or warns (4.0); set ece_version to decide'));
  else if (compareVersions(eceVersion, '4.0') < 0) out.push(rec('firewalld', 'fail', `firewalld is running: the ECE ${eceVersion} installer fails on it; stop firewalld or open the ports in it`));
  else out.push(rec('firewalld', 'warn', `firewalld is running: the ECE ${eceVersion} installer warns on it`));
  return out;
}
