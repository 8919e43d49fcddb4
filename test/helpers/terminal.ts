/**
 * A fake terminal for rendering Ink apps outside a TTY: a resizable stdout that records every
 * frame and a stdin that delivers keys like a raw-mode terminal. No test-runner imports, so the
 * benchmark uses it too.
 */
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  columns: number;
  rows: number;
  readonly isTTY = true;
  frames: string[] = [];
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame(): string {
    return this.frames.at(-1) ?? '';
  }
}

export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  #data: string | null = null;
  write(data: string): void {
    this.#data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const data = this.#data;
    this.#data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
