/**
 * Shared, pure helpers for the Code layer's checks (CHECKS.md §5.0): which files a check reads,
 * file:line subjects, the test/example-path cap at `low`, and `4c-tui:ignore <check-id>`
 * suppression on the same or the previous line.
 */
import type { Snapshot, SourceFile } from '../engine/snapshot.js';
import type { FindingDraft, FindingStatus, Remediation, Severity } from '../engine/types.js';
import { severityRank } from '../engine/types.js';
import { classify, isBotPath, isCiPath, isDockerfilePath, isLockPath, isTestPath } from './classify.js';

export type FileClass = 'docker' | 'k8s' | 'lock' | 'ci' | 'bot' | 'config' | 'source' | 'doc';

/** The classes of a file, from its path (the snapshot's `kind` is a hint, the path decides). */
export function classesOf(file: SourceFile): Set<FileClass> {
  const out = new Set<FileClass>();
  const path = file.path;
  if (file.kind === 'report') return out;
  if (isDockerfilePath(path) || file.kind === 'dockerfile') out.add('docker');
  if (isLockPath(path)) out.add('lock');
  if (isCiPath(path)) out.add('ci');
  if (isBotPath(path)) out.add('bot');
  const kind = classify(path) ?? file.kind;
  if (kind === 'manifest' && !out.has('ci') && !out.has('bot') && !out.has('lock')) out.add('k8s');
  if (kind === 'config') out.add('config');
  if (kind === 'source') out.add('source');
  if (kind === 'other') out.add('doc');
  return out;
}

/** The scanned files in any of `classes`, in path order. */
export function filesOf(snapshot: Snapshot, classes: readonly FileClass[]): SourceFile[] {
  return (snapshot.files?.files ?? []).filter((f) => {
    const own = classesOf(f);
    return classes.some((c) => own.has(c));
  });
}

export function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/**
 * `4c-tui:ignore <check-id>` on the line or the line before (CHECKS.md §5.0), or
 * `4c-tui:ignore-file <check-id>` in the first 10 lines (files that define detection patterns).
 */
export function isSuppressed(lines: readonly string[], line: number, checkId: string): boolean {
  const marker = `4c-tui:ignore ${checkId}`;
  if ((lines[line - 1] ?? '').includes(marker) || (lines[line - 2] ?? '').includes(marker)) return true;
  const fileMarker = `4c-tui:ignore-file ${checkId}`;
  return lines.slice(0, 10).some((l) => l.includes(fileMarker));
}

/** A whole-line comment in most languages and config formats. */
export function isCommentLine(line: string): boolean {
  return /^\s*(\/\/|#|\*|\/\*|<!--|--|;|REM\b)/.test(line);
}

export interface CodeHit {
  readonly file: SourceFile;
  readonly line: number;
  readonly column?: number;
  readonly message: string;
  /** Shown as the evidence value: never a secret. */
  readonly value: string;
  readonly remediation: Remediation;
  readonly severity?: Severity;
  readonly status?: FindingStatus;
  readonly discriminator?: string;
  /** The object the finding is about when it is not the file itself (a manifest's Secret). */
  readonly object?: { readonly kind: string; readonly name: string; readonly namespace?: string };
}

/** Collects findings for one check: suppression, file:line subjects, the test-path cap. */
export class CodeFindings {
  readonly drafts: FindingDraft[] = [];
  suppressed = 0;
  readonly #lines = new Map<string, string[]>();

  constructor(readonly checkId: string, readonly defaultSeverity: Severity) {}

  lines(file: SourceFile): string[] {
    let lines = this.#lines.get(file.path);
    if (!lines) {
      lines = splitLines(file.text);
      this.#lines.set(file.path, lines);
    }
    return lines;
  }

  add(hit: CodeHit): void {
    if (isSuppressed(this.lines(hit.file), hit.line, this.checkId)) {
      this.suppressed += 1;
      return;
    }
    const path = hit.file.path;
    const test = isTestPath(path);
    let severity = hit.severity ?? this.defaultSeverity;
    if (test && severityRank(severity) < severityRank('low')) severity = 'low';
    const where = `${path}:${hit.line}${hit.column ? `:${hit.column}` : ''}`;
    this.drafts.push({
      subject: hit.object
        ? { kind: hit.object.kind, ...(hit.object.namespace ? { namespace: hit.object.namespace } : {}), name: hit.object.name, file: path, line: hit.line }
        : { kind: 'File', name: path, file: path, line: hit.line },
      status: hit.status ?? 'fail',
      severity,
      message: `${where}: ${hit.message}${test ? ' (test/example path)' : ''}`,
      evidence: [{ path: where, value: hit.value.length > 200 ? `${hit.value.slice(0, 200)}…` : hit.value }],
      remediation: hit.remediation,
      discriminator: hit.discriminator ?? `${hit.line}:${hit.column ?? 0}`,
    });
  }

  /** A pass note saying how many findings inline comments suppressed. */
  note(): string | undefined {
    return this.suppressed > 0 ? `${this.suppressed} finding(s) suppressed by 4c-tui:ignore comments` : undefined;
  }
}

/** The trimmed source line, cut to a readable length (for evidence that is not a secret). */
export function snippet(line: string): string {
  const text = line.trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
