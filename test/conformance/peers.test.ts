/**
 * Agreement with peer scanners on their own fixtures (../shared/conformance): Polaris
 * (test/checks/<id>/success|failure*.yaml) and trivy-checks (good/bad examples). One mapping
 * table says which of our checks answers a peer check; each fixture file is one snapshot (all
 * its documents together). `fail` → our check reports a finding; `pass` → it reports none.
 * Every disagreement is either fixed or listed in KNOWN with a one-line reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { DEFAULT_CHECK_CONFIG } from '../../src/engine/snapshot.js';
import { runCheck } from '../../src/engine/run.js';

const ROOT = new URL('../../../shared/conformance/', import.meta.url).pathname;
const present = existsSync(ROOT);
if (!present) console.log('notice: ../shared/conformance is absent; skipping the Polaris and trivy-checks agreement tests');

/** Peer check id → our check ids (a finding from any of them counts). */
const POLARIS: Readonly<Record<string, readonly string[]>> = {
  hostIPCSet: ['container/host-ipc'],
  hostNetworkSet: ['container/host-network'],
  hostPIDSet: ['container/host-pid'],
  hostPathSet: ['container/hostpath-volume', 'container/sensitive-hostpath-mount'],
  hostPortSet: ['container/host-ports'],
  hostProcess: ['container/windows-host-process'],
  runAsPrivileged: ['container/privileged'],
  privilegeEscalationAllowed: ['container/privilege-escalation-allowed'],
  procMount: ['container/unmasked-proc-mount'],
  notReadOnlyRootFilesystem: ['container/writable-root-filesystem'],
  dangerousCapabilities: ['container/added-capabilities'],
  insecureCapabilities: ['container/capabilities-not-dropped'],
  runAsRootAllowed: ['container/run-as-non-root-not-enforced'],
  tagNotSpecified: ['container/image-latest-or-untagged'],
  clusterrolebindingClusterAdmin: ['cluster/rbac-cluster-admin-binding'],
  rolebindingClusterAdminClusterRole: ['cluster/rbac-cluster-admin-binding'],
  rolebindingClusterAdminRole: ['cluster/rbac-cluster-admin-binding'],
  // Binding-level only: Polaris' role-level clusterrolePodExecAttach/rolePodExecAttach flag roles nothing binds, which grant nothing.
  // Exec through a */*/* rule is reported once, by the cluster-admin check.
  clusterrolebindingPodExecAttach: ['cluster/rbac-exec-attach-portforward', 'cluster/rbac-cluster-admin-binding'],
  rolebindingClusterRolePodExecAttach: ['cluster/rbac-exec-attach-portforward', 'cluster/rbac-cluster-admin-binding'],
  rolebindingRolePodExecAttach: ['cluster/rbac-exec-attach-portforward', 'cluster/rbac-cluster-admin-binding'],
  tlsSettingsMissing: ['cluster/ingress-without-tls'],
  missingNetworkPolicy: ['cluster/namespace-without-networkpolicy', 'cluster/workload-not-isolated'],
  sensitiveContainerEnvVar: ['cluster/credentials-in-env-or-configmap'],
  sensitiveConfigmapContent: ['cluster/credentials-in-env-or-configmap'],
  cpuLimitsMissing: ['cluster/cpu-limit-missing'],
  memoryLimitsMissing: ['cluster/memory-limit-missing'],
  cpuRequestsMissing: ['cluster/besteffort-pods'],
  memoryRequestsMissing: ['cluster/besteffort-pods'],
};

const TRIVY: Readonly<Record<string, readonly string[]>> = {
  'KSV-0024': ['container/host-ports'],
  'KSV-0002': ['container/apparmor-overridden'],
  'KSV-0001': ['container/privilege-escalation-allowed'],
  'KSV-0008': ['container/host-ipc'],
  'KSV-0009': ['container/host-network'],
  'KSV-0010': ['container/host-pid'],
  'KSV-0023': ['container/hostpath-volume', 'container/sensitive-hostpath-mount'],
  'KSV-0028': ['container/restricted-volume-types'],
  'KSV-0027': ['container/unmasked-proc-mount'],
  'KSV-0017': ['container/privileged'],
  'KSV-0012': ['container/run-as-non-root-not-enforced'],
  'KSV-0025': ['container/selinux-custom-options'],
  'KSV-0022': ['container/added-capabilities'],
  'KSV-0026': ['container/unsafe-sysctls'],
  'KSV-0109': ['cluster/credentials-in-env-or-configmap'],
  'KSV-0011': ['cluster/cpu-limit-missing'],
  'KSV-0018': ['cluster/memory-limit-missing'],
  'KSV-0015': ['cluster/besteffort-pods'],
  'KSV-0016': ['cluster/besteffort-pods'],
  'KSV-0039': ['cluster/namespace-limitrange-missing'],
  'KSV-0040': ['cluster/namespace-resourcequota-missing'],
  'KSV-0110': ['cluster/default-namespace-workloads'],
};

/** Fixture file → why we disagree on purpose (one line each). */
const ENUMERATED_VERBS = 'CHECKS.md: cluster-admin equivalence needs verbs "*"; */* with enumerated verbs is cluster/rbac-wildcard-resources (issue 5)';
const NAME_EXEMPTION = 'Polaris exempts by binding name; a user bound to a */*/* role is reported whatever the binding is called (CHECKS.md §7 trap 10: exemptions by rbac-defaults label and system subjects only)';
const KNOWN: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'].flatMap((id) => [
    [`polaris/${id}/failure.all_verbs.yaml`, ENUMERATED_VERBS],
    [`polaris/${id}/failure.all_verbs_different_order.yaml`, ENUMERATED_VERBS],
    [`polaris/${id}/success.system_prefix_binding.yaml`, NAME_EXEMPTION],
    [`polaris/${id}/success.gce_calico_binding.yaml`, NAME_EXEMPTION],
  ])),
  ...Object.fromEntries(['success.yaml', 'success.pod.yaml', 'success.case.yaml', 'success.all.yaml'].map((f) => [
    `polaris/insecureCapabilities/${f}`,
    'PSS restricted (CHECKS.md container/capabilities-not-dropped) needs drop to contain exactly "ALL"; Polaris accepts listed capabilities and any case',
  ])),
  ...Object.fromEntries(['clusterrolebindingPodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach'].flatMap((id) => [
    [`polaris/${id}/failure.binding_points_to_missing_ref.yaml`, 'a binding whose roleRef does not resolve grants nothing (CHECKS.md §1.8); Polaris flags the unknown role'],
    [`polaris/${id}/success.system_prefix_binding.yaml`, NAME_EXEMPTION],
    [`polaris/${id}/success.gce_calico_binding.yaml`, NAME_EXEMPTION],
  ])),
  'polaris/clusterrolebindingPodExecAttach/success.defaultclusterrolebinding_clusteradmin.yaml': `${NAME_EXEMPTION}; the fixture's binding lacks the rbac-defaults label and names a user, not system:masters`,
  'polaris/clusterrolebindingPodExecAttach/success.defaultclusterrolebinding_system-controller-generic-garbage-collector.yaml': `${NAME_EXEMPTION}; the fixture binds a user, not the controller's kube-system service account`,
  'polaris/rolebindingRolePodExecAttach/success.role_binding_cluster_role_binding.yaml': 'Polaris splits RoleBinding→Role and RoleBinding→ClusterRole into two checks; cluster/rbac-exec-attach-portforward answers for every binding, so this exec grant is reported',
  'polaris/runAsRootAllowed/failure.yaml': 'the fixture declares apiVersion v1 on a Deployment, which no API server accepts; with apps/v1 our check flags it',
  'trivy-checks/examples/KSV-0022/kubernetes/bad/0/test.yaml': 'it adds NET_BIND_SERVICE, which is in the PSS baseline capability set; CHECKS.md follows PSS, Trivy flags any addition',
  'polaris/tlsSettingsMissing/success.yaml': 'its rule has no host, so it serves every host name over HTTP while TLS covers only example.com; Polaris only checks that spec.tls exists',
  'polaris/missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml': 'policyTypes [Egress, Ingress] without ingress rules denies all ingress: the pod is isolated (CHECKS.md §3F); Polaris wants rules in both directions',
  'polaris/missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml': 'policyTypes [Egress, Ingress] without egress rules denies all egress: the pod is isolated (CHECKS.md §3F); Polaris wants rules in both directions',
  'polaris/memoryRequestsMissing/success.yaml': 'cluster/besteffort-pods covers both requests in one check and this pod sets no CPU request; Polaris splits memory and CPU into two checks',
};

interface Case { file: string; check: string; expect: 'pass' | 'fail' }

function objectsOf(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object' && !Array.isArray(o));
}

function agreement(corpus: string, table: Readonly<Record<string, readonly string[]>>) {
  const cases = (JSON.parse(readFileSync(`${ROOT}${corpus}/index.json`, 'utf8')) as Case[]).filter((c) => table[c.check]);
  const rows = cases.map((c) => {
    const ours = (table[c.check] ?? []).map((id) => CHECKS.find((x) => x.id === id)).filter((x) => x !== undefined);
    if (ours.length === 0) return { c, evaluated: false, agrees: true };
    // Peers scan ConfigMap contents by default; ours is opt-in (CHECKS.md D-CM-ALL), so turn it on here.
    const { snapshot } = snapshotFromObjects(objectsOf(`${ROOT}${corpus}/${c.file}`), { config: { ...DEFAULT_CHECK_CONFIG, configMapContents: true } });
    const found = ours.some((check) => runCheck(check, snapshot).findings.length > 0);
    return { c, evaluated: true, agrees: found === (c.expect === 'fail') };
  });
  const evaluated = rows.filter((r) => r.evaluated);
  const disagreements = evaluated.filter((r) => !r.agrees).map((r) => `${corpus}/${r.c.file} (${r.c.check}, expected ${r.c.expect})`);
  return { evaluated: evaluated.length, agree: evaluated.length - disagreements.length, disagreements };
}

describe.skipIf(!present)('agreement with peer scanners', () => {
  it.each([['polaris', POLARIS], ['trivy-checks', TRIVY]] as const)('%s fixtures', (corpus, table) => {
    const { evaluated, agree, disagreements } = agreement(corpus, table);
    console.log(`${corpus} agreement: ${agree}/${evaluated} (known disagreements: ${disagreements.filter((d) => KNOWN[d.split(' ')[0] ?? '']).length})`);
    expect(evaluated).toBeGreaterThan(0);
    const unexplained = disagreements.filter((d) => !KNOWN[d.split(' ')[0] ?? '']);
    expect(unexplained).toEqual([]);
  });
});
