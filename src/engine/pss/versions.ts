/**
 * Policy versions (CHECKS.md §6.0, §6.1): `latest` or `v1.N`. The evaluator knows every rule up
 * to v1.37, the newest version in the conformance corpus; a requested version newer than that (or
 * than the cluster, when the caller passes the server's minor) evaluates the newest known rules,
 * exactly like PSA's registry does.
 */

/** The newest policy version this evaluator implements. */
export const MAX_PSS_MINOR = 37;
export const LATEST_PSS_VERSION = `v1.${MAX_PSS_MINOR}`;
/** Every pinnable policy version, oldest first: v1.0 … v1.37. */
export const PSS_VERSIONS: readonly string[] = Array.from({ length: MAX_PSS_MINOR + 1 }, (_, minor) => `v1.${minor}`);

const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/** PSA `api.ParseVersion`: `latest`, `v1.N`, or undefined when malformed (`1.30`, `v1.030`, `v2.0`). */
export function parsePssVersion(version: string): { major: 1; minor: number } | 'latest' | undefined {
  if (version === 'latest') return 'latest';
  const match = VERSION.exec(version);
  if (!match?.[1]) return undefined;
  const minor = Number(match[1]);
  return Number.isSafeInteger(minor) ? { major: 1, minor } : undefined;
}

export interface ResolveOptions {
  /**
   * The minor of the cluster the evaluation stands for (D-VER): rules newer than the server's own
   * PSA are not applied (CHECKS.md §6.1.5: M = min(evaluator maximum, server minor)).
   */
  readonly serverMinor?: number;
}

/**
 * The minor whose rules apply: `latest` and versions newer than the evaluator (or the server) use
 * the newest. A malformed version evaluates as `latest`, as PSA does for namespace labels; callers
 * that take the version from a user should reject it with `parsePssVersion` first.
 */
export function resolvePssMinor(version: string, options: ResolveOptions = {}): number {
  let ceiling = MAX_PSS_MINOR;
  if (options.serverMinor !== undefined && Number.isFinite(options.serverMinor)) ceiling = Math.max(0, Math.min(ceiling, Math.floor(options.serverMinor)));
  const parsed = parsePssVersion(version);
  if (parsed === undefined || parsed === 'latest') return ceiling;
  return Math.min(parsed.minor, ceiling);
}
