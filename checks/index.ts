/**
 * The one registry of checks (STYLE.md rule 4). Order is display order: by layer, then by
 * severity within the layer. Add a check by importing it here; the catalog test verifies
 * that ids equal file paths and that every check has pass and fail fixtures.
 */
import type { Check } from '../src/engine/types.js';
import { check as cloudLoadbalancerUnrestrictedSource } from './cloud/loadbalancer-unrestricted-source.js';
import { check as cloudNodePublicIp } from './cloud/node-public-ip.js';
import { check as cloudPublicApiEndpoint } from './cloud/public-api-endpoint.js';
import { check as clusterIngressTlsSecretMissing } from './cluster/ingress-tls-secret-missing.js';
import { check as clusterIngressWithoutTls } from './cluster/ingress-without-tls.js';
import { check as clusterNamespaceWithoutNetworkpolicy } from './cluster/namespace-without-networkpolicy.js';
import { check as clusterRbacClusterAdminBinding } from './cluster/rbac-cluster-admin-binding.js';
import { check as clusterSecretsAsEnvVars } from './cluster/secrets-as-env-vars.js';
import { check as codeDockerfileRootUser } from './code/dockerfile-root-user.js';
import { check as containerAddedCapabilities } from './container/added-capabilities.js';
import { check as containerApparmorOverridden } from './container/apparmor-overridden.js';
import { check as containerCapabilitiesNotDropped } from './container/capabilities-not-dropped.js';
import { check as containerHostIpc } from './container/host-ipc.js';
import { check as containerHostNetwork } from './container/host-network.js';
import { check as containerHostPid } from './container/host-pid.js';
import { check as containerHostPorts } from './container/host-ports.js';
import { check as containerHostpathVolume } from './container/hostpath-volume.js';
import { check as containerImageLatestOrUntagged } from './container/image-latest-or-untagged.js';
import { check as containerImageNotPinnedByDigest } from './container/image-not-pinned-by-digest.js';
import { check as containerImageSignatureEnforcementAbsent } from './container/image-signature-enforcement-absent.js';
import { check as containerImageVulnerabilities } from './container/image-vulnerabilities.js';
import { check as containerPrivileged } from './container/privileged.js';
import { check as containerPrivilegeEscalationAllowed } from './container/privilege-escalation-allowed.js';
import { check as containerProbeOrLifecycleHost } from './container/probe-or-lifecycle-host.js';
import { check as containerRestrictedVolumeTypes } from './container/restricted-volume-types.js';
import { check as containerRootGroup } from './container/root-group.js';
import { check as containerRunAsNonRootNotEnforced } from './container/run-as-non-root-not-enforced.js';
import { check as containerRunAsRootUid } from './container/run-as-root-uid.js';
import { check as containerSandboxedRuntimeNotUsed } from './container/sandboxed-runtime-not-used.js';
import { check as containerSeccompNotSet } from './container/seccomp-not-set.js';
import { check as containerSeccompUnconfined } from './container/seccomp-unconfined.js';
import { check as containerSelinuxCustomOptions } from './container/selinux-custom-options.js';
import { check as containerSensitiveHostpathMount } from './container/sensitive-hostpath-mount.js';
import { check as containerUnmaskedProcMount } from './container/unmasked-proc-mount.js';
import { check as containerUnsafeSysctls } from './container/unsafe-sysctls.js';
import { check as containerUntrustedRegistry } from './container/untrusted-registry.js';
import { check as containerVulnerabilityScanningAbsent } from './container/vulnerability-scanning-absent.js';
import { check as containerWindowsHostProcess } from './container/windows-host-process.js';
import { check as containerWritableRootFilesystem } from './container/writable-root-filesystem.js';

export const CHECKS: readonly Check[] = [
  // cloud
  cloudPublicApiEndpoint, // high
  cloudNodePublicIp, // medium
  cloudLoadbalancerUnrestrictedSource, // medium
  // cluster
  clusterRbacClusterAdminBinding, // high
  clusterNamespaceWithoutNetworkpolicy, // medium
  clusterIngressWithoutTls, // medium
  clusterIngressTlsSecretMissing, // low
  clusterSecretsAsEnvVars, // low
  // container
  containerPrivileged, // critical
  containerSensitiveHostpathMount, // critical
  containerWindowsHostProcess, // critical
  containerHostPid, // high
  containerHostIpc, // high
  containerHostNetwork, // high
  containerRunAsRootUid, // high
  containerAddedCapabilities, // high (dynamic: critical for ALL, SYS_ADMIN, …)
  containerHostpathVolume, // high
  containerUnmaskedProcMount, // high (low in user namespaces)
  containerSeccompUnconfined, // high
  containerUnsafeSysctls, // high
  containerImageVulnerabilities, // high (dynamic: critical/high/low)
  containerImageLatestOrUntagged, // medium
  containerUntrustedRegistry, // medium
  containerImageSignatureEnforcementAbsent, // medium
  containerCapabilitiesNotDropped, // medium
  containerHostPorts, // medium
  containerProbeOrLifecycleHost, // medium
  containerApparmorOverridden, // medium
  containerSelinuxCustomOptions, // medium (high for spc_t)
  containerSeccompNotSet, // medium
  containerPrivilegeEscalationAllowed, // medium
  containerRunAsNonRootNotEnforced, // medium
  containerRootGroup, // low
  containerRestrictedVolumeTypes, // low (high for gitRepo)
  containerWritableRootFilesystem, // low
  containerImageNotPinnedByDigest, // low
  containerVulnerabilityScanningAbsent, // low
  containerSandboxedRuntimeNotUsed, // low
  // code
  codeDockerfileRootUser, // high
];
