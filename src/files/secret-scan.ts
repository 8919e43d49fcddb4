// 4c-tui:ignore-file code/hardcoded-secret (this file defines the patterns)
/**
 * code/hardcoded-secret (CHECKS.md §5), line by line: the known credential formats of
 * src/engine/secret-patterns.ts (shared with the cluster layer) plus the generic high-entropy
 * assignment, with placeholder filtering. Pure: checks call it on the snapshot's files.
 * A match keeps the raw value only so `maskSecret` can describe it; callers must never print
 * `value` — they print `maskSecret(value)`.
 */
import { createHash } from 'node:crypto';
import { SECRET_FORMATS } from '../engine/secret-patterns.js';
import type { Severity } from '../engine/types.js';

export interface SecretMatch {
  /** 1-based line and column of the value. */
  readonly line: number;
  readonly column: number;
  /** What was found, e.g. `AWS access key id`. */
  readonly type: string;
  readonly severity: Severity;
  /** The secret itself: never display it, use `maskSecret`. */
  readonly value: string;
}

/** The known formats of src/engine/secret-patterns.ts (shared with the cluster layer), applied line by line. */
const PATTERNS = SECRET_FORMATS.map((format) => ({
  format,
  regex: new RegExp(format.pattern.source, format.pattern.flags.includes('g') ? format.pattern.flags : `${format.pattern.flags}g`),
}));

/** The credential inside a format match: the capture group, or the match without its `name: "` lead-in. */
function valueOf(match: RegExpExecArray): string {
  if (match[1] !== undefined) return match[1];
  return match[0].trim().replace(/^"?[\w-]+"?\s*[:=]\s*["']?/, '').replace(/["']$/, '') || match[0].trim();
}

const GENERIC = /(password|passwd|pwd|secret|token|api[_-]?key|client[_-]?secret)["']?\s*[:=]\s*["']([^"'\s]{8,})["']/gi;

/** Placeholders are not findings (CHECKS.md §5, code/hardcoded-secret). */
export function isPlaceholder(value: string): boolean {
  const v = value.toLowerCase();
  if (/example|changeme|change_me|change-me|dummy|xxxx|placeholder|redacted|replace|your[_-]|fake|sample|\*\*\*/.test(v)) return true;
  if (/<[^>]*>|\$\{[^}]*\}|\{\{.*\}\}|\$\(|^\$[A-Za-z_]|%\(|%[A-Z_]+%/.test(value)) return true;
  if (/process\.env|os\.environ|getenv|env\(|secretKeyRef|valueFrom/i.test(value)) return true;
  if (/^(.)\1+$/.test(value)) return true; // aaaaaaaa, 00000000
  return false;
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A safe description of a secret: a prefix of at most 4 characters and at most a quarter of
 * the value, its length, and a SHA-256 prefix (to match it against a rotated credential).
 */
export function maskSecret(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `${value.slice(0, shown)}… (${value.length} chars, sha256:${hash})`;
}

/**
 * Values that look like code or a reference rather than a literal credential: `getToken()`, a type
 * name, or a lower-case kebab/dotted/path identifier such as `cert-manager/webhook-ca`.
 */
function looksLikeCode(value: string): boolean {
  if (/^[A-Za-z_$][\w$]*(\.[\w$]+)*(\(|$)/.test(value) && !/\d/.test(value) && value.length < 40) return true;
  return /^[a-z0-9]+([._/:-][a-z0-9]+)+$/.test(value);
}

/** `randomBytes(24).toString(…)`: a value computed by code, not a literal. */
function isCall(value: string): boolean {
  return /[A-Za-z_$][\w$]*\(/.test(value);
}

/**
 * A private-key header counts only with key material after it: base64 after an escaped newline
 * on the same line (JSON, env files), or in the following lines (PEM files, YAML block scalars),
 * past blank lines and armour headers (`Version:`, `Proc-Type:`, `DEK-Info:`). A header alone
 * (documentation, a detection pattern) is not a key.
 */
function hasKeyMaterial(rest: string, following: readonly string[]): boolean {
  if (/^\s*(\\r)?\\n\s*[A-Za-z0-9+/=]{16,}/.test(rest)) return true;
  for (const raw of following) {
    const line = raw.trim().replace(/^["']/, '');
    if (line === '' || /^(Version|Comment|Proc-Type|DEK-Info|Hash):/.test(line)) continue;
    return /^[A-Za-z0-9+/=]{16,}["',]*$/.test(line);
  }
  return false;
}

/** Every credential in `text`, one match per value, in line order. */
export function scanSecrets(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.length > 4000) return; // minified bundles: not hand-written secrets
    const taken: [number, number][] = [];
    const overlaps = (start: number, end: number): boolean => taken.some(([s, e]) => start < e && end > s);
    for (const { format, regex } of PATTERNS) {
      regex.lastIndex = 0;
      for (let m = regex.exec(line); m; m = regex.exec(line)) {
        if (m[0].length === 0) regex.lastIndex++;
        if (format.accept && !format.accept(m)) continue;
        const value = valueOf(m);
        const start = Math.max(0, line.indexOf(value, m.index));
        if (overlaps(start, start + value.length)) continue;
        if (format.id === 'private-key' ? !hasKeyMaterial(line.slice(m.index + m[0].length), lines.slice(index + 1, index + 5)) : isPlaceholder(value) || isCall(value)) continue;
        taken.push([start, start + value.length]);
        out.push({ line: index + 1, column: start + 1, type: format.title, severity: format.severity, value });
      }
    }
    GENERIC.lastIndex = 0;
    for (let m = GENERIC.exec(line); m; m = GENERIC.exec(line)) {
      const value = m[2] ?? '';
      const start = m.index + m[0].lastIndexOf(value);
      if (overlaps(start, start + value.length)) continue;
      if (isPlaceholder(value) || looksLikeCode(value) || entropy(value) < 3.5) continue;
      taken.push([start, start + value.length]);
      out.push({ line: index + 1, column: start + 1, type: `hard-coded ${(m[1] ?? 'secret').toLowerCase()}`, severity: 'high', value });
    }
  });
  return out;
}
