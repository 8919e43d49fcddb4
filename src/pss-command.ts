/**
 * `4c-tui pss FILE|DIR|- [--level baseline|restricted] [--version v1.N|latest] [--format table|json]`
 * (DESIGN.md §2): evaluates every Pod and pod template in the manifests against a Pod Security
 * Standard, the way Pod Security Admission would.
 *
 * Evaluated kinds: Pod (`v1`), PodTemplate and ReplicationController (`v1`), Deployment,
 * StatefulSet, DaemonSet, ReplicaSet (`apps/*`, `extensions/*`), Job and CronJob (`batch/*`);
 * objects of another API group with the same kind (e.g. a Volcano `Job`) are not pod templates
 * and are skipped. A template is evaluated with its own metadata (annotations) and spec; a Pod
 * also gets the API's hostNetwork hostPort defaulting (CHECKS.md §6.2).
 *
 * Exit codes: 0 every evaluated object is allowed (also when there is nothing to evaluate; the
 * table says so and JSON is `[]`), 1 at least one is denied. Bad input — an unknown level, a
 * malformed version, a missing or unparsable file (named with its line) — throws UserError (exit 2).
 * A version newer than the evaluator's newest (v1.37) evaluates the newest rules, as PSA does; the
 * `version` printed is always the policy version actually evaluated (`latest` → `v1.37`).
 */
import { applyManifestDefaults, evaluatePod, parsePssLevel, parsePssVersion, type PssLevel, type PssViolation } from './engine/pss/index.js';
import type { K8sObject, ObjectMeta, PodSpec } from './engine/k8s.js';
import { sanitize } from './engine/sanitize.js';
import { UserError } from './errors.js';
import { loadManifests, type ManifestObject } from './files/manifests.js';

export interface PssOptions {
  readonly level: PssLevel;
  readonly version: string;
  readonly format: 'table' | 'json';
}

export interface PssIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: (s: string) => void;
}

/** One entry of `pss --format json` (DESIGN.md §3). */
export interface PssReportEntry {
  readonly file: string;
  /** 1-based line where the object starts in `file` (the table's `file:line`). */
  readonly line: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly level: PssLevel;
  readonly version: string;
  readonly allowed: boolean;
  readonly violations: readonly PssViolation[];
}

interface PodSource {
  readonly meta: ObjectMeta | undefined;
  readonly spec: PodSpec;
}

const CORE = /^v1$/;
const APPS = /^(apps|extensions)\/[^/]+$/;
const BATCH = /^batch\/[^/]+$/;

/** Kind → the API groups it is a pod carrier in, and where its pod metadata/spec live. */
const CARRIERS: Readonly<Record<string, { readonly apiVersion: RegExp; readonly template: (o: Record<string, unknown>) => unknown }>> = {
  Pod: { apiVersion: CORE, template: (o) => o },
  PodTemplate: { apiVersion: CORE, template: (o) => o.template },
  ReplicationController: { apiVersion: CORE, template: (o) => field(o.spec, 'template') },
  Deployment: { apiVersion: APPS, template: (o) => field(o.spec, 'template') },
  StatefulSet: { apiVersion: APPS, template: (o) => field(o.spec, 'template') },
  DaemonSet: { apiVersion: APPS, template: (o) => field(o.spec, 'template') },
  ReplicaSet: { apiVersion: APPS, template: (o) => field(o.spec, 'template') },
  Job: { apiVersion: BATCH, template: (o) => field(o.spec, 'template') },
  CronJob: { apiVersion: BATCH, template: (o) => field(field(field(o.spec, 'jobTemplate'), 'spec'), 'template') },
};

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function field(value: unknown, key: string): unknown {
  return record(value)?.[key];
}

/** The pod metadata and spec an object carries, or undefined when it is not a pod carrier. */
export function podSourceOf(object: K8sObject): PodSource | undefined {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const carrier = CARRIERS[kind];
  if (!carrier) return undefined;
  // A missing apiVersion is tolerated (kubectl would reject it, but the intent is clear).
  if (object.apiVersion !== undefined && !(typeof object.apiVersion === 'string' && carrier.apiVersion.test(object.apiVersion))) return undefined;
  const holder = record(carrier.template(object as Record<string, unknown>));
  const meta = record(holder?.metadata) as ObjectMeta | undefined;
  const spec = (record(holder?.spec) ?? {}) as PodSpec;
  return { meta, spec: applyManifestDefaults(kind, spec) };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function evaluate(entry: ManifestObject, source: PodSource, level: PssLevel, version: string): PssReportEntry {
  const metadata = record(entry.object.metadata);
  const result = evaluatePod(source.meta, source.spec, level, version);
  return {
    file: entry.file,
    line: entry.line,
    kind: text(entry.object.kind),
    namespace: text(metadata?.namespace),
    name: text(metadata?.name) || text(metadata?.generateName),
    level,
    version: result.version,
    allowed: result.allowed,
    violations: result.violations,
  };
}

function renderTable(rows: readonly PssReportEntry[], level: PssLevel, version: string, target: string): string {
  if (rows.length === 0) return `no Pods or pod templates found in ${sanitize(target)}\n`;
  const lines: string[] = [];
  for (const entry of rows) {
    const id = entry.namespace ? `${entry.namespace}/${entry.name}` : entry.name;
    lines.push(`${entry.allowed ? 'ALLOWED' : 'DENIED '}  ${sanitize(entry.kind)} ${sanitize(id || '(unnamed)')}  ${sanitize(entry.file)}:${entry.line}`);
    for (const v of entry.violations) lines.push(`  - ${v.check}: ${sanitize(v.reason)} (${sanitize(v.detail)})`);
  }
  const denied = rows.filter((r) => !r.allowed).length;
  lines.push(`${level}:${version}: ${rows.length} evaluated, ${rows.length - denied} allowed, ${denied} denied`);
  return `${lines.join('\n')}\n`;
}

/** Runs the `pss` command; returns the exit code (0 all allowed, 1 any denied). */
export async function runPss(target: string, options: PssOptions, io: PssIo): Promise<number> {
  const level = parsePssLevel(options.level);
  if (!level) throw new UserError('usage', `--level must be baseline or restricted, got "${sanitize(String(options.level), { maxLength: 80 })}"`);
  const parsed = parsePssVersion(options.version);
  if (parsed === undefined) {
    throw new UserError('usage', `--version must be latest or v1.N (e.g. v1.30), got "${sanitize(String(options.version), { maxLength: 80 })}"`);
  }
  if (options.format !== 'table' && options.format !== 'json') {
    throw new UserError('usage', `--format must be table or json, got "${sanitize(String(options.format), { maxLength: 80 })}"`);
  }

  const objects = await loadManifests(target, { stdin: io.stdin });
  const rows: PssReportEntry[] = [];
  for (const object of objects) {
    const source = podSourceOf(object.object);
    if (source) rows.push(evaluate(object, source, level, options.version));
  }

  const resolved = rows[0]?.version ?? evaluatePod(undefined, {}, level, options.version).version;
  if (options.format === 'json') io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else io.stdout(renderTable(rows, level, resolved, target));
  return rows.every((r) => r.allowed) ? 0 : 1;
}
