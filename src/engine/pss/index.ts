/**
 * Pod Security Standards evaluator (CHECKS.md §6): a pure library with PSA's semantics, levels,
 * policy versions v1.0 … v1.37 and reason/detail strings. One module per check (`check-*.ts`),
 * one table (`registry.ts`).
 */
export type { PssCheck, PssCheckId, PssLevel, PssPolicyLevel, PssResult, PssViolation } from './types.js';
export { LATEST_PSS_VERSION, MAX_PSS_MINOR, PSS_VERSIONS, parsePssVersion, resolvePssMinor, type ResolveOptions } from './versions.js';
export { PSS_CHECKS, checkIdsFor, evaluateCheck, evaluatePod, formatPssMessage, overriddenBy, type EvaluateOptions } from './registry.js';
export { applyManifestDefaults } from './defaults.js';
export { BASELINE_CAPABILITIES } from './check-capabilities-baseline.js';

/** `baseline` / `restricted`, else undefined (PSA `api.ParseLevel`, without `privileged`). */
export function parsePssLevel(level: string): 'baseline' | 'restricted' | undefined {
  return level === 'baseline' || level === 'restricted' ? level : undefined;
}
