/**
 * The JSON report, schemaVersion 1 (DESIGN.md §3; schema/report.schema.json describes it and
 * the tests validate every report against it). Field order follows the contract. Additions
 * beyond the contract are optional and additive: a finding's `acceptance` (why it is, or was,
 * accepted) and `new` (against a baseline), and the top-level `baseline` and `notices`.
 */
import { summarize, type Summary } from '../engine/summary.js';
import { LAYERS, severityRank, type CheckResult, type Finding, type Layer, type Severity } from '../engine/types.js';

export interface ReportTarget {
  readonly context?: string;
  readonly server?: string;
  readonly namespaces: readonly string[] | 'all';
  readonly manifests?: readonly string[];
  readonly code?: string;
  readonly version?: string;
  readonly demo?: boolean;
}

/** Where an acceptance came from; an expired one no longer makes the finding `accepted`. */
export interface Acceptance {
  readonly reason: string;
  /** ISO 8601. */
  readonly expiresAt: string;
  readonly source: 'settings' | 'accept-file';
  readonly expired?: true;
}

export interface ReportFinding extends Finding {
  /** Set when an acceptance matched: `accepted` is true unless it has `expired`. */
  readonly acceptance?: Acceptance;
  /** Present only when the scan compared against a baseline: not in the baseline. */
  readonly new?: boolean;
}

/** What the scan was compared with (`--baseline FILE`, else the last scan of the context). */
export interface BaselineSummary {
  readonly source: 'file' | 'last-scan';
  /** When the baseline scan ran, when known. */
  readonly at?: string;
  /** Findings not in the baseline. */
  readonly new: number;
  /** Baseline findings of checks that ran again and no longer report them. */
  readonly fixed: readonly { readonly key: string; readonly checkId: string; readonly severity: Severity }[];
}

export interface ScanReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: '4c-tui'; readonly version: string };
  readonly target: ReportTarget;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly summary: Summary;
  readonly checks: readonly Omit<CheckResult, 'durationMs'>[];
  readonly findings: readonly ReportFinding[];
  readonly baseline?: BaselineSummary;
  /** One line each: missing data, expired acceptances, baseline problems. */
  readonly notices?: readonly string[];
}

export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  const layerRank = (l: Layer) => LAYERS.indexOf(l);
  return [...findings].sort((a, b) =>
    severityRank(a.severity) - severityRank(b.severity)
    || layerRank(a.layer) - layerRank(b.layer)
    || a.checkId.localeCompare(b.checkId)
    || a.key.localeCompare(b.key));
}

export function buildReport(input: {
  readonly version: string;
  readonly target: ReportTarget;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly results: readonly CheckResult[];
  readonly findings: readonly ReportFinding[];
  readonly baseline?: BaselineSummary;
  readonly notices?: readonly string[];
}): ScanReport {
  return {
    schemaVersion: 1,
    tool: { name: '4c-tui', version: input.version },
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    summary: summarize(input.results, input.findings),
    checks: input.results.map((r) => ({
      id: r.id, layer: r.layer, title: r.title, severity: r.severity, status: r.status,
      ...(r.reason ? { reason: r.reason } : {}), findings: r.findings,
    })),
    findings: sortFindings(input.findings),
    ...(input.baseline ? { baseline: input.baseline } : {}),
    ...(input.notices?.length ? { notices: input.notices } : {}),
  };
}
