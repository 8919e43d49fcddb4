/**
 * "New since last scan": compares a scan with a baseline — a previous JSON report
 * (`--baseline FILE`) or the compact record of the context's last scan kept in settings —
 * and builds that record. Pure; the caller reads and writes files and settings.
 *
 * Only checks that ran to a verdict (pass, fail, warn) this time can have fixed findings: a
 * check that became `unable` did not see its findings disappear. A scan limited with `-n`
 * only says something about those namespaces (and cluster-scoped objects).
 */
import { CHECKS } from '../../checks/index.js';
import { atLeast, SEVERITIES, severityRank, type Check, type CheckResult, type Finding, type Severity } from '../engine/types.js';
import type { LastScan } from '../settings.js';
import type { BaselineSummary } from './json.js';

export interface Baseline {
  readonly source: 'file' | 'last-scan';
  readonly at?: string;
  /** Finding key → severity. */
  readonly findings: ReadonlyMap<string, Severity>;
  /** Findings less severe than this were not recorded: they are never called new. */
  readonly minSeverity?: Severity;
}

export interface ParsedKey {
  readonly checkId: string;
  readonly kind?: string;
  /** Undefined for cluster-scoped objects and files. */
  readonly namespace?: string;
  readonly name?: string;
  readonly container?: string;
  readonly file?: string;
}

/** Reads a key built by findingKey (src/engine/run.ts); Kubernetes names hold no `/`, `:` or `#`. */
export function parseFindingKey(key: string): ParsedKey {
  const at = key.indexOf('@');
  const checkId = at < 0 ? key : key.slice(0, at);
  const where = at < 0 ? '' : key.slice(at + 1);
  if (where.startsWith('file:')) return { checkId, file: where.slice(5).replace(/#.*$/, '') };
  const [object = '', rest = ''] = splitOnce(where.replace(/#.*$/, ''), ':');
  const [kind, namespace, ...name] = object.split('/');
  return {
    checkId,
    ...(kind ? { kind } : {}),
    ...(namespace && namespace !== '_' ? { namespace } : {}),
    ...(name.length ? { name: name.join('/') } : {}),
    ...(rest ? { container: rest } : {}),
  };
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

export function baselineFromLastScan(record: LastScan): Baseline {
  return { source: 'last-scan', at: record.at, findings: new Map(Object.entries(record.findings)), ...(record.minSeverity ? { minSeverity: record.minSeverity } : {}) };
}

/** A previous `--format json` report. Throws an Error with a one-line reason when it is not one. */
export function baselineFromReport(text: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('not JSON (expected a report written by 4c-tui scan --format json)');
  }
  const report = raw as { schemaVersion?: unknown; startedAt?: unknown; findings?: unknown };
  if (typeof raw !== 'object' || raw === null || report.schemaVersion !== 1 || !Array.isArray(report.findings)) {
    throw new Error('not a 4c-tui JSON report with schemaVersion 1');
  }
  const findings = new Map<string, Severity>();
  for (const f of report.findings as unknown[]) {
    const item = f as { key?: unknown; severity?: unknown };
    if (typeof item?.key !== 'string' || !(SEVERITIES as readonly unknown[]).includes(item.severity)) {
      throw new Error('a finding without a key or severity (expected a report written by 4c-tui scan --format json)');
    }
    findings.set(item.key, item.severity as Severity);
  }
  return { source: 'file', ...(typeof report.startedAt === 'string' && !Number.isNaN(Date.parse(report.startedAt)) ? { at: report.startedAt } : {}), findings };
}

const DECIDED = new Set<CheckResult['status']>(['pass', 'fail', 'warn']);

export interface Comparison {
  readonly newKeys: ReadonlySet<string>;
  readonly fixed: BaselineSummary['fixed'];
}

/**
 * New = a workload-scope finding not in the baseline; fixed = in the baseline, its check
 * decided this time, and gone.
 */
export function compareWithBaseline(baseline: Baseline, results: readonly CheckResult[], findings: readonly Finding[], namespaces?: readonly string[]): Comparison {
  const newKeys = new Set<string>();
  for (const f of findings) {
    // Expected infrastructure is neither recorded nor news.
    if (f.scope === 'system' || baseline.findings.has(f.key)) continue;
    if (baseline.minSeverity && !atLeast(f.severity, baseline.minSeverity)) continue;
    newKeys.add(f.key);
  }
  const decided = new Set(results.filter((r) => DECIDED.has(r.status)).map((r) => r.id));
  const now = new Set(findings.map((f) => f.key));
  const fixed: { key: string; checkId: string; severity: Severity }[] = [];
  for (const [key, severity] of baseline.findings) {
    if (now.has(key)) continue;
    const parsed = parseFindingKey(key);
    if (!decided.has(parsed.checkId)) continue;
    if (namespaces?.length && parsed.namespace !== undefined && !namespaces.includes(parsed.namespace)) continue;
    fixed.push({ key, checkId: parsed.checkId, severity });
  }
  fixed.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.key.localeCompare(b.key));
  return { newKeys, fixed };
}

/** Most findings a settings record keeps (the file is rewritten on every settings change). */
export const LAST_SCAN_LIMIT = 20_000;

/**
 * The record to store after a scan: the previous record with the entries of every check
 * that decided this time replaced by what it found now (a partial scan keeps the rest).
 * System-scope findings are left out. Over `limit`, the least severe are dropped first.
 */
export function lastScanRecord(previous: LastScan | undefined, results: readonly CheckResult[], findings: readonly Finding[], at: Date, limit = LAST_SCAN_LIMIT): LastScan {
  const decided = new Set(results.filter((r) => DECIDED.has(r.status)).map((r) => r.id));
  const entries = new Map<string, Severity>();
  for (const [key, severity] of Object.entries(previous?.findings ?? {})) {
    if (!decided.has(parseFindingKey(key).checkId)) entries.set(key, severity);
  }
  // A previous cut still applies while entries of that record are kept.
  let minSeverity = entries.size > 0 ? previous?.minSeverity : undefined;
  for (const f of findings) if (f.scope !== 'system' && decided.has(f.checkId)) entries.set(f.key, f.severity);
  let kept = [...entries];
  if (kept.length > limit) {
    kept.sort((a, b) => severityRank(a[1]) - severityRank(b[1]));
    // Keep whole severities only, so "not recorded" means "less severe than minSeverity".
    const cut = kept[limit]![1];
    kept = kept.filter(([, s]) => severityRank(s) < severityRank(cut));
    const last = SEVERITIES[Math.max(0, severityRank(cut) - 1)]!;
    minSeverity = minSeverity && severityRank(minSeverity) < severityRank(last) ? minSeverity : last;
  }
  const record = Object.create(null) as Record<string, Severity>;
  for (const [key, severity] of kept) record[key] = severity;
  return { at: at.toISOString(), findings: record, ...(minSeverity ? { minSeverity } : {}) };
}

/**
 * A finding that was in the baseline and is gone, rebuilt from its key for the TUI's
 * "fixed" rows: the check's metadata and the subject the key names.
 */
export function fixedFinding(key: string, severity: Severity, catalog: readonly Check[] = CHECKS): Finding | undefined {
  const parsed = parseFindingKey(key);
  const check = catalog.find((c) => c.id === parsed.checkId);
  if (!check) return undefined;
  const subject = parsed.file !== undefined
    ? { kind: 'File', name: parsed.file, file: parsed.file }
    : { kind: parsed.kind ?? 'Object', name: parsed.name ?? '', ...(parsed.namespace ? { namespace: parsed.namespace } : {}), ...(parsed.container ? { container: parsed.container } : {}) };
  return {
    key, checkId: check.id, layer: check.layer, severity, status: 'fail', title: check.title,
    message: 'fixed since the last scan: no longer reported',
    subject, evidence: [], remediation: { why: check.description, fix: check.remediation }, references: check.references,
    scope: 'workload', accepted: false,
  };
}
