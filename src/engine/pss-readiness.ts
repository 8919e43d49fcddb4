/**
 * Namespace-level Pod Security (CHECKS.md §3D, §6.1): the policy a namespace's labels select,
 * exactly as PSA's `api.PolicyToEvaluate` resolves them, and enforcement readiness — which level
 * could be enforced today without rejecting any of the namespace's workloads, evaluated with the
 * PSS evaluator (./pss) at the cluster's own policy version.
 */
import type { ObjectMeta } from './k8s.js';
import { describeWorkload } from './helpers.js';
import { evaluatePod, MAX_PSS_MINOR, parsePssVersion, type PssLevel, type PssPolicyLevel, type PssResult } from './pss/index.js';
import { command } from './shell.js';
import type { Snapshot, Workload } from './snapshot.js';

export const PSA_PREFIX = 'pod-security.kubernetes.io/';
export const PSA_MODES = ['enforce', 'audit', 'warn'] as const;
export type PsaMode = (typeof PSA_MODES)[number];

const LEVELS: readonly PssPolicyLevel[] = ['privileged', 'baseline', 'restricted'];

/** PSA `api.CompareLevels`: >0 when `a` is stricter. */
export function compareLevels(a: PssPolicyLevel, b: PssPolicyLevel): number {
  return LEVELS.indexOf(a) - LEVELS.indexOf(b);
}

export function isPssPolicyLevel(value: string): value is PssPolicyLevel {
  return (LEVELS as readonly string[]).includes(value);
}

export interface ModePolicy {
  readonly level: PssPolicyLevel;
  /** As PSA prints it: `latest` or `v1.N` (an invalid label reads as `latest`). */
  readonly version: string;
  /** The level label is present (valid or not). */
  readonly levelLabelled: boolean;
  /** Inherited from `enforce` (warn without its own label, §6.1.4). */
  readonly inherited?: boolean;
}

export interface LabelError {
  readonly mode: PsaMode;
  readonly label: string;
  readonly value: string;
  readonly kind: 'level' | 'version';
}

export interface NamespacePssPolicy {
  readonly enforce: ModePolicy;
  readonly audit: ModePolicy;
  readonly warn: ModePolicy;
  readonly errors: readonly LabelError[];
}

/**
 * PSA `api.PolicyToEvaluate` with the built-in defaults (privileged/latest): an invalid enforce
 * level is restricted (fail closed), an invalid audit/warn level privileged (fail open), an
 * invalid version latest; warn without its own level takes a stricter enforce level (and its
 * version unless warn-version is set).
 */
export function namespacePssPolicy(labels: Readonly<Record<string, string>> | undefined): NamespacePssPolicy {
  const l = labels ?? {};
  const errors: LabelError[] = [];
  const mode = (m: PsaMode): ModePolicy => {
    const levelLabel = `${PSA_PREFIX}${m}`;
    const versionLabel = `${PSA_PREFIX}${m}-version`;
    let level: PssPolicyLevel = 'privileged';
    let version = 'latest';
    const rawLevel = l[levelLabel];
    if (rawLevel !== undefined) {
      if (isPssPolicyLevel(rawLevel)) level = rawLevel;
      else {
        level = m === 'enforce' ? 'restricted' : 'privileged';
        errors.push({ mode: m, label: levelLabel, value: rawLevel, kind: 'level' });
      }
    }
    const rawVersion = l[versionLabel];
    if (rawVersion !== undefined) {
      if (parsePssVersion(rawVersion) !== undefined) version = rawVersion;
      else errors.push({ mode: m, label: versionLabel, value: rawVersion, kind: 'version' });
    }
    return { level, version, levelLabelled: rawLevel !== undefined };
  };
  const enforce = mode('enforce');
  const audit = mode('audit');
  let warn = mode('warn');
  if (!warn.levelLabelled && enforce.levelLabelled && compareLevels(enforce.level, warn.level) > 0) {
    const ownVersion = l[`${PSA_PREFIX}warn-version`] !== undefined;
    warn = { level: enforce.level, version: ownVersion ? warn.version : enforce.version, levelLabelled: false, inherited: true };
  }
  return { enforce, audit, warn, errors };
}

/** What a scan pins and evaluates for a namespace: the cluster's own minor (§6.1.5). */
export interface PinnedVersion {
  /** `v1.<server minor>`, or `latest` when the cluster version is unknown. */
  readonly pin: string;
  /** The cluster minor (D-VER), when known. */
  readonly serverMinor?: number;
  /** The policy version the evaluator applies (`v1.N`, capped at what it knows). */
  readonly evaluated: string;
  /** A note when the cluster is newer than the evaluator or its version is unknown. */
  readonly note?: string;
}

export function serverMinorOf(snapshot: Snapshot): number | undefined {
  if (!snapshot.has('version')) return undefined;
  const v = snapshot.version;
  const major = v?.major.replace(/\D/g, '') ?? '';
  const minor = v?.minor.replace(/\D/g, '') ?? '';
  return major === '1' && minor !== '' ? Number(minor) : undefined;
}

export function pinnedVersion(snapshot: Snapshot): PinnedVersion {
  const serverMinor = serverMinorOf(snapshot);
  if (serverMinor === undefined) {
    return { pin: 'latest', evaluated: `v1.${MAX_PSS_MINOR}`, note: 'cluster version unknown: evaluated at the newest policy the evaluator knows' };
  }
  const evaluated = `v1.${Math.min(serverMinor, MAX_PSS_MINOR)}`;
  return {
    pin: `v1.${serverMinor}`,
    serverMinor,
    evaluated,
    ...(serverMinor > MAX_PSS_MINOR ? { note: `evaluator older than cluster (v1.${serverMinor}): evaluated at ${evaluated}, newer checks missing` } : {}),
  };
}

export interface WorkloadVerdict {
  readonly workload: Workload;
  /** The first failing revision's result (newest first), or the newest revision's when allowed. */
  readonly result: PssResult;
  /** Only an older revision still running fails. */
  readonly olderRevisionOnly: boolean;
}

/**
 * One workload against (level, version): every pod spec it runs counts (PSA checks each pod);
 * the newest failing revision explains the rejection.
 */
export function evaluateWorkload(workload: Workload, level: PssPolicyLevel, version: string, serverMinor?: number): WorkloadVerdict {
  const options = serverMinor === undefined ? {} : { serverMinor };
  let first: PssResult | undefined;
  for (const [i, revision] of workload.revisions.entries()) {
    const result = evaluatePod(revision.meta as ObjectMeta, revision.spec, level, version, options);
    first ??= result;
    if (!result.allowed) return { workload, result, olderRevisionOnly: i > 0 };
  }
  return { workload, result: first ?? evaluatePod({}, {}, level, version, options), olderRevisionOnly: false };
}

export interface PssReadiness {
  readonly namespace: string;
  readonly version: PinnedVersion;
  /** Workloads evaluated (static control-plane pods excluded). */
  readonly workloads: readonly Workload[];
  /** Workloads each level would reject (their pods, or their next pods for templates). */
  readonly rejected: Readonly<Record<PssLevel, readonly WorkloadVerdict[]>>;
  /** The strictest level with zero rejections; undefined when even baseline would reject something. */
  readonly safeLevel?: PssLevel;
}

/** Workloads per namespace, static (mirror) pods left out: they are not admitted through PSA like other pods (§7 trap 4). */
export function workloadsByNamespace(snapshot: Snapshot): Map<string, Workload[]> {
  const out = new Map<string, Workload[]>();
  for (const w of snapshot.workloads()) {
    if (w.isStatic || w.namespace === '') continue;
    const list = out.get(w.namespace);
    if (list) list.push(w);
    else out.set(w.namespace, [w]);
  }
  return out;
}

/** Which level `namespace` could enforce now, evaluated at the cluster's minor. */
export function pssReadiness(namespace: string, workloads: readonly Workload[], version: PinnedVersion): PssReadiness {
  const rejectedAt = (level: PssLevel) => workloads
    .map((w) => evaluateWorkload(w, level, version.evaluated, version.serverMinor))
    .filter((v) => !v.result.allowed);
  const baseline = rejectedAt('baseline');
  // Restricted includes every baseline check that it does not override; evaluate it in full anyway.
  const restricted = rejectedAt('restricted');
  const safeLevel = restricted.length === 0 ? 'restricted' : baseline.length === 0 ? 'baseline' : undefined;
  return { namespace, version, workloads, rejected: { baseline, restricted }, ...(safeLevel ? { safeLevel } : {}) };
}

/** `Deployment "shop/api" (3 replicas) (privileged, hostPath volumes)` */
export function describeVerdict(v: WorkloadVerdict): string {
  const reasons = [...new Set(v.result.violations.map((x) => x.reason))].join(', ');
  return `${describeWorkload(v.workload)} (${reasons}${v.olderRevisionOnly ? '; older revision still running' : ''})`;
}

/** At most `max` names, then `and N more`. */
export function listVerdicts(verdicts: readonly WorkloadVerdict[], max = 5): string {
  const shown = verdicts.slice(0, max).map(describeVerdict).join(', ');
  return verdicts.length > max ? `${shown} and ${verdicts.length - max} more` : shown;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `kubectl label --overwrite ns <ns> pod-security.kubernetes.io/<mode>=<level> pod-security.kubernetes.io/<mode>-version=<v>` */
export function labelCommand(namespace: string, settings: readonly (readonly [PsaMode, PssPolicyLevel])[], version: string, options: { readonly dryRun?: boolean } = {}): string {
  const words = settings.flatMap(([mode, level]) => [`${PSA_PREFIX}${mode}=${level}`, `${PSA_PREFIX}${mode}-version=${version}`]);
  return `kubectl label${options.dryRun ? ' --dry-run=server' : ''} --overwrite ns ${command`${namespace}`}${words.map((w) => ` ${command`${w}`}`).join('')}`;
}

export interface ReadinessAdvice {
  /** One clause for a message: which level is safe, or who would be rejected at baseline. */
  readonly summary: string;
  /** The command(s) to copy. */
  readonly command: string;
  readonly fix: string;
}

/**
 * The readiness clause and commands for a namespace that does not enforce: enforce the highest
 * safe level (pinned to the cluster minor); when even baseline would reject workloads, turn on
 * `warn`/`audit` at baseline (never weakening stricter existing labels) and preview enforcement
 * with a server-side dry run, for which PSA returns a warning per violating existing pod.
 */
export function readinessAdvice(r: PssReadiness, current: NamespacePssPolicy): ReadinessAdvice {
  const v = r.version.pin;
  const at = `at ${r.version.evaluated}${r.version.note ? ` (${r.version.note})` : ''}`;
  const total = r.workloads.length;
  if (r.safeLevel) {
    const n = r.rejected.restricted.length;
    const none = total === 1 ? 'its only workload would not be rejected' : `none of its ${plural(total, 'workload')} would be rejected`;
    const summary = total === 0
      ? `no workloads run, so restricted is safe to enforce now`
      : r.safeLevel === 'restricted'
        ? `restricted is safe to enforce now: ${none} ${at}`
        : `baseline is safe to enforce now (${none} ${at}); restricted would reject ${n}: ${listVerdicts(r.rejected.restricted, 3)}`;
    const lines = [labelCommand(r.namespace, [['enforce', r.safeLevel]], v)];
    if (r.safeLevel === 'baseline') {
      const upgrade = PSA_MODES.filter((m) => m !== 'enforce' && compareLevels(current[m].level, 'restricted') < 0);
      if (upgrade.length > 0) {
        lines.push('# then surface restricted violations without blocking:', labelCommand(r.namespace, upgrade.map((m) => [m, 'restricted'] as const), v));
      }
    }
    return {
      summary,
      command: lines.join('\n'),
      fix: `Enforce ${r.safeLevel} pinned to the cluster's policy version ${v}${r.safeLevel === 'baseline' ? ', warn and audit at restricted, then fix the workloads restricted would reject and raise enforce' : ''}.`,
    };
  }
  const rejected = r.rejected.baseline;
  const lines: string[] = [];
  const upgrade = (['warn', 'audit'] as const).filter((m) => compareLevels(current[m].level, 'baseline') < 0);
  if (upgrade.length > 0) {
    lines.push('# report violations without blocking anything:', labelCommand(r.namespace, upgrade.map((m) => [m, 'baseline'] as const), v));
  }
  lines.push('# preview enforcement: the API server warns about each existing pod that would be rejected, and changes nothing', labelCommand(r.namespace, [['enforce', 'baseline']], v, { dryRun: true }));
  return {
    summary: `${plural(rejected.length, 'workload')} would be rejected at baseline: ${listVerdicts(rejected)}`,
    command: lines.join('\n'),
    fix: `Turn on warn and audit at baseline, fix the ${plural(rejected.length, 'workload')} baseline would reject (see the container checks), confirm with the server-side dry run that no pod is reported, then enforce baseline pinned to ${v}.`,
  };
}
