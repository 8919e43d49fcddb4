/**
 * Everything read from a cluster or a file is untrusted. Before text reaches a terminal or a
 * table/Markdown report, strip escape sequences (CSI, OSC incl. OSC 52, DCS/APC/PM/SOS),
 * C0/C1 controls and bidi overrides, and bound its length.
 */

// ESC-introduced sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC (ESC ] … BEL|ST), and 2-byte escapes.
const ESCAPE_SEQUENCES = /\u001B(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_]?)/g;
// 8-bit CSI / OSC / DCS … introduced by C1 bytes.
const C1_SEQUENCES = /[\u009B][0-?]*[ -/]*[@-~]?|[\u009D\u0090\u0098\u009E\u009F][^\u0007\u009C]*[\u0007\u009C]?/g;
// Remaining C0 (except tab and newline handled by the caller), DEL, C1, bidi controls.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export interface SanitizeOptions {
  /** Keep `\n` (multi-line fields such as a patch); otherwise newlines and tabs become spaces. */
  readonly multiline?: boolean;
  /** Longest output, in UTF-16 units; longer text ends with `…`. Default 4096. */
  readonly maxLength?: number;
}

export function sanitize(text: string, options: SanitizeOptions = {}): string {
  const maxLength = options.maxLength ?? 4096;
  let out = text.replace(ESCAPE_SEQUENCES, '').replace(C1_SEQUENCES, '');
  out = options.multiline ? out.replace(/\r\n?/g, '\n').replace(/\t/g, '  ') : out.replace(/[\t\r\n]+/g, ' ');
  out = out.replace(CONTROLS, '');
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}
