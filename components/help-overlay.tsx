import { Box, Text } from 'ink';
import { KEYMAP } from './keymap.js';
import type { Theme } from './theme.js';

/** Every binding, generated from the keymap; windowed when the terminal is short. */
export function HelpOverlay({ theme, height, width, offset }: { readonly theme: Theme; readonly height: number; readonly width: number; readonly offset: number }) {
  const labelWidth = Math.max(...KEYMAP.map((b) => b.label.length)) + 2;
  const rows = KEYMAP.slice(offset, offset + Math.max(1, height - 2));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={theme.accent}>Keys (esc closes)</Text>
      {rows.map((b) => (
        <Text key={b.command} wrap="truncate">
          <Text bold>{b.label.padEnd(labelWidth)}</Text>
          {b.description}
        </Text>
      ))}
      {offset + rows.length < KEYMAP.length ? <Text color={theme.muted}>… j/k for more</Text> : null}
    </Box>
  );
}
