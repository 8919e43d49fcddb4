/**
 * Renders Ink apps in tests with a resizable fake terminal (ink-testing-library's stdout is
 * fixed at 100 columns with no rows). Tests wait on predicates over the plain-text frame —
 * never fixed sleeps (STYLE.md rule 10).
 */
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { FakeStdin, FakeStdout } from './terminal.js';

export { FakeStdin, FakeStdout };

export const KEYS = {
  enter: '\r', escape: '\u001B', tab: '\t', shiftTab: '\u001B[Z', up: '\u001B[A', down: '\u001B[B',
  right: '\u001B[C', left: '\u001B[D', pageDown: '\u001B[6~', pageUp: '\u001B[5~', ctrlR: '\u0012', backspace: '\u007F',
} as const;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

export interface Mounted {
  readonly stdout: FakeStdout;
  readonly stdin: FakeStdin;
  readonly instance: Instance;
  /** Plain text of the newest frame. */
  frame(): string;
  press(...keys: string[]): Promise<void>;
  /** Type text character by character, as a user would. */
  type(text: string): Promise<void>;
  waitFor(predicate: (frame: string) => boolean, message?: string, timeout?: number): Promise<string>;
  resize(columns: number, rows: number): void;
  unmount(): Promise<void>;
}

export async function mount(node: ReactElement, size: { columns?: number; rows?: number } = {}): Promise<Mounted> {
  const stdout = new FakeStdout(size.columns ?? 120, size.rows ?? 40);
  const stdin = new FakeStdin();
  const stderr = new FakeStdout(120, 40);
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => stdout.lastFrame().replace(ANSI, '');
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const m: Mounted = {
    stdout, stdin, instance, frame,
    async press(...keys) {
      for (const k of keys) {
        stdin.write(k);
        // Ink emits a lone Esc on the next tick; let it and the re-render run.
        await settle();
        await settle();
      }
    },
    async type(text) {
      for (const ch of text) await m.press(ch);
    },
    async waitFor(predicate, message = 'frame condition', timeout = 15_000) {
      await vi.waitFor(() => {
        if (!predicate(frame())) throw new Error(`timed out waiting for ${message}; last frame:\n${frame()}`);
      }, { timeout, interval: 10 });
      return frame();
    },
    resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    async unmount() {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
  return m;
}
