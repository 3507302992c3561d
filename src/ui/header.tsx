import { Box } from 'ink';
import { Text } from './text.js';
import { formatElapsed, formatRoleCounts } from './format.js';
import { HEADLINE_COLOR } from './colors.js';
import { elapsedMs, headlineOfRun, hostGapsOfRun, roleCounts, type RunState } from './run-store.js';

/**
 * What is being swept, how far it got, and what is wrong so far: failing
 * paths, exposures and hosts not checked are three numbers, never one, so a
 * run where most hosts failed can not read "0 failing". After the run the
 * third line is the engine's headline, the same one every report opens with.
 */
export function Header({ state, now }: { state: RunState; now: number }) {
  const hosts = Object.values(state.hosts);
  const connected = hosts.filter((h) => h.connected).length;
  const listenersUp = hosts.reduce((n, h) => n + h.listeners.up, 0);
  const exposed = state.failures.filter((f) => f.verdict === 'exposed').length;
  const failing = state.failures.length - (state.exposuresFail ? 0 : exposed);
  const notChecked = hostGapsOfRun(state).length;
  const headline = headlineOfRun(state);
  // The task running, as Ansible's banner names it; the phase when a task has no name.
  const phase = state.result ? (state.result.interrupted ? 'interrupted' : 'finished') : (state.task ?? state.phase ?? 'starting');
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
        {`  ${formatElapsed(elapsedMs(state, now))}  `}
        {/* What is wrong comes before progress, so a narrow terminal truncates progress, not findings. */}
        <Text color={failing > 0 ? 'red' : 'green'}>{`${failing} failing`}</Text>
        {exposed > 0 && <Text color="yellow">{`  ${exposed} exposed`}</Text>}
        {notChecked > 0 && <Text color="red" bold>{`  ${notChecked} ${notChecked === 1 ? 'host' : 'hosts'} not checked`}</Text>}
        {`  connected ${connected}/${state.hostOrder.length}`}
        {`  listeners ${listenersUp}/${state.planned.listeners}  probes ${state.probesDone}/${state.planned.probes}`}
        {`  outbound ${state.outboundDone}/${state.planned.outbound}`}
      </Text>
      {headline && (
        <Text wrap="wrap" bold color={HEADLINE_COLOR[headline.tone]}>
          {headline.text}
        </Text>
      )}
    </Box>
  );
}
