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
import { check as containerHostIpc } from './container/host-ipc.js';
import { check as containerHostNetwork } from './container/host-network.js';
import { check as containerHostPid } from './container/host-pid.js';
import { check as containerImageLatestOrUntagged } from './container/image-latest-or-untagged.js';
import { check as containerImageNotPinnedByDigest } from './container/image-not-pinned-by-digest.js';
import { check as containerImageSignatureEnforcementAbsent } from './container/image-signature-enforcement-absent.js';
import { check as containerImageVulnerabilities } from './container/image-vulnerabilities.js';
import { check as containerPrivileged } from './container/privileged.js';
import { check as containerRootGroup } from './container/root-group.js';
import { check as containerRunAsRootUid } from './container/run-as-root-uid.js';
import { check as containerSandboxedRuntimeNotUsed } from './container/sandboxed-runtime-not-used.js';
import { check as containerSensitiveHostpathMount } from './container/sensitive-hostpath-mount.js';
import { check as containerUntrustedRegistry } from './container/untrusted-registry.js';
import { check as containerVulnerabilityScanningAbsent } from './container/vulnerability-scanning-absent.js';
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
  containerHostPid, // high
  containerHostIpc, // high
  containerHostNetwork, // high
  containerRunAsRootUid, // high
  containerImageVulnerabilities, // high (dynamic: critical/high/low)
  containerImageLatestOrUntagged, // medium
  containerUntrustedRegistry, // medium
  containerImageSignatureEnforcementAbsent, // medium
  containerRootGroup, // low
  containerWritableRootFilesystem, // low
  containerImageNotPinnedByDigest, // low
  containerVulnerabilityScanningAbsent, // low
  containerSandboxedRuntimeNotUsed, // low
  // code
  codeDockerfileRootUser, // high
];
