/**
 * Accepted risks in scans: from settings (the TUI's `a`, by finding key and context) and from
 * `--accept-file FILE`, a YAML file a team keeps in its repository:
 *
 *   accepted:
 *     - check: container/privileged        # a check id
 *       selector:                          # every field optional; all given must match
 *         kind: DaemonSet
 *         namespace: monitoring            # `*` matches any run of characters
 *         name: node-exporter-*
 *         labels: { app.kubernetes.io/name: node-exporter }
 *       reason: needs host access to read node metrics (SEC-123)
 *       expires: 2026-06-30                # a date (valid through that day, UTC) or an ISO 8601 instant
 *     - key: "cluster/ingress-without-tls@Ingress/shop/web"   # or an exact finding key
 *       reason: …
 *       expires: …
 *
 * An accepted finding carries `accepted: true` and leaves scores and `--fail-on`; an expired
 * acceptance makes it count again, with a notice. Pure, apart from reading nothing: the
 * caller passes the file's text.
 */
import { parseDocument } from 'yaml';
import { sanitize } from '../engine/sanitize.js';
import type { Finding, FindingSubject } from '../engine/types.js';
import type { AcceptedRisk } from '../settings.js';
import type { Acceptance, ReportFinding } from './json.js';

export interface AcceptSelector {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AcceptRule {
  /** Check id; undefined when the rule names an exact `key`. */
  readonly checkId?: string;
  readonly key?: string;
  readonly selector: AcceptSelector;
  readonly reason: string;
  /** ISO 8601 instant; at and after it the rule no longer accepts. */
  readonly expiresAt: string;
  /** `FILE entry N`, for notices. */
  readonly origin: string;
}

/** A bad accept file: one line naming the file, the entry and what is wrong. */
export class AcceptFileError extends Error {}

const RULE_KEYS = new Set(['check', 'key', 'selector', 'reason', 'expires']);
const SELECTOR_KEYS = new Set(['kind', 'namespace', 'name', 'labels']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `2026-06-30` → the start of the next day (UTC); an ISO instant as written. */
export function parseExpiry(value: unknown): string | undefined {
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value.trim() : undefined;
  if (!text) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== text ? undefined : new Date(day + 86_400_000).toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? undefined : new Date(instant).toISOString();
}

/**
 * Parses an accept file. `knownCheck` says whether a check id exists; entries naming an
 * unknown check are kept out with a notice (they accept nothing — the safe direction).
 */
export function parseAcceptFile(text: string, file: string, knownCheck: (id: string) => boolean): { rules: AcceptRule[]; notices: string[] } {
  const where = sanitize(file, { maxLength: 200 });
  const fail = (what: string): never => { throw new AcceptFileError(`accept file ${where}: ${what}`); };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) fail(`not valid YAML: ${sanitize(doc.errors[0]!.message.split('\n')[0] ?? '', { maxLength: 200 })}`);
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || raw === undefined) return { rules: [], notices: [] };
  const list = Array.isArray(raw) ? raw : isRecord(raw) && Array.isArray(raw.accepted) ? raw.accepted : fail('expected a list under `accepted:`');
  const rules: AcceptRule[] = [];
  const notices: string[] = [];
  (list as unknown[]).forEach((entry, i) => {
    const origin = `${where} entry ${i + 1}`;
    const bad = (what: string): never => fail(`entry ${i + 1}: ${what}`);
    if (!isRecord(entry)) return bad('expected a mapping with check, selector, reason and expires');
    const unknown = Object.keys(entry).find((k) => !RULE_KEYS.has(k));
    if (unknown !== undefined) bad(`unknown field "${sanitize(unknown, { maxLength: 60 })}" (use check, key, selector, reason, expires)`);
    const { check, key, selector = {}, reason, expires } = entry;
    if (check === undefined && key === undefined) bad('needs a check id (check:) or a finding key (key:)');
    if (check !== undefined && (typeof check !== 'string' || !check.trim())) bad('check must be a check id such as container/privileged');
    if (key !== undefined && (typeof key !== 'string' || !key.includes('@'))) bad('key must be a finding key from a JSON report');
    if (typeof reason !== 'string' || !reason.trim()) bad('a reason is required');
    const expiresAt = parseExpiry(expires);
    if (!expiresAt) bad('expires must be a date (YYYY-MM-DD) or an ISO 8601 instant');
    if (!isRecord(selector)) bad('selector must be a mapping of kind, namespace, name, labels');
    const s = selector as Record<string, unknown>;
    const badSelector = Object.keys(s).find((k) => !SELECTOR_KEYS.has(k));
    if (badSelector !== undefined) bad(`unknown selector field "${sanitize(badSelector, { maxLength: 60 })}" (use kind, namespace, name, labels)`);
    for (const field of ['kind', 'namespace', 'name'] as const) {
      if (s[field] !== undefined && typeof s[field] !== 'string') bad(`selector.${field} must be a string`);
    }
    if (s.labels !== undefined && (!isRecord(s.labels) || Object.values(s.labels).some((v) => typeof v !== 'string'))) bad('selector.labels must map label names to string values');
    const checkId = typeof check === 'string' ? check.trim() : typeof key === 'string' ? key.slice(0, key.indexOf('@')) : undefined;
    if (checkId !== undefined && !knownCheck(checkId)) {
      notices.push(`${origin}: unknown check "${sanitize(checkId, { maxLength: 100 })}" — the entry accepts nothing`);
      return;
    }
    rules.push({
      ...(typeof check === 'string' ? { checkId: check.trim() } : {}),
      ...(typeof key === 'string' ? { key } : {}),
      selector: {
        ...(typeof s.kind === 'string' ? { kind: s.kind } : {}),
        ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}),
        ...(typeof s.name === 'string' ? { name: s.name } : {}),
        ...(isRecord(s.labels) ? { labels: s.labels as Record<string, string> } : {}),
      },
      reason: (reason as string).trim(),
      expiresAt: expiresAt as string,
      origin,
    });
  });
  return { rules, notices };
}

/** `2026-07-01 00:00 UTC`: an instant people read without doing time-zone sums. */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const globs = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else literally. */
function glob(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return pattern === '' || pattern === '*';
  if (!pattern.includes('*')) return pattern === value;
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    globs.set(pattern, re);
  }
  return re.test(value);
}

export function ruleMatches(rule: AcceptRule, finding: Finding, labelsOf: (subject: FindingSubject) => Readonly<Record<string, string>> | undefined): boolean {
  if (rule.key !== undefined && rule.key !== finding.key) return false;
  if (rule.checkId !== undefined && rule.checkId !== finding.checkId) return false;
  const s = rule.selector;
  const subject = finding.subject;
  if (s.kind !== undefined && !glob(s.kind, subject.kind)) return false;
  if (s.namespace !== undefined && !glob(s.namespace, subject.namespace)) return false;
  if (s.name !== undefined && !glob(s.name, subject.name)) return false;
  if (s.labels !== undefined) {
    const labels = labelsOf(subject);
    if (!labels) return false;
    for (const [k, v] of Object.entries(s.labels)) if (labels[k] !== v) return false;
  }
  return true;
}

export interface AcceptanceSources {
  readonly rules: readonly AcceptRule[];
  /** Settings acceptances of the scanned context (expired ones included). */
  readonly settings: readonly AcceptedRisk[];
  readonly labelsOf: (subject: FindingSubject) => Readonly<Record<string, string>> | undefined;
  readonly now: Date;
}

/**
 * Marks accepted findings. An unexpired acceptance (settings or file) wins over an expired
 * one; a finding covered only by expired ones counts again and is named in a notice.
 */
export function applyAcceptances(findings: readonly Finding[], sources: AcceptanceSources): { findings: ReportFinding[]; notices: string[] } {
  const now = sources.now.getTime();
  const byKey = new Map<string, AcceptedRisk[]>();
  for (const r of sources.settings) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const expired: ReportFinding[] = [];
  const out = findings.map((f): ReportFinding => {
    const candidates: Acceptance[] = [
      ...(byKey.get(f.key) ?? []).map((r) => ({ reason: r.reason, expiresAt: new Date(Date.parse(r.expiresAt)).toISOString(), source: 'settings' as const })),
      ...sources.rules.filter((r) => ruleMatches(r, f, sources.labelsOf)).map((r) => ({ reason: r.reason, expiresAt: r.expiresAt, source: 'accept-file' as const })),
    ];
    if (candidates.length === 0) return f.accepted ? { ...f, accepted: false } : f;
    // The acceptance that lasts longest is the one shown.
    const valid = candidates.filter((a) => Date.parse(a.expiresAt) > now).sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt))[0];
    if (valid) return { ...f, accepted: true, acceptance: valid };
    const last = candidates.sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt))[0]!;
    const counted: ReportFinding = { ...f, accepted: false, acceptance: { ...last, expired: true } };
    expired.push(counted);
    return counted;
  });
  const notices = expired.slice(0, 5).map((f) => `accepted risk expired ${utc(f.acceptance!.expiresAt)} and counts again: ${sanitize(f.key, { maxLength: 200 })} (${sanitize(f.acceptance!.reason, { maxLength: 120 })})`);
  if (expired.length > 5) notices.push(`${expired.length - 5} more expired accepted risks count again (see acceptance.expired in the JSON report)`);
  return { findings: out, notices };
}
