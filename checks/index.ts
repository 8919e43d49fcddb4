/**
 * The one registry of checks (STYLE.md rule 4). Order is display order: by layer, then by
 * severity within the layer. Add a check by importing it here; the catalog test verifies
 * that ids equal file paths and that every check has pass and fail fixtures.
 */
import type { Check } from '../src/engine/types.js';
import { check as cloudApiserverEtcdTls } from './cloud/apiserver-etcd-tls.js';
import { check as cloudEtcdClientTls } from './cloud/etcd-client-tls.js';
import { check as cloudEtcdDedicatedCa } from './cloud/etcd-dedicated-ca.js';
import { check as cloudEtcdDiskEncryption } from './cloud/etcd-disk-encryption.js';
import { check as cloudEtcdNetworkExposure } from './cloud/etcd-network-exposure.js';
import { check as cloudEtcdPeerTls } from './cloud/etcd-peer-tls.js';
import { check as cloudHostNetworkMetadataAccess } from './cloud/host-network-metadata-access.js';
import { check as cloudKubeconfigInsecureTls } from './cloud/kubeconfig-insecure-tls.js';
import { check as cloudLoadbalancerUnrestrictedSource } from './cloud/loadbalancer-unrestricted-source.js';
import { check as cloudMetadataEndpointReachable } from './cloud/metadata-endpoint-reachable.js';
import { check as cloudNodeIamLeastPrivilege } from './cloud/node-iam-least-privilege.js';
import { check as cloudNodePublicIp } from './cloud/node-public-ip.js';
import { check as cloudNodeportExposure } from './cloud/nodeport-exposure.js';
import { check as cloudPublicApiEndpoint } from './cloud/public-api-endpoint.js';
import { check as cloudStaticCloudCredentials } from './cloud/static-cloud-credentials.js';
import { check as cloudWorkloadIdentityNotUsed } from './cloud/workload-identity-not-used.js';
import { check as clusterAdmissionAlwaysAdmit } from './cluster/admission-always-admit.js';
import { check as clusterAdmissionAlwaysPullImages } from './cluster/admission-always-pull-images.js';
import { check as clusterAdmissionCorePluginsDisabled } from './cluster/admission-core-plugins-disabled.js';
import { check as clusterAdmissionEventRateLimit } from './cluster/admission-event-rate-limit.js';
import { check as clusterAdmissionNodeRestriction } from './cluster/admission-node-restriction.js';
import { check as clusterAnonymousRbacBinding } from './cluster/anonymous-rbac-binding.js';
import { check as clusterApiserverAnonymousAuth } from './cluster/apiserver-anonymous-auth.js';
import { check as clusterApiserverAuthorizationMode } from './cluster/apiserver-authorization-mode.js';
import { check as clusterApiserverKubeletTls } from './cluster/apiserver-kubelet-tls.js';
import { check as clusterApiserverTls } from './cluster/apiserver-tls.js';
import { check as clusterAuditLogging } from './cluster/audit-logging.js';
import { check as clusterAuthenticatedGroupOverprivileged } from './cluster/authenticated-group-overprivileged.js';
import { check as clusterBesteffortPods } from './cluster/besteffort-pods.js';
import { check as clusterCniNetworkpolicyUnsupported } from './cluster/cni-networkpolicy-unsupported.js';
import { check as clusterControlPlaneBindAddress } from './cluster/control-plane-bind-address.js';
import { check as clusterControlPlaneProfiling } from './cluster/control-plane-profiling.js';
import { check as clusterCpuLimitMissing } from './cluster/cpu-limit-missing.js';
import { check as clusterCredentialsInEnvOrConfigmap } from './cluster/credentials-in-env-or-configmap.js';
import { check as clusterDefaultNamespaceWorkloads } from './cluster/default-namespace-workloads.js';
import { check as clusterDefaultServiceAccountUsed } from './cluster/default-service-account-used.js';
import { check as clusterExternalSecretStoreAbsent } from './cluster/external-secret-store-absent.js';
import { check as clusterGatewayPlaintextListener } from './cluster/gateway-plaintext-listener.js';
import { check as clusterIngressNginxRiskyConfiguration } from './cluster/ingress-nginx-risky-configuration.js';
import { check as clusterIngressTlsSecretMissing } from './cluster/ingress-tls-secret-missing.js';
import { check as clusterIngressWithoutTls } from './cluster/ingress-without-tls.js';
import { check as clusterKubeProxyMetricsBind } from './cluster/kube-proxy-metrics-bind.js';
import { check as clusterKubeletAuthnAuthz } from './cluster/kubelet-authn-authz.js';
import { check as clusterKubeletHardeningDefaults } from './cluster/kubelet-hardening-defaults.js';
import { check as clusterKubeletReadOnlyPort } from './cluster/kubelet-read-only-port.js';
import { check as clusterKubeletTlsAndRotation } from './cluster/kubelet-tls-and-rotation.js';
import { check as clusterLegacySaTokenSecrets } from './cluster/legacy-sa-token-secrets.js';
import { check as clusterMemoryLimitMissing } from './cluster/memory-limit-missing.js';
import { check as clusterMeshMtlsNotStrict } from './cluster/mesh-mtls-not-strict.js';
import { check as clusterNamespaceDefaultDenyMissing } from './cluster/namespace-default-deny-missing.js';
import { check as clusterNamespaceLimitrangeMissing } from './cluster/namespace-limitrange-missing.js';
import { check as clusterNamespaceResourcequotaMissing } from './cluster/namespace-resourcequota-missing.js';
import { check as clusterNamespaceWithoutNetworkpolicy } from './cluster/namespace-without-networkpolicy.js';
import { check as clusterNodeVersionSkew } from './cluster/node-version-skew.js';
import { check as clusterOutdatedKubernetesVersion } from './cluster/outdated-kubernetes-version.js';
import { check as clusterPssEnforceMissing } from './cluster/pss-enforce-missing.js';
import { check as clusterPssExistingViolations } from './cluster/pss-existing-violations.js';
import { check as clusterPssLabelInvalid } from './cluster/pss-label-invalid.js';
import { check as clusterRbacClusterAdminBinding } from './cluster/rbac-cluster-admin-binding.js';
import { check as clusterRbacCsrApproval } from './cluster/rbac-csr-approval.js';
import { check as clusterRbacEscalateBindImpersonate } from './cluster/rbac-escalate-bind-impersonate.js';
import { check as clusterRbacExecAttachPortforward } from './cluster/rbac-exec-attach-portforward.js';
import { check as clusterRbacNodesProxy } from './cluster/rbac-nodes-proxy.js';
import { check as clusterRbacPodCreate } from './cluster/rbac-pod-create.js';
import { check as clusterRbacPvCreate } from './cluster/rbac-pv-create.js';
import { check as clusterRbacSaTokenCreate } from './cluster/rbac-sa-token-create.js';
import { check as clusterRbacSecretsRead } from './cluster/rbac-secrets-read.js';
import { check as clusterRbacWebhookConfig } from './cluster/rbac-webhook-config.js';
import { check as clusterRbacWildcardResources } from './cluster/rbac-wildcard-resources.js';
import { check as clusterRbacWildcardVerbs } from './cluster/rbac-wildcard-verbs.js';
import { check as clusterSaTokenAutomount } from './cluster/sa-token-automount.js';
import { check as clusterSecretsAsEnvVars } from './cluster/secrets-as-env-vars.js';
import { check as clusterSecretsEncryptionAtRest } from './cluster/secrets-encryption-at-rest.js';
import { check as clusterServiceAccountTokenSettings } from './cluster/service-account-token-settings.js';
import { check as clusterServiceExternalIps } from './cluster/service-external-ips.js';
import { check as clusterStaticTokenAuthFile } from './cluster/static-token-auth-file.js';
import { check as clusterSystemMastersBinding } from './cluster/system-masters-binding.js';
import { check as clusterWorkloadNotIsolated } from './cluster/workload-not-isolated.js';
import { check as clusterWorkloadPrivilegedServiceAccount } from './cluster/workload-privileged-service-account.js';
import { check as codeDockerfileRootUser } from './code/dockerfile-root-user.js';
import { check as codeHardcodedSecret } from './code/hardcoded-secret.js';
import { check as codeDockerfileSecretExposure } from './code/dockerfile-secret-exposure.js';
import { check as codePlaintextSecretManifest } from './code/plaintext-secret-manifest.js';
import { check as codeManifestMisconfiguration } from './code/manifest-misconfiguration.js';
import { check as codeTlsVerificationDisabled } from './code/tls-verification-disabled.js';
import { check as codeDependencyVulnerabilities } from './code/dependency-vulnerabilities.js';
import { check as codeDockerfileUnpinnedBaseImage } from './code/dockerfile-unpinned-base-image.js';
import { check as codeUnnecessaryExposedPorts } from './code/unnecessary-exposed-ports.js';
import { check as codePlaintextHttpEndpoint } from './code/plaintext-http-endpoint.js';
import { check as codeWeakTlsConfiguration } from './code/weak-tls-configuration.js';
import { check as codeDependencyLockfileMissing } from './code/dependency-lockfile-missing.js';
import { check as codeSastFindings } from './code/sast-findings.js';
import { check as codeDockerfileRemoteFetch } from './code/dockerfile-remote-fetch.js';
import { check as codeDependencyUnpinnedVersion } from './code/dependency-unpinned-version.js';
import { check as codeDependencyUpdateAutomationAbsent } from './code/dependency-update-automation-absent.js';
import { check as codeSastNotConfigured } from './code/sast-not-configured.js';
import { check as codeContainerBuildScanAbsent } from './code/container-build-scan-absent.js';
import { check as codeImageSigningAbsent } from './code/image-signing-absent.js';
import { check as codeDastNotConfigured } from './code/dast-not-configured.js';
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
  cloudEtcdClientTls, // critical
  cloudStaticCloudCredentials, // high (critical for literal keys in a key format and credential files in ConfigMaps)
  cloudPublicApiEndpoint, // high
  cloudMetadataEndpointReachable, // high
  cloudEtcdPeerTls, // high
  cloudApiserverEtcdTls, // high
  cloudEtcdNetworkExposure, // high
  cloudKubeconfigInsecureTls, // medium (high for http:// servers)
  cloudNodePublicIp, // medium
  cloudLoadbalancerUnrestrictedSource, // medium (high for administrative/data ports)
  cloudHostNetworkMetadataAccess, // medium (info for node agents and system namespaces)
  cloudEtcdDedicatedCa, // medium
  cloudNodeportExposure, // low
  cloudWorkloadIdentityNotUsed, // low
  cloudNodeIamLeastPrivilege, // info
  cloudEtcdDiskEncryption, // info
  // cluster
  clusterAnonymousRbacBinding, // critical
  clusterApiserverAuthorizationMode, // critical (high without RBAC, medium without Node)
  clusterAdmissionAlwaysAdmit, // critical
  clusterKubeletAuthnAuthz, // critical (high for anonymous auth with Webhook authz, medium without a client CA)
  clusterRbacEscalateBindImpersonate, // critical (high for namespaced roles/bindings and RoleBinding scope)
  clusterRbacClusterAdminBinding, // high
  clusterRbacWildcardVerbs, // high (medium for other resources, low when unbound)
  clusterRbacWildcardResources, // high (medium, low when unbound)
  clusterRbacSecretsRead, // high (medium/low by scope and verb)
  clusterRbacExecAttachPortforward, // high (medium for resourceNames)
  clusterRbacNodesProxy, // high
  clusterRbacCsrApproval, // high (medium with one of the two permissions)
  clusterRbacWebhookConfig, // high (medium for resourceNames)
  clusterAuthenticatedGroupOverprivileged, // high
  clusterSystemMastersBinding, // high (medium for the kubeconfig credential)
  clusterWorkloadPrivilegedServiceAccount, // high (critical when exposed, info in system namespaces)
  clusterPssExistingViolations, // high (medium for audit/warn levels)
  clusterCredentialsInEnvOrConfigmap, // high (critical for known secret formats)
  clusterCniNetworkpolicyUnsupported, // high
  clusterIngressNginxRiskyConfiguration, // high (critical for CVE-2025-1974, medium warn for the retirement)
  clusterStaticTokenAuthFile, // high
  clusterApiserverTls, // high (medium for TLS versions/suites, low warn without cipher suites)
  clusterApiserverKubeletTls, // high (medium without the kubelet CA)
  clusterAdmissionNodeRestriction, // high
  clusterSecretsEncryptionAtRest, // high
  clusterKubeletReadOnlyPort, // high
  clusterOutdatedKubernetesVersion, // high (medium warn on provider extended support)
  clusterLegacySaTokenSecrets, // medium (high/low/info by the account's RBAC)
  clusterRbacPodCreate, // medium (high where Pod Security is not enforced)
  clusterRbacPvCreate, // medium
  clusterRbacSaTokenCreate, // medium (high cluster-wide)
  clusterNamespaceWithoutNetworkpolicy, // medium
  clusterWorkloadNotIsolated, // medium (low warn for egress)
  clusterPssEnforceMissing, // medium
  clusterIngressWithoutTls, // medium
  clusterGatewayPlaintextListener, // medium (low warn for redirects)
  clusterApiserverAnonymousAuth, // medium
  clusterServiceAccountTokenSettings, // medium (low items)
  clusterAdmissionCorePluginsDisabled, // medium (high for PodSecurity)
  clusterServiceExternalIps, // medium (low for the admission plugin)
  clusterControlPlaneBindAddress, // medium
  clusterAuditLogging, // medium (low warn for retention)
  clusterKubeletTlsAndRotation, // medium (warn for self-signed serving certificates)
  clusterMemoryLimitMissing, // medium
  clusterBesteffortPods, // medium (low for missing requests in Burstable pods)
  clusterIngressTlsSecretMissing, // low
  clusterNamespaceDefaultDenyMissing, // low
  clusterMeshMtlsNotStrict, // low
  clusterSecretsAsEnvVars, // low
  clusterDefaultServiceAccountUsed, // low (medium for bindings)
  clusterSaTokenAutomount, // low
  clusterPssLabelInvalid, // low
  clusterAdmissionEventRateLimit, // low (warn on single-tenant clusters)
  clusterAdmissionAlwaysPullImages, // low (info on single-tenant clusters)
  clusterControlPlaneProfiling, // low
  clusterKubeletHardeningDefaults, // low
  clusterKubeProxyMetricsBind, // low
  clusterNodeVersionSkew, // low
  clusterCpuLimitMissing, // low
  clusterNamespaceResourcequotaMissing, // low
  clusterNamespaceLimitrangeMissing, // low
  clusterDefaultNamespaceWorkloads, // low
  clusterExternalSecretStoreAbsent, // info
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
  codeHardcodedSecret, // critical
  codeDockerfileSecretExposure, // critical
  codePlaintextSecretManifest, // high
  codeManifestMisconfiguration, // high (dynamic: the sub-check's severity)
  codeDockerfileRootUser, // high
  codeTlsVerificationDisabled, // high
  codeDependencyVulnerabilities, // high (dynamic)
  codeDockerfileUnpinnedBaseImage, // medium (low when tagged without digest)
  codeUnnecessaryExposedPorts, // medium
  codePlaintextHttpEndpoint, // medium
  codeWeakTlsConfiguration, // medium
  codeDependencyLockfileMissing, // medium
  codeSastFindings, // medium (dynamic)
  codeDockerfileRemoteFetch, // low (medium for curl | sh)
  codeDependencyUnpinnedVersion, // low
  codeDependencyUpdateAutomationAbsent, // low
  codeSastNotConfigured, // low
  codeContainerBuildScanAbsent, // low
  codeImageSigningAbsent, // low
  codeDastNotConfigured, // info
];
