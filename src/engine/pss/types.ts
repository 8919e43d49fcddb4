/**
 * Types of the Pod Security Standards evaluator (CHECKS.md §6), shaped like the reference
 * implementation (kubernetes/pod-security-admission `policy/checks.go`): a check has an id, a
 * level and one implementation per policy version where its rule changed.
 */
import type { ObjectMeta, PodSpec } from '../k8s.js';

/** The levels that have checks. */
export type PssLevel = 'baseline' | 'restricted';
/** Every PSA level; `privileged` has no checks and allows everything. */
export type PssPolicyLevel = 'privileged' | PssLevel;

export type PssCheckId =
  | 'allowPrivilegeEscalation'
  | 'appArmorProfile'
  | 'capabilities_baseline'
  | 'capabilities_restricted'
  | 'hostNamespaces'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'hostProbesAndHostLifecycle'
  | 'privileged'
  | 'procMount'
  | 'procMount_restricted'
  | 'restrictedVolumes'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'seLinuxOptions'
  | 'seccompProfile_baseline'
  | 'seccompProfile_restricted'
  | 'sysctls'
  | 'windowsHostProcess';

/** One failed check: PSA's check id, `ForbiddenReason` and `ForbiddenDetail`. */
export interface PssViolation {
  readonly check: PssCheckId;
  readonly reason: string;
  readonly detail: string;
}

export interface PssResult {
  readonly allowed: boolean;
  readonly level: PssPolicyLevel;
  /** The policy version actually evaluated, always `v1.N` (`latest` and too-new versions resolved). */
  readonly version: string;
  /** Baseline check ids sorted byte-wise, then restricted ids sorted byte-wise (PSA's order). */
  readonly violations: readonly PssViolation[];
}

/** What a check implementation returns when the pod fails it; `undefined` = allowed. */
export interface Forbidden {
  readonly reason: string;
  readonly detail: string;
}

export type CheckPodFn = (meta: ObjectMeta, spec: PodSpec) => Forbidden | undefined;

export interface VersionedCheck {
  /** Minor of the first policy version (v1.N) this implementation applies to. */
  readonly minimumMinor: number;
  readonly checkPod: CheckPodFn;
  /** Baseline checks this restricted implementation replaces at `restricted` (PSA `OverrideCheckIDs`). */
  readonly overrides?: readonly PssCheckId[];
}

export interface PssCheck {
  readonly id: PssCheckId;
  readonly level: PssLevel;
  /** Ascending by `minimumMinor`; the first one is the check's first policy version. */
  readonly versions: readonly VersionedCheck[];
}
