import { Box } from 'ink';
import { Text } from './text.js';
import { ROLES } from '../model/roles.js';
import { formatCell, SOURCE_ROWS, type RoleMatrix } from '../report/matrix.js';
import { VERDICT_COLOR } from './colors.js';

/** The live role x role matrix: rows are sources, columns destinations; each cell coloured by its worst verdict. */
export function MatrixView({ matrix }: { matrix: RoleMatrix }) {
  const labels = SOURCE_ROWS.map((src) => ROLES.map((dst) => formatCell(matrix[src][dst])));
  const width = Math.max(13, ...labels.flat().map((l) => l.length + 2));
  const first = 14;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text dimColor>{'from \\ to'.padEnd(first)}</Text>
        {ROLES.map((r) => (
          <Text key={r} bold>
            {r.padEnd(width)}
          </Text>
        ))}
      </Text>
      {SOURCE_ROWS.map((src, i) => (
        <Text key={src} wrap="truncate">
          <Text bold>{src.padEnd(first)}</Text>
          {ROLES.map((dst, j) => {
            const worst = matrix[src][dst].worst;
            return (
              <Text key={dst} color={worst ? VERDICT_COLOR[worst] : 'gray'}>
                {labels[i]![j]!.padEnd(width)}
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
}
