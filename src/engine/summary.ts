/**
 * Counts and scores (pure). Score per layer, 0–100:
 *   100 × (1 − Σ weight(check) × penalty(check) / Σ weight(check))
 * over the layer's checks that ran (pass, fail, warn); weight by the check's severity
 * (critical 10, high 6, medium 3, low 1, info 0); penalty 1 when the check has a counted
 * `fail` finding, 0.5 when it has only counted `warn` findings, else 0. Counted = not
 * accepted and not system scope. `null` when no check of the layer ran.
 */
import { CHECK_STATUSES, LAYERS, SEVERITIES, type CheckResult, type CheckStatus, type Finding, type Layer, type Severity } from './types.js';

export interface LayerSummary {
  readonly score: number | null;
  readonly checks: number;
  readonly fail: number;
  readonly warn: number;
  readonly unable: number;
  readonly findings: number;
}

export interface Summary {
  readonly checks: Readonly<Record<CheckStatus, number>>;
  readonly findings: Readonly<Record<Severity, number>>;
  readonly layers: Readonly<Record<Layer, LayerSummary>>;
}

const WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 6, medium: 3, low: 1, info: 0 };

/** Findings that count for scores and `--fail-on`. */
export function counts(finding: Finding): boolean {
  return !finding.accepted && finding.scope !== 'system';
}

export function summarize(results: readonly CheckResult[], findings: readonly Finding[]): Summary {
  const checks = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;
  for (const r of results) checks[r.status] += 1;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity] += 1;

  const penalty = new Map<string, number>();
  for (const f of findings) {
    if (!counts(f)) continue;
    penalty.set(f.checkId, Math.max(penalty.get(f.checkId) ?? 0, f.status === 'fail' ? 1 : 0.5));
  }
  const layers = Object.fromEntries(LAYERS.map((layer) => {
    const mine = results.filter((r) => r.layer === layer);
    const ran = mine.filter((r) => r.status === 'pass' || r.status === 'fail' || r.status === 'warn');
    const total = ran.reduce((n, r) => n + WEIGHT[r.severity], 0);
    const lost = ran.reduce((n, r) => n + WEIGHT[r.severity] * (penalty.get(r.id) ?? 0), 0);
    const summary: LayerSummary = {
      score: total > 0 ? Math.round(100 * (1 - lost / total)) : null,
      checks: mine.length,
      fail: mine.filter((r) => r.status === 'fail').length,
      warn: mine.filter((r) => r.status === 'warn').length,
      unable: mine.filter((r) => r.status === 'unable').length,
      findings: findings.filter((f) => f.layer === layer).length,
    };
    return [layer, summary];
  })) as Record<Layer, LayerSummary>;
  return { checks, findings: bySeverity, layers };
}
