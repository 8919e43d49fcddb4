/**
 * Offline inputs of a scan: `--manifests PATH` (files, directories, `-` for stdin) and
 * `--vuln-report FILE`. Reading happens here (the files module); src/scan.ts only wires it in.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { combineResults, runChecks, runChecksAsync, type RunOptions } from '../engine/run.js';
import type { Snapshot, SnapshotInput, SourceFile } from '../engine/snapshot.js';
import type { Check, CheckResult, Finding } from '../engine/types.js';
import { UserError, errorMessage } from '../errors.js';
import type { ManifestObject } from './manifest-parse.js';
import { isManifestCheck, manifestSnapshots, NOT_FROM_MANIFESTS, offlineMessage, offlineRemediation } from './manifest-scan.js';
import { loadManifests } from './manifests.js';

/** Every object of every `--manifests` target, in argument order; `-` may appear once. */
export async function loadManifestSet(targets: readonly string[], stdin?: NodeJS.ReadableStream): Promise<ManifestObject[]> {
  if (targets.filter((t) => t === '-').length > 1) throw new UserError('usage', '--manifests - (stdin) can be given only once');
  const out: ManifestObject[] = [];
  // A file named twice (itself and inside a directory argument) is read once.
  const read = new Set<string>();
  for (const target of targets) {
    const objects = await loadManifests(target, { stdin });
    const files = new Set(objects.map((o) => (o.file === '<stdin>' ? o.file : resolve(o.file))));
    out.push(...objects.filter((o) => !read.has(o.file === '<stdin>' ? o.file : resolve(o.file))));
    for (const file of files) read.add(file);
  }
  return out;
}

/** `--vuln-report FILE`s as report files for code/dependency-vulnerabilities (parsed by the check). */
export async function readVulnReports(paths: readonly string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const path of paths) {
    try {
      out.push({ path, kind: 'report', text: await readFile(path, 'utf8') });
    } catch (error) {
      throw new UserError('input', `cannot read --vuln-report ${path}: ${errorMessage(error)} — pass the JSON written by npm audit --json, osv-scanner or trivy`);
    }
  }
  return out;
}

export interface ManifestRun {
  readonly results: readonly CheckResult[];
  readonly findings: readonly Finding[];
  /** Every object (the first copy of each), for label lookups and notices. */
  readonly snapshot: Snapshot;
}

/**
 * Runs `checks` over manifest objects instead of a cluster: object-local checks run (findings
 * carry file and line), code checks read `files`, every other check is not applicable.
 * Objects present in several files (overlays, one file per environment) are each checked,
 * and a finding's key names its file, so copies of one object never merge.
 */
export async function runOverManifests(
  objects: readonly ManifestObject[],
  checks: readonly Check[],
  input: Pick<SnapshotInput, 'files' | 'errors' | 'config'>,
  options: RunOptions & { readonly interactive?: boolean },
): Promise<ManifestRun> {
  const [first, ...copies] = manifestSnapshots(objects, input);
  const snapshot = first as Snapshot;
  const runnable = checks.filter((c) => c.layer === 'code' || isManifestCheck(c));
  const objectChecks = runnable.filter((c) => c.layer !== 'code');
  const run = options.interactive ? runChecksAsync : runChecks;
  // Results are reported once per check, after every copy has been checked.
  const quiet = { ...options, onResult: undefined, isAccepted: undefined };
  const runs = [await run(snapshot, runnable, quiet)];
  for (const copy of copies) runs.push(await run(copy, objectChecks, quiet));
  const resultsById = new Map<string, CheckResult[]>();
  for (const r of runs.flatMap((x) => x.results)) resultsById.set(r.id, [...(resultsById.get(r.id) ?? []), r]);

  const keys = new Set<string>();
  const findingsById = new Map<string, Finding[]>();
  for (const f of runs.flatMap((x) => x.findings)) {
    const located: Finding = f.layer === 'code' ? f : {
      ...f, key: manifestKey(f, keys), message: offlineMessage(f.message), remediation: offlineRemediation(f.remediation, f.subject.file, f.subject.line),
    };
    keys.add(located.key);
    const finding = options.isAccepted?.(located) ? { ...located, accepted: true } : located;
    findingsById.set(f.checkId, [...(findingsById.get(f.checkId) ?? []), finding]);
  }

  const results: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const c of checks) {
    const ran = resultsById.get(c.id);
    const result: CheckResult = ran ? combineResults(ran) : {
      id: c.id, layer: c.layer, title: c.title, severity: options.severityOverrides?.[c.id] ?? c.severity,
      status: 'not-applicable', reason: NOT_FROM_MANIFESTS, findings: 0, durationMs: 0,
    };
    const own = findingsById.get(c.id) ?? [];
    results.push(result);
    findings.push(...own);
    options.onResult?.(result, own);
  }
  return { results, findings, snapshot };
}

/**
 * A manifest finding's key names its file (the same object often sits in several files); a
 * second copy in the same file adds its line.
 */
function manifestKey(finding: Finding, taken: ReadonlySet<string>): string {
  const { file, line } = finding.subject;
  if (file === undefined) return finding.key;
  const key = `${finding.key}@${file}`;
  return taken.has(key) ? `${key}:${line ?? 0}` : key;
}
