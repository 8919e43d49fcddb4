/**
 * Vulnerability results files the user passes with `--vuln-report FILE` (the Code layer makes no
 * network request): `npm audit --json` (v2 and legacy v1 shapes), OSV-Scanner JSON and Trivy
 * JSON. Pure: normalises them to one package-level list.
 */
import type { Severity } from '../engine/types.js';

export type ReportFormat = 'npm-audit' | 'osv-scanner' | 'trivy';

export interface Vulnerability {
  readonly id: string;
  readonly severity: Severity;
  /** The first fixed version, when one exists. */
  readonly fixed?: string;
}

export interface VulnerablePackage {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  /** The lockfile or target the tool named (as written in the report). */
  readonly source: string;
  readonly vulnerabilities: readonly Vulnerability[];
}

export interface ParsedReport {
  readonly format: ReportFormat;
  readonly packages: readonly VulnerablePackage[];
}

/** CVSS base score → severity (CHECKS.md §5: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, else low). */
export function scoreSeverity(score: number): Severity {
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
}

export function wordSeverity(word: unknown): Severity {
  const w = String(word ?? '').toLowerCase();
  if (w === 'critical') return 'critical';
  if (w === 'high') return 'high';
  if (w === 'moderate' || w === 'medium') return 'medium';
  if (w === 'low') return 'low';
  return 'medium'; // unknown/unrated: not ignored, not inflated
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function npmAudit(json: Json): VulnerablePackage[] {
  const out: VulnerablePackage[] = [];
  if (json.auditReportVersion !== undefined || json.vulnerabilities !== undefined) {
    for (const [name, raw] of Object.entries(obj(json.vulnerabilities))) {
      const v = obj(raw);
      const advisories = arr(v.via).filter((x) => typeof x === 'object').map(obj);
      const fixAvailable = v.fixAvailable !== false && v.fixAvailable !== undefined;
      const vulns: Vulnerability[] = advisories.length > 0
        ? advisories.map((a) => ({ id: str(a.url).split('/').pop() || str(a.source) || str(a.title), severity: wordSeverity(a.severity), ...(fixAvailable ? { fixed: 'npm audit fix' } : {}) }))
        : [{ id: `via ${arr(v.via).map(str).join(', ')}`, severity: wordSeverity(v.severity), ...(fixAvailable ? { fixed: 'npm audit fix' } : {}) }];
      out.push({ ecosystem: 'npm', name, version: str(v.range) || '?', source: 'package-lock.json', vulnerabilities: vulns });
    }
    return out;
  }
  for (const raw of Object.values(obj(json.advisories))) {
    const a = obj(raw);
    const versions = [...new Set(arr(a.findings).map((f) => str(obj(f).version)))];
    const patched = str(a.patched_versions);
    out.push({
      ecosystem: 'npm', name: str(a.module_name), version: versions.join(', ') || '?', source: 'package-lock.json',
      vulnerabilities: [{ id: str(a.github_advisory_id) || str(a.cves && arr(a.cves)[0]) || str(a.id), severity: wordSeverity(a.severity), ...(patched && patched !== '<0.0.0' ? { fixed: patched } : {}) }],
    });
  }
  return out;
}

function osvScanner(json: Json): VulnerablePackage[] {
  const out: VulnerablePackage[] = [];
  for (const result of arr(json.results).map(obj)) {
    const source = str(obj(result.source).path);
    for (const p of arr(result.packages).map(obj)) {
      const pkg = obj(p.package);
      const groups = arr(p.groups).map(obj);
      const vulns = arr(p.vulnerabilities).map(obj).map((v): Vulnerability => {
        const id = str(v.id);
        const group = groups.find((g) => arr(g.ids).includes(id) || arr(g.aliases).includes(id));
        const score = Number(str(group?.max_severity));
        const severity = Number.isFinite(score) && str(group?.max_severity) !== '' ? scoreSeverity(score) : wordSeverity(obj(v.database_specific).severity);
        const fixed = arr(v.affected).map(obj).flatMap((a) => arr(a.ranges).map(obj)).flatMap((r) => arr(r.events).map(obj)).map((e) => str(e.fixed)).find(Boolean);
        return { id, severity, ...(fixed ? { fixed } : {}) };
      });
      if (vulns.length > 0) out.push({ ecosystem: str(pkg.ecosystem), name: str(pkg.name), version: str(pkg.version), source, vulnerabilities: vulns });
    }
  }
  return out;
}

function trivy(json: Json): VulnerablePackage[] {
  const byPackage = new Map<string, { ecosystem: string; name: string; version: string; source: string; vulnerabilities: Vulnerability[] }>();
  for (const result of arr(json.Results).map(obj)) {
    const source = str(result.Target);
    for (const v of arr(result.Vulnerabilities).map(obj)) {
      const key = `${source}|${str(v.PkgName)}|${str(v.InstalledVersion)}`;
      let entry = byPackage.get(key);
      if (!entry) {
        entry = { ecosystem: str(result.Type), name: str(v.PkgName), version: str(v.InstalledVersion), source, vulnerabilities: [] };
        byPackage.set(key, entry);
      }
      const fixed = str(v.FixedVersion);
      entry.vulnerabilities.push({ id: str(v.VulnerabilityID), severity: wordSeverity(v.Severity), ...(fixed ? { fixed } : {}) });
    }
  }
  return [...byPackage.values()];
}

/** Parses a results file; throws an Error naming the problem when the format is not recognised. */
export function parseVulnReport(text: string): ParsedReport {
  let json: Json;
  try {
    json = obj(JSON.parse(text));
  } catch {
    throw new Error('not JSON');
  }
  if (Array.isArray(json.Results) || (json.SchemaVersion !== undefined && json.ArtifactName !== undefined)) return { format: 'trivy', packages: trivy(json) };
  if (Array.isArray(json.results)) return { format: 'osv-scanner', packages: osvScanner(json) };
  if (json.auditReportVersion !== undefined || json.vulnerabilities !== undefined || json.advisories !== undefined) return { format: 'npm-audit', packages: npmAudit(json) };
  throw new Error('not an npm audit --json, OSV-Scanner or Trivy JSON report');
}
