/**
 * Offline inputs of a scan: `--manifests PATH` (files, directories, `-` for stdin) and
 * `--vuln-report FILE`. Reading happens here (the files module); src/scan.ts only wires it in.
 */
import { readFile } from 'node:fs/promises';
import { runChecks, runChecksAsync, type RunOptions } from '../engine/run.js';
import type { Snapshot, SnapshotInput, SourceFile } from '../engine/snapshot.js';
import type { Check, CheckResult, Finding } from '../engine/types.js';
import { UserError, errorMessage } from '../errors.js';
import type { ManifestObject } from './manifest-parse.js';
import { isManifestCheck, manifestSnapshot, NOT_FROM_MANIFESTS, offlineMessage, offlineRemediation } from './manifest-scan.js';
import { loadManifests } from './manifests.js';

/** Every object of every `--manifests` target, in argument order; `-` may appear once. */
export async function loadManifestSet(targets: readonly string[], stdin?: NodeJS.ReadableStream): Promise<ManifestObject[]> {
  if (targets.filter((t) => t === '-').length > 1) throw new UserError('usage', '--manifests - (stdin) can be given only once');
  const out: ManifestObject[] = [];
  for (const target of targets) out.push(...(await loadManifests(target, { stdin })));
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
  readonly snapshot: Snapshot;
}

/**
 * Runs `checks` over manifest objects instead of a cluster: object-local checks run (findings
 * carry file and line), code checks read `files`, every other check is not applicable.
 */
export async function runOverManifests(
  objects: readonly ManifestObject[],
  checks: readonly Check[],
  input: Pick<SnapshotInput, 'files' | 'errors' | 'config'>,
  options: RunOptions & { readonly interactive?: boolean },
): Promise<ManifestRun> {
  const snapshot = manifestSnapshot(objects, input);
  const runnable = checks.filter((c) => c.layer === 'code' || isManifestCheck(c));
  const run = options.interactive ? runChecksAsync : runChecks;
  const { results, findings } = await run(snapshot, runnable, options);
  const byId = new Map(results.map((r) => [r.id, r]));
  const all = checks.map((c): CheckResult => {
    const ran = byId.get(c.id);
    if (ran) return ran;
    const result: CheckResult = {
      id: c.id, layer: c.layer, title: c.title, severity: options.severityOverrides?.[c.id] ?? c.severity,
      status: 'not-applicable', reason: NOT_FROM_MANIFESTS, findings: 0, durationMs: 0,
    };
    options.onResult?.(result, []);
    return result;
  });
  const offline = findings.map((f) => (f.layer === 'code' ? f : {
    ...f, message: offlineMessage(f.message), remediation: offlineRemediation(f.remediation, f.subject.file, f.subject.line),
  }));
  return { results: all, findings: offline, snapshot };
}
