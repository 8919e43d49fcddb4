/**
 * Runs checks over a snapshot. Each check is isolated: a throwing check becomes `error`
 * with its message and the others go on. A check whose required data is missing (403,
 * not served, failed) is `unable` with the collector's reason — never a false `pass`.
 */
import type { Snapshot } from './snapshot.js';
import type { Check, CheckOutcome, CheckResult, CheckStatus, Finding, FindingDraft, FindingSubject, Severity } from './types.js';

export interface RunOptions {
  /** Severity per check id, replacing the check's default and any dynamic severity. */
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
  /** Marks findings the user accepted (settings, accept files). */
  readonly isAccepted?: (finding: Finding) => boolean;
  /** Called as each check completes, so a UI can stream results. */
  readonly onResult?: (result: CheckResult, findings: readonly Finding[]) => void;
  /** Checked between checks; a cancelled run returns what it has. */
  readonly signal?: AbortSignal;
}

export interface RunOutput {
  readonly results: readonly CheckResult[];
  readonly findings: readonly Finding[];
}

/** Stable across runs for the same check, subject and cause. */
export function findingKey(checkId: string, draft: Pick<FindingDraft, 'subject' | 'discriminator'>): string {
  const s = draft.subject;
  const where = s.file !== undefined ? `file:${s.file}` : `${s.kind}/${s.namespace ?? '_'}/${s.name}`;
  return `${checkId}@${where}${s.container !== undefined ? `:${s.container}` : ''}${draft.discriminator ? `#${draft.discriminator}` : ''}`;
}

function missingData(check: Check, snapshot: Snapshot): { status: 'unable' | 'not-applicable'; reason: string } | undefined {
  for (const need of check.needs) {
    if (snapshot.has(need)) continue;
    const error = snapshot.error(need);
    return { status: error?.code === 'not-requested' ? 'not-applicable' : 'unable', reason: error?.message ?? `not collected: ${need}` };
  }
  return undefined;
}

/**
 * Subject names are strings everywhere downstream (search index, sorting, reports); manifests
 * are untrusted and YAML turns `name: false` or `name: 1` into other types.
 */
function stringFields(subject: FindingSubject): FindingSubject {
  const { kind, namespace, name, container } = subject;
  if (typeof kind === 'string' && typeof name === 'string' && (namespace === undefined || typeof namespace === 'string') && (container === undefined || typeof container === 'string')) return subject;
  return {
    ...subject, kind: String(kind), name: String(name),
    ...(namespace !== undefined ? { namespace: String(namespace) } : {}),
    ...(container !== undefined ? { container: String(container) } : {}),
  };
}

/** Offline manifest scans: the subject gains the file and line of its object (the key stays as computed). */
function withSource(snapshot: Snapshot, raw: FindingSubject): FindingSubject {
  const subject = stringFields(raw);
  if (subject.file !== undefined || !snapshot.sources) return subject;
  const location = snapshot.sourceOf(subject.kind, subject.namespace, subject.name);
  return location ? { ...subject, file: location.file, line: location.line } : subject;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? 'unknown error';
}

function statusOf(outcome: CheckOutcome, findings: readonly Finding[]): CheckStatus {
  if (findings.some((f) => f.status === 'fail')) return 'fail';
  if (findings.length > 0) return 'warn';
  return outcome.status ?? 'pass';
}

/** Status precedence when one check ran over several inputs (manifest copies, cluster and files). */
const STATUS_WEIGHT: Readonly<Record<CheckStatus, number>> = { fail: 5, warn: 4, error: 3, unable: 2, pass: 1, 'not-applicable': 0 };

/**
 * One result from results of the same check over several inputs: the worst status (a
 * failure anywhere is a failure; a part that could not be checked keeps a pass from
 * claiming everything passed) with its reason, findings and time added up.
 */
export function combineResults(results: readonly CheckResult[]): CheckResult {
  const [first, ...rest] = results;
  if (!first) throw new Error('combineResults needs at least one result');
  let worst = first;
  for (const r of rest) if (STATUS_WEIGHT[r.status] > STATUS_WEIGHT[worst.status]) worst = r;
  const { reason: _reason, ...base } = worst;
  return {
    ...base,
    ...(worst.reason ? { reason: worst.reason } : {}),
    findings: results.reduce((n, r) => n + r.findings, 0),
    durationMs: results.reduce((n, r) => n + r.durationMs, 0),
  };
}

export function runCheck(check: Check, snapshot: Snapshot, options: RunOptions = {}): { result: CheckResult; findings: Finding[] } {
  const started = performance.now();
  const base = { id: check.id, layer: check.layer, title: check.title, severity: options.severityOverrides?.[check.id] ?? check.severity };
  const done = (status: CheckStatus, findings: Finding[], reason?: string) => ({
    result: { ...base, status, ...(reason ? { reason } : {}), findings: findings.length, durationMs: performance.now() - started },
    findings,
  });

  const missing = missingData(check, snapshot);
  if (missing) return done(missing.status, [], missing.reason);

  let outcome: CheckOutcome;
  try {
    outcome = check.evaluate(snapshot);
  } catch (error) {
    return done('error', [], messageOf(error));
  }

  const byKey = new Map<string, Finding>();
  for (const draft of outcome.findings) {
    const key = findingKey(check.id, draft);
    if (byKey.has(key)) continue;
    const finding: Finding = {
      key,
      checkId: check.id,
      layer: check.layer,
      severity: options.severityOverrides?.[check.id] ?? draft.severity ?? check.severity,
      status: draft.status ?? 'fail',
      title: check.title,
      message: draft.message,
      subject: withSource(snapshot, draft.subject),
      evidence: draft.evidence ?? [],
      remediation: draft.remediation,
      references: check.references,
      scope: draft.scope ?? (snapshot.isSystemNamespace(draft.subject.namespace) ? 'system' : 'workload'),
      accepted: false,
      ...(draft.subCheck ? { subCheck: draft.subCheck } : {}),
    };
    byKey.set(key, options.isAccepted?.(finding) ? { ...finding, accepted: true } : finding);
  }
  const findings = [...byKey.values()];
  return done(statusOf(outcome, findings), findings, outcome.reason);
}

/** Runs each check in turn, collecting results; yields after each so callers choose the pacing. */
function* runEach(snapshot: Snapshot, checks: readonly Check[], options: RunOptions, out: { results: CheckResult[]; findings: Finding[] }): Generator<void> {
  for (const check of checks) {
    if (options.signal?.aborted) return;
    const { result, findings } = runCheck(check, snapshot, options);
    out.results.push(result);
    out.findings.push(...findings);
    options.onResult?.(result, findings);
    yield;
  }
}

export function runChecks(snapshot: Snapshot, checks: readonly Check[], options: RunOptions = {}): RunOutput {
  const out = { results: [] as CheckResult[], findings: [] as Finding[] };
  for (const _ of runEach(snapshot, checks, options, out)) { /* run to the end */ }
  return out;
}

/**
 * The same as runChecks, yielding to the event loop every few milliseconds so an
 * interactive UI keeps drawing and can cancel between checks.
 */
export async function runChecksAsync(snapshot: Snapshot, checks: readonly Check[], options: RunOptions = {}): Promise<RunOutput> {
  const out = { results: [] as CheckResult[], findings: [] as Finding[] };
  let slice = performance.now();
  for (const _ of runEach(snapshot, checks, options, out)) {
    if (performance.now() - slice > 8) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  return out;
}
