import { Box, Text } from 'ink';
import type { Summary } from '../src/engine/summary.js';
import { LAYERS, type Layer } from '../src/engine/types.js';
import type { Theme } from './theme.js';

const NAMES: Readonly<Record<Layer, string>> = { cloud: 'Cloud', cluster: 'Cluster', container: 'Container', code: 'Code' };

export interface TabsProps {
  readonly layer: Layer;
  readonly summary: Summary;
  readonly scanned: boolean;
  readonly theme: Theme;
}

/** `1 Cloud 62 ✗3 │ 2 Cluster …` — score and fail count per layer. */
export function Tabs({ layer, summary, scanned, theme }: TabsProps) {
  return (
    <Box>
      {LAYERS.map((l, i) => {
        const s = summary.layers[l];
        const detail = scanned ? ` ${s.score ?? '—'}${s.fail > 0 ? ` ✗${s.fail}` : ''}` : '';
        const active = l === layer;
        return (
          <Text key={l} wrap="truncate">
            {i > 0 ? <Text color={theme.muted}> │ </Text> : null}
            <Text bold={active} inverse={active} color={active ? theme.accent : undefined}>{` ${i + 1} ${NAMES[l]}${detail} `}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
