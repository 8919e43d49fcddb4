/** The JSON report, schemaVersion 1 (DESIGN.md §3). Field order follows the contract. */
import { summarize, type Summary } from '../engine/summary.js';
import { LAYERS, severityRank, type CheckResult, type Finding, type Layer } from '../engine/types.js';

export interface ReportTarget {
  readonly context?: string;
  readonly server?: string;
  readonly namespaces: readonly string[] | 'all';
  readonly manifests?: readonly string[];
  readonly code?: string;
  readonly version?: string;
  readonly demo?: boolean;
}

export interface ScanReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: '4c-tui'; readonly version: string };
  readonly target: ReportTarget;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly summary: Summary;
  readonly checks: readonly Omit<CheckResult, 'durationMs'>[];
  readonly findings: readonly Finding[];
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
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
  readonly findings: readonly Finding[];
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
  };
}
