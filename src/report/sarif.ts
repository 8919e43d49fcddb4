/**
 * SARIF 2.1.0 that GitHub code scanning accepts (DESIGN.md §3): one run, rules = the checks of
 * the scan (metadata from the catalog), results = findings.
 *
 * GitHub rejects a result without `physicalLocation.artifactLocation.uri` or with a URI
 * scheme, so every result has a repository-relative uri: the file (and line) for manifests
 * and code, and for cluster objects the pseudo-path
 * `cluster/<context>/<namespace|_cluster>/<kind>/<name>` plus the logical location
 * `Kind/namespace/name`. `partialFingerprints` carry the finding key, stable across runs, so
 * GitHub tracks an alert across scans. Accepted findings are kept, with a suppression.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { CHECKS } from '../../checks/index.js';
import { RESOURCES } from '../engine/resources.js';
import { sanitize } from '../engine/sanitize.js';
import type { Check, Finding, Severity } from '../engine/types.js';
import type { ReportFinding, ScanReport } from './json.js';

/** GitHub's bands: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

type Level = 'error' | 'warning' | 'note';
const LEVEL: Readonly<Record<Severity, Level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** A finding that needs human confirmation (`warn`) is one level softer. */
export function levelOf(severity: Severity, status: Finding['status']): Level {
  const level = LEVEL[severity];
  if (status !== 'warn') return level;
  return level === 'error' ? 'warning' : 'note';
}

export const FINGERPRINT = '4cTuiFindingKey/v1';

const KINDS = new Set<string>(RESOURCES.map((r) => r.kind));

export interface SarifOptions {
  /** Resolves relative file paths; default `process.cwd()`. URIs are relative to it. */
  readonly cwd?: string;
  readonly catalog?: readonly Check[];
}

const clean = (text: string, maxLength = 4096) => sanitize(text, { maxLength });
const cleanBlock = (text: string) => sanitize(text, { multiline: true, maxLength: 20_000 });

/** `Privileged` from `container/privileged`: GitHub shows rule names. */
function ruleName(id: string): string {
  const slug = id.slice(id.indexOf('/') + 1);
  return slug.split('-').map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join('');
}

/** One URI path segment: percent-encoded, never empty, never `.` or `..`. */
function segment(text: string): string {
  const s = encodeURIComponent(text || '_');
  return s === '.' || s === '..' ? s.replace(/\./g, '%2E') : s;
}

/** A repository-relative URI for a file path: `/` separators, no scheme, no leading `/` or `./`. */
export function fileUri(file: string, base: string | undefined, cwd: string): string {
  const joined = base !== undefined && !path.isAbsolute(file) ? path.join(base, file) : file;
  const absolute = path.resolve(cwd, joined);
  const relative = path.relative(cwd, absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  // Outside the working tree there is no repository path: keep the path, minus its root.
  const parts = (inside ? relative : absolute.replace(/^[a-zA-Z]:/, '')).split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  return parts.map((p) => encodeURIComponent(p)).join('/') || '_';
}

export function clusterUri(context: string | undefined, f: Pick<Finding, 'subject'>): string {
  const s = f.subject;
  return ['cluster', segment(context ?? '_'), segment(s.namespace ?? '_cluster'), segment(s.kind), segment(s.name)].join('/');
}

function logicalName(f: Finding): string {
  const s = f.subject;
  return [s.kind, ...(s.namespace ? [s.namespace] : []), s.name].join('/');
}

function helpMarkdown(check: Pick<Check, 'description' | 'remediation' | 'references'>): string {
  const refs = check.references.map((r) => `- [${r.title.replace(/[[\]]/g, '')}](${r.url})`);
  return [check.description, '', `**Remediation:** ${check.remediation}`, ...(refs.length ? ['', '**References:**', ...refs] : [])].join('\n');
}

function resultMessage(f: ReportFinding): string {
  const s = f.subject;
  const where = s.file !== undefined && !KINDS.has(s.kind)
    ? `${s.file}${s.line !== undefined ? `:${s.line}` : ''}`
    : `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}${s.container !== undefined ? ` (container ${s.container})` : ''}`;
  const fix = f.remediation.command ? `Fix: ${f.remediation.command}` : `Fix: ${f.remediation.fix}`;
  return cleanBlock(`${clean(f.message)}\n${clean(where)}\n${fix}`);
}

/** The finding key; a key with characters a terminal or viewer could misuse is hashed instead. */
export function fingerprint(key: string): string {
  return sanitize(key, { maxLength: 100_000 }) === key && !/[\u0080-\u009F]/.test(key) ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function renderSarif(report: ScanReport, options: SarifOptions = {}): object {
  const cwd = options.cwd ?? process.cwd();
  const catalog = options.catalog ?? CHECKS;
  const context = report.target.context;
  const ids = [...new Set([...report.checks.map((c) => c.id), ...report.findings.map((f) => f.checkId)])];
  const ruleIndex = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => {
    const ran = report.checks.find((c) => c.id === id);
    const known = catalog.find((c) => c.id === id);
    const finding = report.findings.find((f) => f.checkId === id);
    const severity = ran?.severity ?? known?.severity ?? finding?.severity ?? 'info';
    const layer = known?.layer ?? ran?.layer ?? finding?.layer ?? 'cluster';
    const title = known?.title ?? ran?.title ?? finding?.title ?? id;
    const references = known?.references ?? finding?.references ?? [];
    const description = known?.description ?? title;
    const remediation = known?.remediation ?? finding?.remediation.fix ?? '';
    const tags = [...new Set(['security', layer, ...references.map((r) => r.title)])].slice(0, 20);
    return {
      id,
      name: ruleName(id),
      shortDescription: { text: title },
      fullDescription: { text: description },
      ...(references[0] ? { helpUri: references[0].url } : {}),
      help: { text: `${remediation}${references.length ? `\nReferences: ${references.map((r) => `${r.title} ${r.url}`).join('; ')}` : ''}`, markdown: helpMarkdown({ description, remediation, references }) },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { tags, precision: 'high', 'security-severity': SECURITY_SEVERITY[severity], layer },
    };
  });

  const results = report.findings.map((f) => {
    const s = f.subject;
    const onFile = s.file !== undefined;
    const isObject = KINDS.has(s.kind);
    const uri = onFile ? fileUri(s.file as string, f.layer === 'code' ? report.target.code : undefined, cwd) : clusterUri(context, f);
    const physicalLocation = {
      artifactLocation: { uri },
      ...(onFile && s.line !== undefined && s.line >= 1 ? { region: { startLine: s.line } } : {}),
    };
    const logical = !onFile || isObject
      ? [{ fullyQualifiedName: clean(logicalName(f), 1000), name: clean(s.name, 500), kind: 'resource' }]
      : undefined;
    return {
      ruleId: f.checkId,
      ruleIndex: ruleIndex.get(f.checkId) as number,
      level: levelOf(f.severity, f.status),
      message: { text: resultMessage(f) },
      locations: [{ physicalLocation, ...(logical ? { logicalLocations: logical } : {}) }],
      partialFingerprints: { [FINGERPRINT]: fingerprint(f.key) },
      ...(f.accepted && f.acceptance ? { suppressions: [{ kind: 'external', status: 'accepted', justification: clean(f.acceptance.reason, 1000) }] } : {}),
      properties: {
        severity: f.severity,
        'security-severity': SECURITY_SEVERITY[f.severity],
        status: f.status,
        scope: f.scope,
        ...(f.new !== undefined ? { new: f.new } : {}),
        ...(f.remediation.command ? { command: cleanBlock(f.remediation.command) } : {}),
        ...(f.evidence.length ? { evidence: f.evidence.map((e) => `${clean(e.path, 500)} = ${clean(e.value, 500)}`) } : {}),
      },
    };
  });

  const notifications = report.checks
    .filter((c) => c.status === 'unable' || c.status === 'error')
    .map((c) => ({ level: c.status === 'error' ? 'error' : 'warning', message: { text: clean(`${c.id}: ${c.status}${c.reason ? ` — ${c.reason}` : ''}`) }, associatedRule: { id: c.id, index: ruleIndex.get(c.id) as number } }));

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: '4c-tui', version: report.tool.version, semanticVersion: report.tool.version, rules } },
      automationDetails: { id: `4c-tui/${context ? clean(context, 200) : 'local'}/` },
      invocations: [{
        executionSuccessful: true,
        startTimeUtc: report.startedAt,
        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
      }],
      columnKind: 'utf16CodeUnits',
      results,
      properties: { scores: Object.fromEntries(Object.entries(report.summary.layers).map(([l, s]) => [l, s.score])) },
    }],
  };
}
