import { Box, Text } from 'ink';
import { groupFailures, rankFailures, type Failure } from '../report/failures.js';
import { VERDICT_COLOR } from './colors.js';
import { failureGroupText } from './format.js';

/**
 * The findings, worst first: one line per rule broken on a destination (its
 * failing ports and the sources that saw it) with its hint; "+M more" for the
 * rest (every single path is in the reports).
 */
export function FailuresPanel({ failures, limit }: { failures: Failure[]; limit: number }) {
  if (failures.length === 0) return <Text color="green">No failures so far</Text>;
  const groups = groupFailures(rankFailures(failures));
  const top = groups.slice(0, limit);
  return (
    <Box flexDirection="column">
      <Text bold>{`Failures (${failures.length} paths, ${groups.length} findings)`}</Text>
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
