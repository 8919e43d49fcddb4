import { Box, Text } from 'ink';
import { sanitize } from '../src/engine/sanitize.js';
import type { Summary } from '../src/engine/summary.js';
import { SEVERITIES } from '../src/engine/types.js';
import type { Connection, ScanState } from './app-state.js';
import type { Theme } from './theme.js';

export interface HeaderProps {
  readonly connection: Connection;
  /** `--manifests` paths, shown beside (or instead of) the cluster. */
  readonly manifests?: readonly string[];
  readonly scan: ScanState;
  readonly summary: Summary;
  readonly width: number;
  readonly theme: Theme;
}

/** `[█████·····]` */
function bar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}]`;
}

export function Header({ connection, manifests, scan, summary, width, theme }: HeaderProps) {
  const files = manifests?.length ? `manifests ${manifests.join(', ')}` : undefined;
  const where = [connection.context && `ctx ${connection.context}`, connection.server, connection.version, files].filter(Boolean).map((s) => sanitize(String(s), { maxLength: 80 })).join('  ');
  let state: string;
  // The fault that makes what is shown incomplete: no cluster, or a run that could not read everything.
  let fault: string | undefined;
  if (connection.status === 'failed') fault = `${scan.completed ? 'not connected: ' : ''}${connection.message ?? 'no cluster'}`;
  else if (!scan.running && scan.completed && scan.notices?.length) {
    const first = scan.notices[0] ?? '';
    fault = `${first.startsWith('partial') ? '' : 'partial: '}${first}${scan.notices.length > 1 ? ` (+${scan.notices.length - 1} more)` : ''}`;
  }
  if (scan.running) {
    const phase = scan.kindsTotal > 0 && scan.kindsDone < scan.kindsTotal ? `fetching ${scan.kindsDone}/${scan.kindsTotal} kinds` : `checks ${scan.checksDone}/${scan.checksTotal}`;
    const progress = scan.kindsTotal + scan.checksTotal > 0 ? (scan.kindsDone + scan.checksDone) / (scan.kindsTotal + scan.checksTotal) : 0;
    state = `scanning ${scan.label ?? ''} ${bar(Math.round(progress * 100), 100, 10)} ${phase}  esc cancels`;
  } else if (scan.completed) {
    state = `scanned in ${((scan.durationMs ?? 0) / 1000).toFixed(1)}s`;
  } else {
    state = connection.status === 'failed' ? 'not connected' : 'not scanned yet — ctrl-r runs every check';
  }
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Text bold color={theme.accent}>4c-tui </Text>
        <Text wrap="truncate">{where}</Text>
        {connection.demo ? <Text bold inverse color={theme.warning}> DEMO CLUSTER </Text> : null}
      </Box>
      <Box>
        <Text wrap="truncate">
          <Text color={scan.running ? theme.accent : theme.muted}>{state}</Text>
          <Text>  </Text>
          {SEVERITIES.filter((s) => s !== 'info').map((s) => (
            <Text key={s} color={theme.severity[s]}>{`${s} ${summary.findings[s]}  `}</Text>
          ))}
          {fault ? <Text color={connection.status === 'failed' ? theme.error : theme.warning}>{`⚠ ${sanitize(fault, { maxLength: 300 })}`}</Text> : null}
        </Text>
      </Box>
    </Box>
  );
}
