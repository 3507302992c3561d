import { Box, Text } from 'ink';
import { rankFailures, type Failure } from '../report/failures.js';
import { VERDICT_COLOR } from './colors.js';
import { failureText } from './format.js';

/** The top failures, worst first, with their hints; "+M more" for the rest (all of them are in the reports). */
export function FailuresPanel({ failures, limit }: { failures: Failure[]; limit: number }) {
  if (failures.length === 0) return <Text color="green">No failures so far</Text>;
  const top = rankFailures(failures).slice(0, limit);
  return (
    <Box flexDirection="column">
      <Text bold>{`Failures (${failures.length})`}</Text>
      {top.map((f) => (
        <Text key={f.id} wrap="truncate">
          <Text color={VERDICT_COLOR[f.verdict]}>{failureText(f)}</Text>
          {f.hint ? <Text dimColor>{`  hint: ${f.hint}`}</Text> : null}
        </Text>
      ))}
      {failures.length > top.length && <Text dimColor>{`+${failures.length - top.length} more`}</Text>}
    </Box>
  );
}
