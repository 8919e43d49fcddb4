/**
 * Copy a remediation command or patch (DESIGN.md §4 keys `c`/`y`): an OSC 52 escape to the
 * terminal (works over SSH, no X needed) plus the system clipboard through clipboardy when
 * there is one. Never throws and never waits on the system clipboard longer than a timeout:
 * clipboardy spawns xsel/wl-copy/pbcopy, which can hang or fail slowly (STACK.md pitfall 11).
 */
import process from 'node:process';
import { errorMessage } from './errors.js';

export interface CopyResult {
  /** What was copied: the input without control characters. */
  text: string;
  /** The OSC 52 sequence was written to the terminal. */
  osc52: boolean;
  system: 'copied' | 'unavailable' | 'failed';
  /** Why a path was skipped or failed, one line. */
  detail?: string;
}

export interface CopyOptions {
  /** Terminal stream for OSC 52; written only when it is a TTY. Default `process.stdout`. */
  out?: NodeJS.WriteStream;
  /** `DISPLAY`, `WAYLAND_DISPLAY`, `TMUX`, WSL markers. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Give up on the system clipboard after this long. Default 1500 ms. */
  timeoutMs?: number;
  /** The system clipboard writer (tests). Default clipboardy's `write`, imported on first use. */
  system?: (text: string) => Promise<void>;
  /** Default `process.platform` (tests). */
  platform?: NodeJS.Platform;
}

/** Base64 payloads above this are not sent as OSC 52 (terminals cap it; xterm and tmux near 100 kB). */
export const OSC52_MAX_BASE64 = 100_000;
export const DEFAULT_COPY_TIMEOUT_MS = 1500;

const ESC = '\u001B';
const BEL = '\u0007';
// C0 except tab and newline, DEL, C1, and bidi controls (a pasted command must read as it runs).
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The clipboard payload: line ends normalised to `\n`, other control characters removed. */
export function clipboardText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}

/** OSC 52 sequence for the terminal; wrapped for tmux passthrough when inTmux (ESC Ptmux; … ESC \ with inner ESCs doubled). */
export function osc52(text: string, options: { inTmux?: boolean } = {}): string {
  const payload = Buffer.from(clipboardText(text), 'utf8').toString('base64');
  const sequence = `${ESC}]52;c;${payload}${BEL}`;
  return options.inTmux ? `${ESC}Ptmux;${sequence.replaceAll(ESC, ESC + ESC)}${ESC}\\` : sequence;
}

/**
 * Writes OSC 52 to `out` (when it is a TTY) and tries the system clipboard via clipboardy with
 * a timeout (default 1500 ms); never throws; never blocks the event loop beyond the write.
 */
export async function copy(text: string, options: CopyOptions = {}): Promise<CopyResult> {
  const env = options.env ?? process.env;
  const out = options.out ?? process.stdout;
  const platform = options.platform ?? process.platform;
  const timeoutMs = options.timeoutMs ?? DEFAULT_COPY_TIMEOUT_MS;
  const clean = clipboardText(String(text));
  const details: string[] = [];

  let wroteOsc52 = false;
  const base64Length = 4 * Math.ceil(Buffer.byteLength(clean, 'utf8') / 3);
  if (out?.isTTY !== true) {
    details.push('terminal copy (OSC 52) skipped: output is not a terminal');
  } else if (base64Length > OSC52_MAX_BASE64) {
    details.push(`terminal copy (OSC 52) skipped: ${base64Length} bytes encoded is over the ${OSC52_MAX_BASE64}-byte limit`);
  } else {
    try {
      out.write(osc52(clean, { inTmux: Boolean(env.TMUX) }));
      wroteOsc52 = true;
    } catch (error) {
      details.push(`terminal copy (OSC 52) failed: ${errorMessage(error)}`);
    }
  }

  let system: CopyResult['system'];
  const missing = headlessReason(env, platform);
  if (missing !== undefined) {
    system = 'unavailable';
    details.push(`no system clipboard (${missing})`);
  } else {
    const outcome = await within(attempt(options.system ?? clipboardyWrite, clean), timeoutMs);
    if (outcome === 'ok') {
      system = 'copied';
    } else {
      system = 'failed';
      details.push(outcome === 'timeout'
        ? `system clipboard did not answer within ${timeoutMs} ms`
        : `system clipboard failed: ${errorMessage(outcome.error)}`);
    }
  }

  const result: CopyResult = { text: clean, osc52: wroteOsc52, system };
  if (details.length > 0) result.detail = details.join('; ');
  return result;
}

/**
 * Why there is no system clipboard to try, or undefined. On X11/Wayland systems without a
 * display, clipboardy only fails after spawning xsel twice, with a misleading message.
 */
function headlessReason(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (platform === 'darwin' || platform === 'win32' || platform === 'android') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return undefined; // clipboardy uses clip.exe / PowerShell
  return 'no DISPLAY or WAYLAND_DISPLAY';
}

async function clipboardyWrite(text: string): Promise<void> {
  const { default: clipboard } = await import('clipboardy');
  await clipboard.write(text);
}

/** Runs `write`, turning a synchronous throw into a rejection. */
function attempt(write: (text: string) => Promise<void>, text: string): Promise<void> {
  try {
    return Promise.resolve(write(text));
  } catch (error) {
    return Promise.reject(error);
  }
}

async function within(promise: Promise<void>, ms: number): Promise<'ok' | 'timeout' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
    timer.unref();
  });
  try {
    // A late rejection after the timeout is already handled by this `then`.
    return await Promise.race([promise.then(() => 'ok' as const, (error: unknown) => ({ error })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
