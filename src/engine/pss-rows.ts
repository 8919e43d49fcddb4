/**
 * Glue between the PSS evaluator (./pss) and the PSS-derived container checks of CHECKS.md §4:
 * which policy version a scan evaluates (§6.1), and attribution of a PSA violation to the pod
 * level and to individual containers. The evaluator stays the only source of pass/fail; the
 * attribution re-runs the same PSA check on reduced pod specs (pod fields only, or one container),
 * so Windows, `hostUsers: false` and per-version rules come along unchanged.
 */
import type { Container, ObjectMeta, PodSpec } from './k8s.js';
import { containersOf, findings, notApplicable, visitWorkloads, type ContainerRef } from './helpers.js';
import { evaluateCheck, MAX_PSS_MINOR, PSS_CHECKS, resolvePssMinor, type PssCheckId, type PssViolation } from './pss/index.js';
import { command, literal } from './shell.js';
import type { PodSpecRevision, Snapshot, Workload } from './snapshot.js';
import type { CheckOutcome, FindingDraft } from './types.js';

/** The policy version a scan evaluates: the newest known, capped at the cluster's minor (§6.1.5). */
export interface PssPolicy {
  /** Always `v1.N`. */
  readonly version: string;
  readonly minor: number;
  /** The cluster's minor (D-VER), when known. */
  readonly serverMinor?: number;
}

export function pssPolicy(snapshot: Snapshot): PssPolicy {
  const v = snapshot.version;
  const digits = v?.minor.replace(/\D/g, '') ?? '';
  const major = v?.major.replace(/\D/g, '') ?? '';
  const serverMinor = digits !== '' && major === '1' ? Number(digits) : undefined;
  const minor = resolvePssMinor('latest', serverMinor === undefined ? {} : { serverMinor });
  return { version: `v1.${minor}`, minor, ...(serverMinor === undefined ? {} : { serverMinor }) };
}

/** Minor of the first policy version that has `checkId` (e.g. 23 for runAsUser). */
export function pssFirstMinor(checkId: PssCheckId): number {
  const check = PSS_CHECKS.find((c) => c.id === checkId);
  return check?.versions[0]?.minimumMinor ?? 0;
}

/** `PSS v1.35 non-default capabilities: container "a" must not include …` */
export function psaText(violation: PssViolation, policy: PssPolicy): string {
  return `PSS ${policy.version} ${violation.reason}${violation.detail ? `: ${violation.detail}` : ''}`;
}

/** The pod spec with no containers: only pod-level fields are left to fail. */
export function podOnly(spec: PodSpec): PodSpec {
  return { ...spec, initContainers: [], containers: [], ephemeralContainers: [] };
}

/** The pod spec with exactly one container (PSA does not care which list it came from). */
export function withOnly(spec: PodSpec, container: Container): PodSpec {
  return { ...spec, initContainers: [], containers: [container], ephemeralContainers: [] };
}

export interface PssAttribution {
  /** The whole pod's violation: the decision. */
  readonly violation: PssViolation;
  /** The violation of the pod-level fields alone (no containers), if any. */
  readonly pod?: PssViolation;
  /** Containers that fail on their own, evaluated against the pod-level fields after `fixPod`. */
  readonly containers: readonly { readonly ref: ContainerRef; readonly violation: PssViolation }[];
}

export interface AttributeOptions {
  /**
   * The pod with its pod-level violation fixed (e.g. the pod-level `seccompProfile` removed), so
   * that a container is attributed only for what it does itself. Used only when the pod level fails.
   */
  readonly fixPod?: (meta: ObjectMeta, spec: PodSpec) => { readonly meta: ObjectMeta; readonly spec: PodSpec };
}

/** Evaluate one PSA check on a pod spec and, if it fails, attribute the failure. */
export function attributePss(
  checkId: PssCheckId, meta: ObjectMeta, spec: PodSpec, policy: PssPolicy, options: AttributeOptions = {},
): PssAttribution | undefined {
  const violation = evaluateCheck(checkId, meta, spec, policy.version);
  if (!violation) return undefined;
  const pod = evaluateCheck(checkId, meta, podOnly(spec), policy.version);
  const base = pod && options.fixPod ? options.fixPod(meta, spec) : { meta, spec };
  const containers: { ref: ContainerRef; violation: PssViolation }[] = [];
  for (const ref of containersOf(spec)) {
    const v = evaluateCheck(checkId, base.meta, withOnly(base.spec, ref.container), policy.version);
    if (v) containers.push({ ref, violation: v });
  }
  return { violation, ...(pod ? { pod } : {}), containers };
}

/** A pod security context with some fields removed (for `fixPod`). */
export function withoutPodFields(spec: PodSpec, ...fields: string[]): PodSpec {
  const sc: Record<string, unknown> = { ...(spec.securityContext ?? {}) };
  for (const f of fields) delete sc[f];
  return { ...spec, securityContext: sc };
}

export interface PssRowContext {
  readonly workload: Workload;
  readonly revision: PodSpecRevision;
  readonly policy: PssPolicy;
}

export interface PssRow {
  readonly checkId: PssCheckId;
  /** Turns one workload revision into findings; return [] when the row does not report it. */
  readonly visit: (ctx: PssRowContext) => readonly FindingDraft[];
  /** Linux-only control: with no findings and only Windows pods the row does not apply (§7 trap 5). */
  readonly linuxOnly?: boolean;
}

export function isWindows(spec: PodSpec): boolean {
  return spec.os?.name === 'windows';
}

/**
 * Runs a PSS-derived row over every workload (once per top owner, static pods skipped) at the
 * scan's policy version. A check that does not exist yet at that version does not apply.
 */
export function evaluatePssRow(snapshot: Snapshot, row: PssRow): CheckOutcome {
  const policy = pssPolicy(snapshot);
  const first = pssFirstMinor(row.checkId);
  if (first > policy.minor) {
    return notApplicable(`PSS check ${row.checkId} exists from policy v1.${first}; this cluster evaluates ${policy.version}`);
  }
  const drafts = visitWorkloads(snapshot, (workload, revision) => {
    const out = row.visit({ workload, revision, policy });
    // §7 trap 5: a Windows workload without spec.os.name is evaluated as Linux (PSA does the same); say how to fix that.
    const nodeSelector = revision.spec.nodeSelector as Readonly<Record<string, unknown>> | undefined;
    if (!row.linuxOnly || isWindows(revision.spec) || nodeSelector?.['kubernetes.io/os'] !== 'windows') return out;
    return out.map((d) => ({ ...d, message: `${d.message}; the pod is scheduled to Windows nodes (nodeSelector kubernetes.io/os=windows) but does not set spec.os.name: windows, so it is evaluated as a Linux pod — set it` }));
  });
  if (drafts.length === 0 && row.linuxOnly) {
    const workloads = snapshot.workloads().filter((w) => !w.isStatic);
    if (workloads.length > 0 && workloads.every((w) => w.revisions.every((r) => isWindows(r.spec)))) {
      return notApplicable('only Windows pods (spec.os.name: windows): this Linux-only control does not apply');
    }
  }
  const newer = policy.serverMinor !== undefined && policy.serverMinor > MAX_PSS_MINOR
    ? `; evaluator older than cluster (v1.${policy.serverMinor}), newer checks missing` : '';
  return findings(drafts, `evaluated at Pod Security Standards policy ${policy.version}${newer}`);
}

/** Containers usually added by mutating webhooks (§1.4.6, §7 trap 9), with the injector's fix. */
const INJECTED: Readonly<Record<string, string>> = {
  'istio-init': 'added by Istio sidecar injection: use the Istio CNI plugin to avoid the privileged istio-init container',
  'istio-proxy': 'added by Istio sidecar injection: change the sidecar through the Istio injection template or mesh config',
  'linkerd-init': 'added by Linkerd proxy injection: use the linkerd-cni plugin to avoid linkerd-init',
  'linkerd-proxy': 'added by Linkerd proxy injection: change it through the Linkerd proxy configuration',
  'vault-agent': 'added by the Vault agent injector: change its securityContext through the injector configuration',
  'vault-agent-init': 'added by the Vault agent injector: change its securityContext through the injector configuration',
};

/** ` (probably added by …)` for a container name a known injector uses, else ''. */
export function injectorNote(workload: Workload, name: string): string {
  const note = INJECTED[name];
  return note && workload.source === 'pods' ? ` (probably ${note})` : '';
}

const JSON_PATCHABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'CronJob']);

/**
 * A `--type=json` patch of the workload's pod template (for removing list elements such as a
 * hostPort); `ops` paths are relative to the pod spec (`/containers/0/ports/1/hostPort`).
 * Returns undefined for kinds whose pod spec is immutable (use the R-WL export/replace form).
 */
export function workloadJsonPatchCommand(workload: Workload, ops: readonly { op: 'remove'; path: string }[]): string | undefined {
  if (!JSON_PATCHABLE.has(workload.kind)) return undefined;
  const prefix = `/${workload.specPath.split('.').join('/')}`;
  const body = JSON.stringify(ops.map((o) => ({ op: o.op, path: `${prefix}${o.path}` })));
  return command`kubectl -n ${workload.namespace} patch ${literal(workload.kind.toLowerCase())} ${workload.name} --type=json -p ${body}`;
}

/** The attribution found nothing specific (should not happen): still report the PSA decision once per workload. */
export function orWorkloadFinding(
  out: FindingDraft[], workload: Workload, violation: PssViolation, policy: PssPolicy, remediation: { why: string; fix: string },
): FindingDraft[] {
  if (out.length > 0) return out;
  return [{
    subject: { kind: workload.kind, ...(workload.namespace ? { namespace: workload.namespace } : {}), name: workload.name },
    message: `${workload.kind} "${workload.namespace ? `${workload.namespace}/` : ''}${workload.name}" violates ${psaText(violation, policy)}`,
    remediation,
  }];
}

/** Capability spelling as runtimes read it: upper-case, without `CAP_` (for severity and hints only; PSA compares exactly). */
export function canonicalCapability(name: string): string {
  return name.toUpperCase().replace(/^CAP_/, '');
}
