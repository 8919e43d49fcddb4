/**
 * Semantic colours and labels in one place (STYLE.md: components ask for tokens, not raw
 * colours). With colour off (NO_COLOR, --no-color) every token is undefined and the text
 * still carries the meaning (labels, marks).
 */
import type { CheckStatus, Severity } from '../src/engine/types.js';

export interface Theme {
  readonly color: boolean;
  readonly severity: Readonly<Record<Severity, string | undefined>>;
  readonly status: Readonly<Record<CheckStatus, string | undefined>>;
  readonly accent?: string;
  readonly muted?: string;
  readonly error?: string;
  readonly success?: string;
  readonly warning?: string;
  readonly match?: string;
}

export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = { critical: 'CRIT', high: 'HIGH', medium: 'MED', low: 'LOW', info: 'INFO' };
export const STATUS_LABEL: Readonly<Record<CheckStatus, string>> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', unable: 'UNABLE', 'not-applicable': 'N/A', error: 'ERROR' };

export function makeTheme(color: boolean): Theme {
  if (!color) {
    const none = { critical: undefined, high: undefined, medium: undefined, low: undefined, info: undefined };
    return { color, severity: none, status: { pass: undefined, fail: undefined, warn: undefined, unable: undefined, 'not-applicable': undefined, error: undefined } };
  }
  return {
    color,
    severity: { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' },
    status: { pass: 'green', fail: 'red', warn: 'yellow', unable: 'blue', 'not-applicable': 'gray', error: 'magenta' },
    accent: 'cyan', muted: 'gray', error: 'red', success: 'green', warning: 'yellow', match: 'yellow',
  };
}
