/**
 * Issue 5's acceptance on the demo cluster: the Cluster tab shows every planted cluster issue
 * once (no duplicate keys, nothing in the compliant namespaces), each finding has a command
 * that runs in a POSIX shell, and each RBAC finding carries the `kubectl auth can-i` command
 * that verifies it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runChecks } from '../../src/engine/run.js';

const cluster = CHECKS.filter((c) => c.layer === 'cluster');
const { snapshot } = snapshotFromObjects(demoCluster(), {
  version: DEMO_VERSION,
  clusterInfo: null,
  kubeconfig: { context: '4c-tui-demo', cluster: '4c-tui-demo', user: '4c-tui-demo', server: 'https://127.0.0.1:6443', insecureSkipTlsVerify: false, authMethod: 'token', serverAddresses: ['127.0.0.1'] },
});
const { results, findings } = runChecks(snapshot, cluster);
const failing = new Set(results.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => r.id));
const subjectsOf = (id: string) => findings.filter((f) => f.checkId === id).map((f) => `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}`);

/** Planted cluster problems (src/demo/cluster.ts header) → the check that must show each. */
const PLANTED: readonly (readonly [check: string, subject: RegExp])[] = [
  ['cluster/outdated-kubernetes-version', /./],
  ['cluster/audit-logging', /^Pod\/kube-system\/kube-apiserver-/],
  ['cluster/secrets-encryption-at-rest', /^Pod\/kube-system\/kube-apiserver-/],
  ['cluster/control-plane-profiling', /^Pod\/kube-system\/kube-(apiserver|scheduler|controller-manager)-/],
  ['cluster/apiserver-anonymous-auth', /^Pod\/kube-system\/kube-apiserver-/],
  ['cluster/apiserver-kubelet-tls', /^Pod\/kube-system\/kube-apiserver-/],
  ['cluster/admission-event-rate-limit', /^Pod\/kube-system\/kube-apiserver-/],
  ['cluster/admission-always-pull-images', /^Pod\/kube-system\/kube-apiserver-/],
  ['cluster/control-plane-bind-address', /^Pod\/kube-system\/kube-scheduler-k8s-cp-3$/],
  ['cluster/kubelet-hardening-defaults', /./],
  ['cluster/kube-proxy-metrics-bind', /./],
  ['cluster/rbac-cluster-admin-binding', /^ClusterRoleBinding\/\/ops-alice-cluster-admin$/],
  ['cluster/rbac-cluster-admin-binding', /^ClusterRoleBinding\/\/analytics-pipeline-admin$/],
  ['cluster/rbac-wildcard-verbs', /ci-deployer/],
  ['cluster/rbac-secrets-read', /./],
  ['cluster/rbac-nodes-proxy', /./],
  ['cluster/legacy-sa-token-secrets', /legacy-billing-token/],
  ['cluster/workload-privileged-service-account', /analytics/],
  ['cluster/pss-enforce-missing', /^Namespace\/\/shop$/],
  ['cluster/pss-enforce-missing', /^Namespace\/\/ml-jobs$/],
  ['cluster/pss-label-invalid', /catalog/],
  ['cluster/pss-existing-violations', /search/],
  ['cluster/namespace-without-networkpolicy', /./],
  ['cluster/ingress-without-tls', /storefront/],
  ['cluster/ingress-tls-secret-missing', /checkout/],
  ['cluster/secrets-as-env-vars', /./],
  ['cluster/credentials-in-env-or-configmap', /legacy-billing/],
  ['cluster/namespace-resourcequota-missing', /./],
  ['cluster/besteffort-pods', /./],
  ['cluster/memory-limit-missing', /./],
  ['cluster/default-namespace-workloads', /debug-toolbox/],
  ['cluster/service-external-ips', /legacy-billing-ext/],
  ['cluster/ingress-nginx-risky-configuration', /./],
];

describe('the demo cluster on the Cluster tab', () => {
  it('runs every cluster check without error', () => {
    expect(results.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
  });

  it.each(PLANTED.map(([c, s]) => [c, s.source] as const))('%s shows %s', (check, source) => {
    expect(failing.has(check), `${check} did not fail: ${results.find((r) => r.id === check)?.reason}`).toBe(true);
    expect(subjectsOf(check).some((s) => new RegExp(source).test(s)), subjectsOf(check).join('\n')).toBe(true);
  });

  it('shows each finding once', () => {
    const keys = findings.map((f) => f.key);
    expect(keys.length - new Set(keys).size).toBe(0);
  });

  it('reports nothing critical or high against the compliant application namespaces payments and auth', () => {
    // (payments reads Secrets into env vars and keycloak sets no CPU limit: planted low findings.)
    const compliant = findings.filter((f) => (f.subject.namespace === 'payments' || f.subject.namespace === 'auth') && (f.severity === 'critical' || f.severity === 'high'));
    expect(compliant.map((f) => `${f.checkId} ${f.subject.kind}/${f.subject.name}`)).toEqual([]);
  });

  it('gives every finding a command that a POSIX shell accepts, and RBAC findings their can-i check', () => {
    const stubs = ['kubectl', 'aws', 'gcloud', 'az', 'oc', 'kubeadm', 'systemctl'].map((t) => `${t}() { :; }`).join('\n');
    const dir = mkdtempSync(join(tmpdir(), '4c-demo-cmd-'));
    const missing: string[] = [];
    for (const f of findings) {
      const command = f.remediation.command;
      if (!command) {
        missing.push(`${f.checkId} ${f.subject.name}`);
        continue;
      }
      const bash = spawnSync('/bin/bash', ['--norc', '--noprofile', '-n', '-c', `${stubs}\n${command}`], { cwd: dir, env: { PATH: '', HOME: dir }, encoding: 'utf8' });
      expect(bash.status, `${f.checkId}: ${bash.stderr}\n${command}`).toBe(0);
      if (/^cluster\/rbac-/.test(f.checkId) && f.subject.kind.endsWith('Binding')) expect(command, f.checkId).toContain('kubectl auth can-i');
    }
    expect(missing).toEqual([]);
  });
});
