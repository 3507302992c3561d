import { Box } from 'ink';
import { Text } from './text.js';
import type { Role } from '../model/roles.js';
import { isFinal, type Counter, type HostView } from './run-store.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ROLE_TAG: Record<Role, string> = { director: 'dir', coordinator: 'coord', proxy: 'proxy', allocator: 'alloc' };

const broken = (h: HostView): boolean => h.state === 'unreachable' || h.state === 'failed';
const inFlight = (h: HostView): boolean => !isFinal(h.state) && h.state !== 'pending';
const hasFailures = (h: HostView): boolean =>
  h.asDestination.failed + h.asSource.failed + h.outbound.failed + h.listeners.failed > 0;

/**
 * Which hosts get a row when they do not all fit: broken hosts first (the
 * operator must act on them), then in-flight hosts with failures, then the
 * rest in flight; done and pending hosts are only counted.
 */
export function pickRows(hosts: HostView[], maxRows: number): { shown: HostView[]; hidden: Record<string, number> } {
  if (hosts.length <= maxRows) return { shown: hosts, hidden: {} };
  const room = Math.max(0, maxRows - 1);
  const ranked = [
    ...hosts.filter(broken),
    ...hosts.filter((h) => inFlight(h) && hasFailures(h)),
    ...hosts.filter((h) => inFlight(h) && !hasFailures(h)),
  ];
  const shownSet = new Set(ranked.slice(0, room));
  const hidden: Record<string, number> = {};
  for (const h of hosts) {
    if (shownSet.has(h)) continue;
    const kind = h.state === 'done' ? 'done' : h.state === 'pending' ? 'pending' : broken(h) ? 'failed' : 'in flight';
    hidden[kind] = (hidden[kind] ?? 0) + 1;
  }
  return { shown: hosts.filter((h) => shownSet.has(h)), hidden };
}

const ratio = (c: Counter): string => `${c.done - c.failed}/${c.done}`;

function HostRow({ host, tick, nameWidth }: { host: HostView; tick: number; nameWidth: number }) {
  const icon = broken(host) ? '✗' : host.state === 'done' ? '✓' : host.state === 'pending' ? '·' : SPINNER[tick % SPINNER.length]!;
  const color = broken(host) ? 'red' : hasFailures(host) ? 'yellow' : host.state === 'done' ? 'green' : undefined;
  const roles = host.roles.map((r) => ROLE_TAG[r]).join(',');
  const detail = broken(host)
    ? `${host.errorKind ? `${host.errorKind}: ` : ''}${host.error ?? ''}`
    : host.state === 'pending'
      ? ''
      : `in ${ratio(host.asDestination)}  out ${ratio(host.asSource)}  listeners ${host.listeners.up}` +
      (host.listeners.failed ? ` (${host.listeners.failed} failed)` : '');
  return (
    <Text wrap="truncate">
      <Text color={color}>{icon}</Text>
      {` ${host.name.padEnd(nameWidth)} ${roles.padEnd(22)} `}
      <Text color={color}>{host.state.padEnd(12)}</Text>
      <Text dimColor={!broken(host)}>{detail}</Text>
    </Text>
  );
}

/** One row per host, collapsed to `maxRows` lines with a "+180 done" line. */
export function HostRows({ hosts, maxRows, tick }: { hosts: HostView[]; maxRows: number; tick: number }) {
  const { shown, hidden } = pickRows(hosts, maxRows);
  const nameWidth = Math.min(24, Math.max(4, ...shown.map((h) => h.name.length)));
  const rest = Object.entries(hidden).map(([kind, n]) => `+${n} ${kind}`);
  return (
    <Box flexDirection="column">
      {shown.map((h) => (
        <HostRow key={h.name} host={h} tick={tick} nameWidth={nameWidth} />
      ))}
      {rest.length > 0 && <Text dimColor>{rest.join(', ')}</Text>}
    </Box>
  );
}
