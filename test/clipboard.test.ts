import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { clipboardText, copy, OSC52_MAX_BASE64, osc52 } from '../src/clipboard.js';

const ESC = '\u001B';
const BEL = '\u0007';

/** A fake terminal stream that records what is written. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const out = new PassThrough() as unknown as NodeJS.WriteStream;
  (out as { isTTY: boolean }).isTTY = isTTY;
  out.write = ((chunk: string) => { chunks.push(String(chunk)); return true; }) as never;
  return { out, written: () => chunks.join('') };
}

/** Parses a plain OSC 52 sequence back to the clipboard text. */
function decode(sequence: string): string {
  const match = /^\u001B\]52;c;([A-Za-z0-9+/=]*)\u0007$/.exec(sequence);
  if (!match) throw new Error(`not an OSC 52 sequence: ${JSON.stringify(sequence)}`);
  return Buffer.from(match[1]!, 'base64').toString('utf8');
}

/** Unwraps a tmux passthrough sequence (ESC Ptmux; … ESC \, inner ESCs doubled). */
function unwrapTmux(sequence: string): string {
  expect(sequence.startsWith(`${ESC}Ptmux;`)).toBe(true);
  expect(sequence.endsWith(`${ESC}\\`)).toBe(true);
  const inner = sequence.slice(`${ESC}Ptmux;`.length, -2);
  // every ESC inside is doubled: no lone ESC may remain that would end the passthrough early
  expect(inner.replaceAll(ESC + ESC, '')).not.toContain(ESC);
  return inner.replaceAll(ESC + ESC, ESC);
}

const display = { DISPLAY: ':0' };

describe('osc52', () => {
  it.each([
    'kubectl -n payments patch deployment api --type=json -p \'[{"op":"remove"}]\'',
    'ünïcödé → 日本語 🚀',
    'line one\n\tline two',
    '',
  ])('encodes %j so it decodes back to the same text', (text) => {
    const sequence = osc52(text);
    expect(sequence.startsWith(`${ESC}]52;c;`)).toBe(true);
    expect(sequence.endsWith(BEL)).toBe(true);
    expect(decode(sequence)).toBe(text);
  });

  it('wraps for tmux passthrough and parses back', () => {
    const text = 'kubectl get pods -A';
    const wrapped = osc52(text, { inTmux: true });
    expect(wrapped).toBe(`${ESC}Ptmux;${ESC}${ESC}]52;c;${Buffer.from(text).toString('base64')}${BEL}${ESC}\\`);
    expect(decode(unwrapTmux(wrapped))).toBe(text);
  });

  it('never carries an escape sequence or other control characters in the payload', () => {
    const hostile = `echo hi${ESC}]52;c;ZXZpbA==${BEL}${ESC}[2J\u009b31m\u0000\r\n\tok\u202Egnp.exe`;
    const decoded = decode(osc52(hostile));
    expect(decoded).toBe('echo hi]52;c;ZXZpbA==[2J31m\n\tokgnp.exe');
    expect(decoded).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202E]/);
  });
});

describe('clipboardText', () => {
  it('keeps newlines and tabs, normalises CRLF and drops the rest', () => {
    expect(clipboardText('a\r\nb\rc\td\u0007e\u007Ff\u0085g')).toBe('a\nb\nc\tdefg');
  });
});

describe('copy', () => {
  it('writes OSC 52 to a TTY and copies to the system clipboard', async () => {
    const { out, written } = stream(true);
    const system = vi.fn(async (_text: string) => {});
    const result = await copy('kubectl get ns', { out, env: display, system, platform: 'linux' });
    expect(result).toEqual({ text: 'kubectl get ns', osc52: true, system: 'copied' });
    expect(decode(written())).toBe('kubectl get ns');
    expect(system).toHaveBeenCalledWith('kubectl get ns');
  });

  it('does not write OSC 52 to a stream that is not a TTY', async () => {
    const { out, written } = stream(false);
    const result = await copy('x', { out, env: display, system: async () => {}, platform: 'linux' });
    expect(written()).toBe('');
    expect(result.osc52).toBe(false);
    expect(result.system).toBe('copied');
    expect(result.detail).toMatch(/OSC 52\) skipped: output is not a terminal/);
  });

  it('wraps OSC 52 for tmux when TMUX is set', async () => {
    const { out, written } = stream(true);
    await copy('kubectl get ns', { out, env: { ...display, TMUX: '/tmp/tmux-0/default,1,0' }, system: async () => {}, platform: 'linux' });
    expect(decode(unwrapTmux(written()))).toBe('kubectl get ns');
  });

  it('copies the text without control characters, to the terminal and the system clipboard', async () => {
    const { out, written } = stream(true);
    const system = vi.fn(async (_text: string) => {});
    const result = await copy(`rm -rf x${ESC}[8m hidden\u0000`, { out, env: display, system, platform: 'linux' });
    expect(result.text).toBe('rm -rf x[8m hidden');
    expect(decode(written())).toBe(result.text);
    expect(system).toHaveBeenCalledWith(result.text);
  });

  it('headless Linux: does not even try the system clipboard', async () => {
    const { out, written } = stream(true);
    const system = vi.fn(async (_text: string) => {});
    const result = await copy('kubectl get ns', { out, env: { TERM: 'xterm' }, system, platform: 'linux' });
    expect(system).not.toHaveBeenCalled();
    expect(result).toMatchObject({ osc52: true, system: 'unavailable' });
    expect(result.detail).toMatch(/no DISPLAY or WAYLAND_DISPLAY/);
    expect(decode(written())).toBe('kubectl get ns');
  });

  it('tries the system clipboard under Wayland, WSL and macOS without DISPLAY', async () => {
    for (const [env, platform] of [[{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'], [{ WSL_DISTRO_NAME: 'Ubuntu' }, 'linux'], [{}, 'darwin']] as const) {
      const system = vi.fn(async (_text: string) => {});
      const result = await copy('x', { out: stream(false).out, env, system, platform });
      expect(result.system).toBe('copied');
      expect(system).toHaveBeenCalledOnce();
    }
  });

  it('reports a failing system clipboard without throwing', async () => {
    const result = await copy('x', {
      out: stream(true).out, env: display, platform: 'linux',
      system: async () => { throw new Error("Couldn't find the `xsel` binary\nmore lines"); },
    });
    expect(result).toMatchObject({ osc52: true, system: 'failed' });
    expect(result.detail).toBe("system clipboard failed: Couldn't find the `xsel` binary");
  });

  it('reports a system clipboard that throws synchronously', async () => {
    const result = await copy('x', { out: stream(false).out, env: display, platform: 'linux', system: () => { throw new Error('boom'); } });
    expect(result.system).toBe('failed');
    expect(result.detail).toContain('system clipboard failed: boom');
  });

  it('gives up on a system clipboard that never answers', async () => {
    const started = Date.now();
    const result = await copy('x', { out: stream(true).out, env: display, platform: 'linux', timeoutMs: 50, system: () => new Promise<void>(() => {}) });
    expect(result).toMatchObject({ osc52: true, system: 'failed', detail: 'system clipboard did not answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a late rejection after the timeout is not unhandled', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const result = await copy('x', {
        out: stream(false).out, env: display, platform: 'linux', timeoutMs: 10,
        system: () => new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error('late')), 40)),
      });
      expect(result.system).toBe('failed');
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('skips OSC 52 over the size cap but still tries the system clipboard', async () => {
    const { out, written } = stream(true);
    const big = 'a'.repeat((OSC52_MAX_BASE64 / 4) * 3 + 1);
    const system = vi.fn(async (_text: string) => {});
    const result = await copy(big, { out, env: display, system, platform: 'linux' });
    expect(written()).toBe('');
    expect(result).toMatchObject({ osc52: false, system: 'copied' });
    expect(result.detail).toMatch(/over the 100000-byte limit/);
    // exactly at the cap is still sent
    const atCap = stream(true);
    const ok = await copy('a'.repeat((OSC52_MAX_BASE64 / 4) * 3), { out: atCap.out, env: display, system, platform: 'linux' });
    expect(ok.osc52).toBe(true);
    expect(decode(atCap.written()).length).toBe((OSC52_MAX_BASE64 / 4) * 3);
  });

  it('survives a terminal write that throws', async () => {
    const out = stream(true).out;
    out.write = (() => { throw new Error('EPIPE'); }) as never;
    const result = await copy('x', { out, env: {}, platform: 'linux' });
    expect(result).toMatchObject({ osc52: false, system: 'unavailable' });
    expect(result.detail).toContain('OSC 52) failed: EPIPE');
  });
});
