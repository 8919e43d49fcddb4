import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import { runCheck } from '../../src/engine/run.js';
import type { Check, FindingDraft, Severity } from '../../src/engine/types.js';
import { severityRank } from '../../src/engine/types.js';
import { isTestPath } from '../../src/files/classify.js';
import { filesOf, isSuppressed, splitLines } from '../../src/files/code-check.js';
import { skippedNote, treeManifests } from '../../src/files/code-manifests.js';
import { isManifestCheck, manifestSnapshots, offlineMessage, offlineRemediation } from '../../src/files/manifest-scan.js';
import { check as containerAddedCapabilities } from '../container/added-capabilities.js';
import { check as containerApparmorOverridden } from '../container/apparmor-overridden.js';
import { check as containerCapabilitiesNotDropped } from '../container/capabilities-not-dropped.js';
import { check as containerHostIpc } from '../container/host-ipc.js';
import { check as containerHostNetwork } from '../container/host-network.js';
import { check as containerHostPid } from '../container/host-pid.js';
import { check as containerHostPorts } from '../container/host-ports.js';
import { check as containerHostpathVolume } from '../container/hostpath-volume.js';
import { check as containerImageLatestOrUntagged } from '../container/image-latest-or-untagged.js';
import { check as containerImageNotPinnedByDigest } from '../container/image-not-pinned-by-digest.js';
import { check as containerPrivilegeEscalationAllowed } from '../container/privilege-escalation-allowed.js';
import { check as containerPrivileged } from '../container/privileged.js';
import { check as containerProbeOrLifecycleHost } from '../container/probe-or-lifecycle-host.js';
import { check as containerRestrictedVolumeTypes } from '../container/restricted-volume-types.js';
import { check as containerRootGroup } from '../container/root-group.js';
import { check as containerRunAsNonRootNotEnforced } from '../container/run-as-non-root-not-enforced.js';
import { check as containerRunAsRootUid } from '../container/run-as-root-uid.js';
import { check as containerSeccompNotSet } from '../container/seccomp-not-set.js';
import { check as containerSeccompUnconfined } from '../container/seccomp-unconfined.js';
import { check as containerSelinuxCustomOptions } from '../container/selinux-custom-options.js';
import { check as containerSensitiveHostpathMount } from '../container/sensitive-hostpath-mount.js';
import { check as containerUnmaskedProcMount } from '../container/unmasked-proc-mount.js';
import { check as containerUnsafeSysctls } from '../container/unsafe-sysctls.js';
import { check as containerUntrustedRegistry } from '../container/untrusted-registry.js';
import { check as containerWindowsHostProcess } from '../container/windows-host-process.js';
import { check as containerWritableRootFilesystem } from '../container/writable-root-filesystem.js';
import { check as clusterIngressWithoutTls } from '../cluster/ingress-without-tls.js';
import { check as clusterRbacWildcardVerbs } from '../cluster/rbac-wildcard-verbs.js';
import { check as clusterRbacWildcardResources } from '../cluster/rbac-wildcard-resources.js';
import { check as clusterServiceExternalIps } from '../cluster/service-external-ips.js';
import { check as clusterMemoryLimitMissing } from '../cluster/memory-limit-missing.js';
import { check as clusterCpuLimitMissing } from '../cluster/cpu-limit-missing.js';
import { check as clusterCredentialsInEnvOrConfigmap } from '../cluster/credentials-in-env-or-configmap.js';
import { check as clusterSaTokenAutomount } from '../cluster/sa-token-automount.js';
import { check as clusterPssLabelInvalid } from '../cluster/pss-label-invalid.js';
import { check as clusterSecretsAsEnvVars } from '../cluster/secrets-as-env-vars.js';
import { check as cloudLoadbalancerUnrestrictedSource } from '../cloud/loadbalancer-unrestricted-source.js';

const CHECK_ID = 'code/manifest-misconfiguration';

/**
 * The object-local checks run on each manifest (CHECKS.md §5). Imported one by one (not from
 * checks/index.ts, which imports this file); add new object-local checks here and to
 * MANIFEST_CLUSTER_CHECKS in src/files/manifest-scan.ts.
 */
export const SUB_CHECKS: readonly Check[] = [
  containerAddedCapabilities,
  containerApparmorOverridden,
  containerCapabilitiesNotDropped,
  containerHostIpc,
  containerHostNetwork,
  containerHostPid,
  containerHostPorts,
  containerHostpathVolume,
  containerImageLatestOrUntagged,
  containerImageNotPinnedByDigest,
  containerPrivilegeEscalationAllowed,
  containerPrivileged,
  containerProbeOrLifecycleHost,
  containerRestrictedVolumeTypes,
  containerRootGroup,
  containerRunAsNonRootNotEnforced,
  containerRunAsRootUid,
  containerSeccompNotSet,
  containerSeccompUnconfined,
  containerSelinuxCustomOptions,
  containerSensitiveHostpathMount,
  containerUnmaskedProcMount,
  containerUnsafeSysctls,
  containerUntrustedRegistry,
  containerWindowsHostProcess,
  containerWritableRootFilesystem,
  clusterIngressWithoutTls,
  clusterRbacWildcardVerbs,
  clusterRbacWildcardResources,
  clusterServiceExternalIps,
  clusterMemoryLimitMissing,
  clusterCpuLimitMissing,
  clusterCredentialsInEnvOrConfigmap,
  clusterSaTokenAutomount,
  clusterPssLabelInvalid,
  clusterSecretsAsEnvVars,
  cloudLoadbalancerUnrestrictedSource,
].filter((c) => isManifestCheck(c));

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Misconfiguration in Kubernetes manifests',
  severity: 'high',
  description:
    'Reads the Kubernetes objects in the scanned tree\'s YAML/JSON files (multi-document, kind: List) and runs on them every object-local check of the ' +
    'container, cluster and cloud layers (privileged, host namespaces, capabilities, seccomp, run-as-root, images, Ingress TLS, secrets in env, ' +
    'LoadBalancer source ranges, …), as offline versions evaluated from the pod templates. Each finding keeps the sub-check id (subCheck) and its ' +
    'severity, and names the file and line of the object. Helm chart templates are not evaluated (render them with helm template and use scan --manifests -).',
  remediation: 'Apply the sub-check\'s fix to the manifest file and re-apply it through your deployment pipeline.',
  references: [
    ref.fourC('Static Code Analysis'), ref.doc('Trivy misconfiguration scanning', 'https://trivy.dev/latest/docs/scanner/misconfiguration/'),
    ref.doc('Polaris CLI audit', 'https://polaris.docs.fairwinds.com/infrastructure-as-code/'),
  ],
  needs: ['files'],
  evaluate: (snapshot) => {
    if (filesOf(snapshot, ['k8s']).length === 0) return notApplicable('no YAML or JSON file in the scanned tree');
    const manifests = treeManifests(snapshot);
    const skipped = skippedNote(manifests);
    if (manifests.objects.length === 0) return notApplicable(`no Kubernetes object in the scanned tree${skipped ? `; ${skipped}` : ''}`);
    // Copies of one object in several files (overlays, environments) are each checked.
    const subs = manifestSnapshots(manifests.objects, { config: snapshot.config });
    const texts = new Map((snapshot.files?.files ?? []).map((f) => [f.path, f.text]));
    const lines = new Map<string, string[]>();
    const out: FindingDraft[] = [];
    let suppressed = 0;
    for (const subCheck of SUB_CHECKS) {
      const found = subs.flatMap((sub) => runCheck(subCheck, sub).findings);
      for (const f of found) {
        const file = f.subject.file;
        if (file === undefined) continue;
        let fileLines = lines.get(file);
        if (!fileLines) {
          fileLines = splitLines(texts.get(file) ?? '');
          lines.set(file, fileLines);
        }
        const line = f.subject.line ?? 1;
        if (isSuppressed(fileLines, line, CHECK_ID) || isSuppressed(fileLines, line, subCheck.id)) {
          suppressed += 1;
          continue;
        }
        const test = isTestPath(file);
        const severity: Severity = test && severityRank(f.severity) < severityRank('low') ? 'low' : f.severity;
        out.push({
          subject: f.subject,
          status: f.status,
          severity,
          subCheck: subCheck.id,
          message: `${file}:${line}: [${subCheck.id}] ${offlineMessage(f.message)}${test ? ' (test/example path)' : ''}`,
          evidence: f.evidence,
          remediation: offlineRemediation(f.remediation, file, line),
          discriminator: f.key,
        });
      }
    }
    const notes = [suppressed > 0 ? `${suppressed} finding(s) suppressed by 4c-tui:ignore comments` : undefined, skipped].filter(Boolean).join('; ');
    return findings(out, notes || `${manifests.objects.length} object(s) checked by ${SUB_CHECKS.length} sub-checks`);
  },
};
