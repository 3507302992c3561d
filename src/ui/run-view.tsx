import { Box, useInput, useStdin } from 'ink';
import { Text } from './text.js';
import { FailuresPanel } from './failures-panel.js';
import { Header } from './header.js';
import { HostRows } from './host-rows.js';
import { MatrixView } from './matrix-view.js';
import { RecapView } from './recap-view.js';
import { hostGapsOfRun, hostsInOrder, tallyOfRun, type RunState } from './run-store.js';

export interface RunViewProps {
  state: RunState;
  /** Wall clock for elapsed time and the spinner; passed in so frames are reproducible. */
  now: number;
  /** Terminal height: the live frame must stay shorter, or ink redraws the whole screen each frame. */
  rows: number;
  /** The user asked to stop; the engine is cleaning up. */
  stopping?: boolean;
  failureLimit?: number;
}

// Header (two lines, a third for the headline), matrix (title row + 5 sources), footer and the three gaps between panels.
const FIXED = 3 + 6 + 1 + 3;

/**
 * Split the terminal between failures and hosts. One line is kept spare: ink
 * clears the whole screen on every frame once a frame is as tall as the
 * terminal, which flickers.
 */
export function layout(rows: number, failures: number, limit: number, hostGaps = 0): { failureLimit: number; hostRows: number } {
  const room = rows - 1 - FIXED;
  const failureLimit = Math.max(1, Math.min(limit, room - 3 - 2));
  // Findings and host gaps share the limit; each part has a title and a "+N more" line.
  const items = failures + hostGaps;
  const titles = (failures > 0 ? 1 : 0) + (hostGaps > 0 ? 1 : 0);
  const failureLines = items === 0 ? 1 : Math.min(failureLimit, items) + titles + (items > failureLimit ? titles : 0);
  return { failureLimit, hostRows: Math.max(1, room - failureLines) };
}

/** The whole live screen as a function of the store state. */
export function RunView({ state, now, rows, stopping = false, failureLimit = 5 }: RunViewProps) {
  const finished = state.result !== null;
  const hostGaps = hostGapsOfRun(state);
  // The final frame stays on screen after ink lets go: it keeps more findings
  // and host gaps than a live frame can afford (it is drawn once, no flicker).
  const fit = finished
    ? { ...layout(rows, state.failures.length, failureLimit, hostGaps.length), failureLimit: Math.max(failureLimit, 12) }
    : layout(rows, state.failures.length, failureLimit, hostGaps.length);
  return (
    <Box flexDirection="column">
      <Header state={state} now={now} />
      <Box marginTop={1}>
        {finished ? (
          <RecapView hostOrder={state.hostOrder} recap={state.recap} tally={tallyOfRun(state)} maxRows={Math.max(1, fit.hostRows - 2)} tasks={state.result?.tasks} paths={state.planned.probes + state.planned.outbound > 0} />
        ) : (
          <HostRows hosts={hostsInOrder(state)} maxRows={fit.hostRows} tick={Math.floor(now / 100)} />
        )}
      </Box>
      <Box marginTop={1}>
        <MatrixView matrix={state.roleMatrix} />
      </Box>
      <Box marginTop={1}>
        <FailuresPanel failures={state.failures} hostGaps={hostGaps} limit={fit.failureLimit} finished={finished} />
      </Box>
      {!finished && <Text dimColor>{stopping ? 'stopping: closing listeners…' : 'q or Ctrl-C: stop and clean up'}</Text>}
    </Box>
  );
}

/**
 * q and Ctrl-C ask the caller to stop (it stops the engine, which cleans up
 * and emits run-end); nothing is killed from here. Inactive when stdin cannot
 * do raw mode (not a TTY), where ink would otherwise throw.
 */
export function QuitKeys({ onQuit }: { onQuit: () => void }) {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
    },
    { isActive: isRawModeSupported },
  );
  return null;
}
