import { Box, Text } from 'ink';
import type { Theme } from './theme.js';

export interface PromptLineProps {
  readonly prefix: string;
  readonly text: string;
  readonly placeholder?: string;
  readonly hint?: string;
  readonly theme: Theme;
}

/** One input line (search, command, dialog fields). A view: the app's input hook edits the text. */
export function PromptLine({ prefix, text, placeholder, hint, theme }: PromptLineProps) {
  return (
    <Box>
      <Text bold color={theme.accent}>{prefix}</Text>
      {text ? <Text>{text}</Text> : placeholder ? <Text color={theme.muted}>{placeholder}</Text> : null}
      <Text inverse> </Text>
      {hint ? <Text color={theme.muted}>{`  ${hint}`}</Text> : null}
    </Box>
  );
}

/**
 * Applies one key to a line of text. Returns the new text, `submit`, `cancel`, or
 * undefined when the key is not an edit. Pure, so the editing rules are unit-testable.
 */
export function editLine(text: string, input: string, key: { return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean; meta?: boolean; upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean; tab?: boolean }):
  { text: string } | 'submit' | 'cancel' | undefined {
  if (key.return) return 'submit';
  if (key.escape) return 'cancel';
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return undefined;
  if (key.backspace || key.delete) return { text: text.slice(0, -1) };
  if (key.ctrl && input === 'u') return { text: '' };
  if (key.ctrl || key.meta || !input) return undefined;
  // A paste arrives as one chunk; keep printable text only (no escape sequences).
  const printable = input.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
  return printable ? { text: text + printable } : undefined;
}
