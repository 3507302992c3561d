import { Box } from 'ink';
import { Text } from './text.js';
import type { HostRecap } from '../engine/result.js';
import type { TaskCounts } from '../engine/task-counts.js';
import { emptyRecap, formatTally, recapFields, recapIsClean, tallyTone, type Tally } from '../report/tally.js';
import { HEADLINE_COLOR, RECAP_COLOR } from './colors.js';

function RecapRow({ name, recap, nameWidth, tasks, paths }: { name: string; recap: HostRecap; nameWidth: number; tasks?: TaskCounts; paths: boolean }) {
  const clean = recapIsClean(recap);
  const hostColor = recap.unreachable || recap.failed || recap.blocked || recap.error ? 'red' : clean ? 'green' : 'yellow';
  return (
    <Text wrap="truncate">
      <Text color={hostColor}>{name.padEnd(nameWidth)}</Text>
      {' : '}
      {recapFields(recap, tasks, paths).map((f) => (
        <Text key={f.label} color={RECAP_COLOR[f.tone]}>
          {`${f.label}=${String(f.value).padEnd(4)} `}
        </Text>
      ))}
    </Text>
  );
}

/**
 * PLAY RECAP in Ansible's shape and the Cyclonus tally. With more hosts than
 * rows, hosts that need attention are listed and clean ones counted; the full
 * recap is in the plain output and the reports.
 */
export function RecapView({
  hostOrder,
  recap,
  tally,
  maxRows,
  tasks,
  paths = true,
}: {
  hostOrder: string[];
  recap: Record<string, HostRecap>;
  tally: Tally;
  maxRows: number;
  tasks?: Record<string, TaskCounts>;
  paths?: boolean;
}) {
  const all = hostOrder.map((name) => ({ name, r: recap[name] ?? emptyRecap() }));
  const dirty = all.filter((h) => !recapIsClean(h.r));
  const shown = all.length <= maxRows ? all : dirty.slice(0, Math.max(0, maxRows - 1));
  const rest = [
    dirty.length > shown.length && all.length > maxRows ? `+${dirty.length - shown.length} more with findings` : '',
    all.length > maxRows ? `+${all.length - dirty.length} hosts ok` : '',
  ].filter(Boolean);
  const nameWidth = Math.min(26, Math.max(4, ...shown.map((h) => h.name.length)));
  return (
    <Box flexDirection="column">
      <Text bold>PLAY RECAP</Text>
      {shown.map((h) => (
        <RecapRow key={h.name} name={h.name} recap={h.r} nameWidth={nameWidth} tasks={tasks?.[h.name]} paths={paths} />
      ))}
      {rest.length > 0 && <Text dimColor>{rest.join(', ')}</Text>}
      <Text bold color={HEADLINE_COLOR[tallyTone(tally)]}>
        {formatTally(tally)}
      </Text>
    </Box>
  );
}
