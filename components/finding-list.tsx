import { Box, Text } from 'ink';
import { rowLabel } from '../src/engine/filter.js';
import { sanitize } from '../src/engine/sanitize.js';
import { isGroup, type FindingRow, type ListRow } from './derive.js';
import { SEVERITY_LABEL, type Theme } from './theme.js';

export interface FindingListProps {
  readonly rows: readonly ListRow[];
  readonly cursor: number;
  readonly offset: number;
  readonly height: number;
  readonly width: number;
  readonly isFocused: boolean;
  readonly theme: Theme;
  readonly empty: string;
}

const MARK: Readonly<Record<NonNullable<FindingRow['mark']>, string>> = { new: 'NEW', fixed: 'FIXED', accepted: 'ACCEPTED' };

/** Label with the search's highlight ranges. Sanitised first: ranges index the clean label. */
function Highlighted({ text, ranges, color }: { text: string; ranges: FindingRow['ranges']; color?: string }) {
  if (ranges.length === 0) return <Text>{text}</Text>;
  const parts: React.ReactElement[] = [];
  let at = 0;
  ranges.forEach(([start, end], i) => {
    if (start > at) parts.push(<Text key={`t${i}`}>{text.slice(at, start)}</Text>);
    parts.push(<Text key={`m${i}`} bold underline color={color}>{text.slice(start, end)}</Text>);
    at = end;
  });
  if (at < text.length) parts.push(<Text key="rest">{text.slice(at)}</Text>);
  return <>{parts}</>;
}

/**
 * The windowed findings list: only the rows between offset and offset + height are
 * rendered, keyed by finding key, so a 50,000-finding list costs what a screenful costs.
 */
export function FindingList({ rows, cursor, offset, height, width, isFocused, theme, empty }: FindingListProps) {
  if (rows.length === 0) {
    return <Box height={height} width={width}><Text color={theme.muted}>{empty}</Text></Box>;
  }
  const visible = rows.slice(offset, offset + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((row, i) => {
        const selected = offset + i === cursor;
        if (isGroup(row)) {
          return (
            <Text key="system-group" wrap="truncate" inverse={selected && isFocused} color={theme.muted}>
              {selected ? (isFocused ? '› ' : '· ') : '  '}
              {`${row.group.expanded ? '▾' : '▸'} ${row.group.count} system-scope finding${row.group.count === 1 ? '' : 's'} (expected infrastructure; not counted) — enter ${row.group.expanded ? 'collapses' : 'expands'}`}
            </Text>
          );
        }
        const f = row.finding;
        const dim = row.mark === 'fixed' || row.mark === 'accepted' || f.scope === 'system';
        const raw = rowLabel(f);
        const label = sanitize(raw, { maxLength: 400 });
        // Highlight ranges index the raw label; if sanitising changed it, show it plain.
        const ranges = label === raw ? row.ranges : [];
        return (
          <Text key={`${row.mark === 'fixed' ? 'fixed:' : ''}${f.key}`} wrap="truncate" inverse={selected && isFocused} dimColor={dim && !selected}>
            {selected ? (isFocused ? '› ' : '· ') : '  '}
            <Text color={theme.severity[f.severity]}>{SEVERITY_LABEL[f.severity].padEnd(5)}</Text>
            {row.mark ? <Text color={row.mark === 'new' ? theme.warning : theme.success}>{`${MARK[row.mark]} `}</Text> : null}
            {f.scope === 'system' ? <Text color={theme.muted}>sys </Text> : null}
            {f.status === 'warn' ? <Text color={theme.warning}>warn </Text> : null}
            <Highlighted text={label} ranges={ranges} color={theme.match} />
          </Text>
        );
      })}
    </Box>
  );
}
