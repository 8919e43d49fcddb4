/**
 * The engine's vocabulary (DESIGN.md §3). Everything here is a plain readonly value so
 * checks stay pure and results can be serialised as the JSON report without mapping.
 */
import type { ResourceName } from './resources.js';
import type { Snapshot } from './snapshot.js';

export const LAYERS = ['cloud', 'cluster', 'container', 'code'] as const;
export type Layer = (typeof LAYERS)[number];

/** Most severe first; the order is used for sorting and `--fail-on`. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'unable', 'not-applicable', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type FindingStatus = 'fail' | 'warn';
export type Scope = 'workload' | 'system';

export interface Reference {
  readonly title: string;
  readonly url: string;
}

/** What a finding is about. Only the fields that apply are present. */
export interface FindingSubject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly container?: string;
  readonly file?: string;
  readonly line?: number;
}

export interface Evidence {
  /** Field path as in CHECKS.md, e.g. `spec.template.spec.containers[name=web].securityContext.privileged`. */
  readonly path: string;
  readonly value: string;
}

export interface Remediation {
  /** Why it matters. */
  readonly why: string;
  /** How to fix, in words. */
  readonly fix: string;
  /** A command to copy, every interpolated value shell-quoted. */
  readonly command?: string;
  /** A YAML or JSON patch to copy. */
  readonly patch?: string;
}

export interface Finding {
  /** Stable across runs for the same check, object and cause (accepted risks, "new since last scan"). */
  readonly key: string;
  readonly checkId: string;
  readonly layer: Layer;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly title: string;
  readonly message: string;
  readonly subject: FindingSubject;
  readonly evidence: readonly Evidence[];
  readonly remediation: Remediation;
  readonly references: readonly Reference[];
  readonly scope: Scope;
  readonly accepted: boolean;
  /** code/manifest-misconfiguration: the check that produced the finding on a manifest. */
  readonly subCheck?: string;
}

/** What a check's evaluate() returns for one finding; the engine adds key, layer, title, references. */
export interface FindingDraft {
  readonly subject: FindingSubject;
  readonly message: string;
  readonly evidence?: readonly Evidence[];
  readonly remediation: Remediation;
  /** Defaults to the check's severity. */
  readonly severity?: Severity;
  /** Defaults to `fail`. */
  readonly status?: FindingStatus;
  /** Defaults to `system` for subjects in system namespaces, else `workload`. */
  readonly scope?: Scope;
  /** Distinguishes several findings of one check on the same subject (a port, a path). */
  readonly discriminator?: string;
  /** code/manifest-misconfiguration: the check that produced the finding on a manifest. */
  readonly subCheck?: string;
}

/**
 * What a check returns. Findings decide `fail`/`warn`; an explicit status says the check
 * could not decide (`unable`) or does not apply (`not-applicable`) and why.
 */
export interface CheckOutcome {
  readonly findings: readonly FindingDraft[];
  readonly status?: 'unable' | 'not-applicable';
  /** Shown with the status: why unable / not applicable, or a note on a pass. */
  readonly reason?: string;
}

/**
 * Data a check reads. Resource lists by name; `version` (GET /version), `kubeconfig`
 * (the local context), `cluster-info` (the kube-public/cluster-info ConfigMap),
 * `system-configmaps` (the few kube-system ConfigMaps of D-CM-SYS, each read with one `get`:
 * see SYSTEM_CONFIGMAPS) and `files` (the Code layer's source tree).
 */
export type DataNeed = ResourceName | 'version' | 'kubeconfig' | 'cluster-info' | 'system-configmaps' | 'files';

export interface Check {
  /** `<layer>/<slug>`, equal to the file path under checks/. Never reused. */
  readonly id: string;
  readonly layer: Layer;
  /** Three to six words. */
  readonly title: string;
  /** The default; a finding may carry its own (dynamic severity). */
  readonly severity: Severity;
  /** What is inspected and what fails, PSA-style. */
  readonly description: string;
  /** One imperative sentence ending with a period. */
  readonly remediation: string;
  readonly references: readonly Reference[];
  /** Without these the check is `unable`. */
  readonly needs: readonly DataNeed[];
  /** Read when present; their absence only narrows what the check can say. */
  readonly optionalNeeds?: readonly DataNeed[];
  readonly evaluate: (snapshot: Snapshot) => CheckOutcome;
}

export interface CheckResult {
  readonly id: string;
  readonly layer: Layer;
  readonly title: string;
  readonly severity: Severity;
  readonly status: CheckStatus;
  readonly reason?: string;
  readonly findings: number;
  readonly durationMs: number;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}
