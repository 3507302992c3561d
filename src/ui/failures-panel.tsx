import { Box } from 'ink';
import { Text } from './text.js';
import type { HostGap } from '../engine/run-summary.js';
import { groupFailures, rankFailures, type Failure } from '../report/failures.js';
import { VERDICT_COLOR } from './colors.js';
import { failureGroupText } from './format.js';

/**
 * What needs fixing, worst first: hosts that were not checked (with why), then
 * one line per rule broken on a destination (its failing ports and the
 * sources that saw it) with its hint; "+M more" for the rest (every single
 * path is in the reports). It never says "no failures" while a host is down:
 * the paths of a host that was not checked are unknown, not fine.
 */
export function FailuresPanel({
  failures,
  hostGaps = [],
  limit,
  finished = false,
}: {
  failures: Failure[];
  hostGaps?: HostGap[];
  limit: number;
  finished?: boolean;
}) {
  if (failures.length === 0 && hostGaps.length === 0) {
    return <Text color="green">{finished ? 'No failures' : 'No failures so far'}</Text>;
  }
  // Host lines first: one failed host hides more paths than any finding.
  const gapRows = hostGaps.slice(0, hostGaps.length && failures.length ? Math.max(1, Math.ceil(limit / 2)) : limit);
  const groups = groupFailures(rankFailures(failures));
  const top = groups.slice(0, Math.max(failures.length ? 1 : 0, limit - gapRows.length));
  return (
    <Box flexDirection="column">
      {hostGaps.length > 0 && <Text bold color="red">{`Not checked (${hostGaps.length} ${hostGaps.length === 1 ? 'host' : 'hosts'})`}</Text>}
      {gapRows.map((g) => (
        <Text key={`gap:${g.name}`} wrap="truncate" color="red">
          {`${g.name}: ${g.reason}`}
        </Text>
      ))}
      {hostGaps.length > gapRows.length && <Text dimColor>{`+${hostGaps.length - gapRows.length} more hosts not checked`}</Text>}
      {failures.length > 0 && <Text bold>{`Failures (${failures.length} paths, ${groups.length} findings)`}</Text>}
      {top.map((g) => (
        <Text key={g.key} wrap="truncate">
          <Text color={VERDICT_COLOR[g.verdict]}>{failureGroupText(g)}</Text>
          {g.hint ? <Text dimColor>{`  hint: ${g.hint}`}</Text> : null}
        </Text>
      ))}
      {groups.length > top.length && <Text dimColor>{`+${groups.length - top.length} more`}</Text>}
    </Box>
  );
}
