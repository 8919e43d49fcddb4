import { Box, Text } from 'ink';
import type { Check, CheckResult } from '../src/engine/types.js';
import { place } from './app-state.js';
import { SEVERITY_LABEL, STATUS_LABEL, type Theme } from './theme.js';

export interface CheckListProps {
  readonly checks: readonly Check[];
  readonly results: Readonly<Record<string, CheckResult>>;
  readonly cursor: number;
  readonly height: number;
  readonly width: number;
  readonly isFocused: boolean;
  readonly layerFindings: number;
  readonly theme: Theme;
}

/** The layer's checks: status, severity, title, count. Row 0 is every check of the layer. Windowed. */
export function CheckList({ checks, results, cursor, height, width, isFocused, layerFindings, theme }: CheckListProps) {
  const total = checks.length + 1;
  const { offset } = place(cursor, Math.max(0, cursor - Math.floor(height / 2)), total, height);
  const rows: React.ReactElement[] = [];
  for (let i = offset; i < Math.min(total, offset + height); i++) {
    const selected = i === cursor;
    const pointer = selected ? (isFocused ? '›' : '·') : ' ';
    if (i === 0) {
      rows.push(<Text key="all" wrap="truncate" inverse={selected && isFocused} bold>{`${pointer} ${'ALL'.padEnd(6)} ${''.padEnd(4)} all checks of this layer  ${layerFindings}`}</Text>);
      continue;
    }
    const check = checks[i - 1] as Check;
    const result = results[check.id];
    const status = result ? STATUS_LABEL[result.status] : '·';
    const count = result ? (result.findings > 0 ? String(result.findings) : result.reason ?? '') : '';
    rows.push(
      <Text key={check.id} wrap="truncate" inverse={selected && isFocused}>
        {`${pointer} `}
        <Text color={result ? theme.status[result.status] : theme.muted}>{status.padEnd(6)}</Text>
        {' '}
        <Text color={theme.severity[result?.severity ?? check.severity]}>{SEVERITY_LABEL[result?.severity ?? check.severity].padEnd(4)}</Text>
        {` ${check.title}  `}
        <Text color={theme.muted}>{count}</Text>
      </Text>,
    );
  }
  return <Box flexDirection="column" width={width} height={height}>{rows}</Box>;
}
