/**
 * The check table (PSA `policy/registry.go`): every check with the policy versions of its
 * implementations, and the per-(level, version) check lists derived from it with the restricted
 * overrides applied.
 */
import type { ObjectMeta, PodSpec } from '../k8s.js';
import type { CheckPodFn, PssCheck, PssCheckId, PssLevel, PssPolicyLevel, PssResult, PssViolation } from './types.js';
import { compareGo } from './helpers.js';
import { resolvePssMinor, type ResolveOptions } from './versions.js';
import { allowPrivilegeEscalation } from './check-allow-privilege-escalation.js';
import { appArmorProfile } from './check-app-armor-profile.js';
import { capabilitiesBaseline } from './check-capabilities-baseline.js';
import { capabilitiesRestricted } from './check-capabilities-restricted.js';
import { hostNamespaces } from './check-host-namespaces.js';
import { hostPathVolumes } from './check-host-path-volumes.js';
import { hostPorts } from './check-host-ports.js';
import { hostProbesAndHostLifecycle } from './check-host-probes-and-host-lifecycle.js';
import { privileged } from './check-privileged.js';
import { procMount } from './check-proc-mount.js';
import { procMountRestricted } from './check-proc-mount-restricted.js';
import { restrictedVolumes } from './check-restricted-volumes.js';
import { runAsNonRoot } from './check-run-as-non-root.js';
import { runAsUser } from './check-run-as-user.js';
import { seLinuxOptionsCheck } from './check-se-linux-options.js';
import { seccompProfileBaseline } from './check-seccomp-profile-baseline.js';
import { seccompProfileRestricted } from './check-seccomp-profile-restricted.js';
import { sysctlsCheck } from './check-sysctls.js';
import { windowsHostProcess } from './check-windows-host-process.js';

/** Every check, baseline ids then restricted ids, each group sorted byte-wise (PSA's reason order). */
export const PSS_CHECKS: readonly PssCheck[] = [
  appArmorProfile, capabilitiesBaseline, hostNamespaces, hostPathVolumes, hostPorts, hostProbesAndHostLifecycle,
  privileged, procMount, seLinuxOptionsCheck, seccompProfileBaseline, sysctlsCheck, windowsHostProcess,
  allowPrivilegeEscalation, capabilitiesRestricted, procMountRestricted, restrictedVolumes, runAsNonRoot, runAsUser,
  seccompProfileRestricted,
].sort((a, b) => (a.level === b.level ? compareGo(a.id, b.id) : a.level === 'baseline' ? -1 : 1));

const BY_ID: ReadonlyMap<PssCheckId, PssCheck> = new Map(PSS_CHECKS.map((check) => [check.id, check]));

interface Entry {
  readonly id: PssCheckId;
  readonly checkPod: CheckPodFn;
}

/** The implementation of `check` for policy minor `minor`, or undefined before its first version. */
function implementationAt(check: PssCheck, minor: number) {
  let found;
  for (const versioned of check.versions) if (versioned.minimumMinor <= minor) found = versioned;
  return found;
}

const cache = new Map<string, readonly Entry[]>();

/** The checks evaluated at `level` and policy minor `minor`, in PSA's reason order. */
function checksFor(level: PssLevel, minor: number): readonly Entry[] {
  const key = `${level}:${minor}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const active = PSS_CHECKS
    .filter((check) => level === 'restricted' || check.level === 'baseline')
    .map((check) => ({ check, impl: implementationAt(check, minor) }))
    .filter((entry): entry is { check: PssCheck; impl: NonNullable<typeof entry.impl> } => entry.impl !== undefined);
  const overridden = new Set<PssCheckId>();
  if (level === 'restricted') {
    for (const { check, impl } of active) if (check.level === 'restricted') for (const id of impl.overrides ?? []) overridden.add(id);
  }
  const entries = active.filter(({ check }) => !overridden.has(check.id)).map(({ check, impl }) => ({ id: check.id, checkPod: impl.checkPod }));
  cache.set(key, entries);
  return entries;
}

export type EvaluateOptions = ResolveOptions;

/**
 * Evaluates a pod (or a pod template's metadata and spec) against a Pod Security Standard at a
 * policy version (`v1.N` or `latest`), as PSA does (CHECKS.md §6). `privileged` allows everything.
 * Pass objects as stored; for local manifests apply `applyManifestDefaults` first.
 */
export function evaluatePod(
  meta: ObjectMeta | undefined,
  spec: PodSpec,
  level: PssPolicyLevel,
  version: string,
  options: EvaluateOptions = {},
): PssResult {
  const minor = resolvePssMinor(version, options);
  const resolved = `v1.${minor}`;
  if (level === 'privileged') return { allowed: true, level, version: resolved, violations: [] };
  const metadata = meta ?? {};
  const violations: PssViolation[] = [];
  for (const { id, checkPod } of checksFor(level, minor)) {
    const forbidden = checkPod(metadata, spec);
    if (forbidden) violations.push({ check: id, reason: forbidden.reason, detail: forbidden.detail });
  }
  return { allowed: violations.length === 0, level, version: resolved, violations };
}

/**
 * One check by id at a policy version, whatever the level (for the container checks of
 * CHECKS.md §4). Returns the violation, or undefined when the pod passes or the check does not
 * exist yet at that version (e.g. `runAsUser` before v1.23). Overrides are not applied: asking for
 * `procMount` at v1.35 gives the relaxed baseline rule.
 */
export function evaluateCheck(
  checkId: PssCheckId,
  meta: ObjectMeta | undefined,
  spec: PodSpec,
  version: string,
  options: EvaluateOptions = {},
): PssViolation | undefined {
  const check = BY_ID.get(checkId);
  if (!check) throw new Error(`unknown Pod Security check id ${checkId}`);
  const impl = implementationAt(check, resolvePssMinor(version, options));
  const forbidden = impl?.checkPod(meta ?? {}, spec);
  return forbidden ? { check: checkId, reason: forbidden.reason, detail: forbidden.detail } : undefined;
}

/**
 * The restricted check that replaces `checkId` at `level` and `version` (e.g. restrictedVolumes
 * for hostPathVolumes at restricted), or undefined when `checkId` itself is evaluated there.
 */
export function overriddenBy(checkId: PssCheckId, level: PssLevel, version: string, options: EvaluateOptions = {}): PssCheckId | undefined {
  if (level !== 'restricted') return undefined;
  const minor = resolvePssMinor(version, options);
  for (const check of PSS_CHECKS) {
    if (check.level === 'restricted' && implementationAt(check, minor)?.overrides?.includes(checkId)) return check.id;
  }
  return undefined;
}

/** The check ids evaluated at a level and version, in PSA's reason order. */
export function checkIdsFor(level: PssLevel, version: string, options: EvaluateOptions = {}): PssCheckId[] {
  return checksFor(level, resolvePssMinor(version, options)).map((entry) => entry.id);
}

/**
 * PSA's denial message: `violates PodSecurity "restricted:latest": privileged (container "a" must
 * not set securityContext.privileged=true), …`. `version` prints as given (`latest` or `v1.N`).
 */
export function formatPssMessage(level: PssLevel, version: string, violations: readonly PssViolation[]): string {
  const reasons = violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason));
  return `violates PodSecurity "${level}:${version}": ${reasons.join(', ')}`;
}
