import { Box, Text } from 'ink';
import { helpBar } from './keymap.js';
import type { Theme } from './theme.js';

/** The footer, generated from the keymap. */
export function HelpBar({ theme, width }: { readonly theme: Theme; readonly width: number }) {
  return (
    <Box width={width}>
      <Text wrap="truncate">
        {helpBar(width).map((item, i) => (
          <Text key={item.text}>
            {i > 0 ? '  ' : ''}
            <Text bold color={theme.accent}>{item.keys}</Text>
            <Text color={theme.muted}>{` ${item.text}`}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
