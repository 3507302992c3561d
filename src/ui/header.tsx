import { Box, Text } from 'ink';
import { formatElapsed, formatRoleCounts } from './format.js';
import { elapsedMs, roleCounts, type RunState } from './run-store.js';

/** Two lines: what is being swept, then how far it got. */
export function Header({ state, now }: { state: RunState; now: number }) {
  const hosts = Object.values(state.hosts);
  const connected = hosts.filter((h) => h.connected).length;
  const listenersUp = hosts.reduce((n, h) => n + h.listeners.up, 0);
  const failing = state.failures.length;
  const phase = state.result ? (state.result.interrupted ? 'interrupted' : 'finished') : (state.phase ?? 'starting');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>ece-preflight</Text>
        {'  '}
        <Text color="cyan">{state.inventory || '…'}</Text>
        {`  ${state.hostOrder.length} hosts (${formatRoleCounts(roleCounts(state))})`}
      </Text>
      <Text wrap="truncate">
        <Text bold>{phase}</Text>
        {`  ${formatElapsed(elapsedMs(state, now))}  connected ${connected}/${state.hostOrder.length}`}
        {`  listeners ${listenersUp}/${state.planned.listeners}  probes ${state.probesDone}/${state.planned.probes}`}
        {`  outbound ${state.outboundDone}/${state.planned.outbound}  `}
        <Text color={failing > 0 ? 'red' : 'green'}>{`${failing} failing`}</Text>
      </Text>
    </Box>
  );
}
