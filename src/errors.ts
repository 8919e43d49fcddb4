/**
 * Errors the user can act on. Each carries one line naming the cause and the fix; the CLI
 * prints it to stderr and exits 2 (DESIGN.md §2) — never a stack trace.
 */

export type UserErrorKind =
  | 'usage' | 'no-kubeconfig' | 'bad-kubeconfig' | 'unknown-context'
  | 'unreachable' | 'unauthorized' | 'tls' | 'timeout' | 'exec-plugin' | 'input' | 'output';

export class UserError extends Error {
  readonly kind: UserErrorKind;
  constructor(kind: UserErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'UserError';
  }
}

/** First line of any thrown value, for places where an error becomes a status reason. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim() || 'unknown error';
}
