/**
 * The cluster-component and resource-management checks (CHECKS.md §3C kubelet/kube-proxy/versions,
 * §3E, §3I) against the built-in demo cluster: they find exactly the problems planted there
 * (src/demo/cluster.ts header) and nothing in the compliant namespaces.
 */
import { describe, expect, it } from 'vitest';
import { check as besteffort } from '../../checks/cluster/besteffort-pods.js';
import { check as cpuLimit } from '../../checks/cluster/cpu-limit-missing.js';
import { check as defaultNs } from '../../checks/cluster/default-namespace-workloads.js';
import { check as proxyMetrics } from '../../checks/cluster/kube-proxy-metrics-bind.js';
import { check as kubeletAuth } from '../../checks/cluster/kubelet-authn-authz.js';
import { check as kubeletHardening } from '../../checks/cluster/kubelet-hardening-defaults.js';
import { check as readOnlyPort } from '../../checks/cluster/kubelet-read-only-port.js';
import { check as kubeletTls } from '../../checks/cluster/kubelet-tls-and-rotation.js';
import { check as memoryLimit } from '../../checks/cluster/memory-limit-missing.js';
import { check as limitRange } from '../../checks/cluster/namespace-limitrange-missing.js';
import { check as quota } from '../../checks/cluster/namespace-resourcequota-missing.js';
import { check as skew } from '../../checks/cluster/node-version-skew.js';
import { check as outdated } from '../../checks/cluster/outdated-kubernetes-version.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import { kubeletConfig } from '../../src/engine/kubelet.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';
import type { Check, Finding } from '../../src/engine/types.js';
import { deepFreeze } from '../helpers/freeze.js';

// The research snapshot of CHECKS.md (mid-2026): 1.33 is already past its end of life.
const { snapshot } = snapshotFromObjects(demoCluster(), { version: DEMO_VERSION, collectedAt: '2026-07-01T09:00:00Z' });
deepFreeze(snapshot);

const run = (check: Check) => runCheck(check, snapshot);
const subject = (f: Finding) => `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}${f.subject.container !== undefined ? `:${f.subject.container}` : ''}`;
/** Findings about application objects (system-scoped infrastructure findings are classified, not hidden). */
const app = (findings: readonly Finding[]) => findings.filter((f) => f.scope === 'workload');
const COMPLIANT = ['payments', 'checkout', 'auth'];
const ALL = [besteffort, cpuLimit, defaultNs, proxyMetrics, kubeletAuth, kubeletHardening, readOnlyPort, kubeletTls, memoryLimit, limitRange, quota, skew, outdated];

describe('kubelet and kube-proxy configuration', () => {
  it('accepts the kubeadm authentication and read-only-port settings', () => {
    expect(run(kubeletAuth).result.status).toBe('pass');
    expect(run(readOnlyPort).result.status).toBe('pass');
  });

  it('warns about the self-signed serving certificate (no serverTLSBootstrap)', () => {
    const { result, findings } = run(kubeletTls);
    expect(result.status).toBe('warn');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence.map((e) => e.path)).toContain('data.kubelet.serverTLSBootstrap');
  });

  it('reports the missing podPidsLimit, seccompDefault and protectKernelDefaults in one finding', () => {
    const { findings } = run(kubeletHardening);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence.map((e) => e.path)).toEqual(['data.kubelet.podPidsLimit', 'data.kubelet.seccompDefault', 'data.kubelet.protectKernelDefaults', 'note']);
  });

  it('exposes seccompDefault for container/seccomp-not-set', () => {
    const found = kubeletConfig(snapshot);
    expect(found.status === 'found' && found.config.seccompDefault).toBe(false);
  });

  it('finds kube-proxy metrics on 0.0.0.0:10249', () => {
    const { findings } = run(proxyMetrics);
    expect(findings.map(subject)).toEqual(['ConfigMap/kube-system/kube-proxy']);
    expect(findings[0]?.evidence[0]?.value).toBe('0.0.0.0:10249');
  });
});

describe('Kubernetes versions', () => {
  it('fails the v1.33 control plane and every v1.33 kubelet', () => {
    const { findings } = run(outdated);
    expect(findings.map(subject)).toEqual([
      'Cluster//cluster',
      ...['k8s-cp-1', 'k8s-cp-2', 'k8s-cp-3', 'k8s-worker-1', 'k8s-worker-2', 'k8s-worker-3', 'k8s-worker-4', 'k8s-worker-5', 'k8s-worker-6'].map((n) => `Node//${n}`),
    ]);
    expect(findings.every((f) => f.status === 'fail' && f.severity === 'high')).toBe(true);
    expect(findings[0]?.message).toContain('supported at 2026-07-01: 1.36, 1.35, 1.34');
  });

  it('accepts the patch-level skew of k8s-worker-5 (v1.33.1)', () => {
    expect(run(skew).result.status).toBe('pass');
  });
});

describe('resource management', () => {
  it('finds the BestEffort pods in legacy and default', () => {
    const findings = app(run(besteffort).findings);
    expect(findings.map(subject).sort()).toEqual(['Pod/default/debug-toolbox', 'ReplicationController/legacy/legacy-billing']);
    expect(findings.every((f) => f.severity === 'medium')).toBe(true);
  });

  it('finds the containers without a memory limit', () => {
    expect(app(run(memoryLimit).findings).map(subject).sort()).toEqual([
      'Deployment/shop/cart:cart',
      'Deployment/shop/legacy-worker:worker',
      'Deployment/staging/staging-api:app',
      'Deployment/staging/staging-cart:app',
      'Deployment/staging/staging-frontend:app',
      'Pod/default/debug-toolbox:debug-toolbox',
      'ReplicationController/legacy/legacy-billing:billing',
      'StatefulSet/search/elasticsearch:sysctl',
    ]);
  });

  it('finds namespaces without quota and without LimitRange defaults', () => {
    const uncovered = ['analytics', 'catalog', 'cert-manager', 'default', 'ingress-nginx', 'legacy', 'logging', 'ml-jobs', 'monitoring', 'search', 'shop'];
    expect(run(quota).findings.map((f) => f.subject.name)).toEqual([...uncovered, 'staging'].sort());
    expect(run(limitRange).findings.map((f) => f.subject.name)).toEqual([...uncovered, 'data'].sort());
  });

  it('finds the bare pod in default and nothing else there', () => {
    expect(run(defaultNs).findings.map(subject)).toEqual(['Pod/default/debug-toolbox']);
  });

  it('reports nothing in the compliant namespaces', () => {
    for (const check of ALL) {
      const inCompliant = run(check).findings.filter((f) => COMPLIANT.includes(f.subject.namespace ?? f.subject.name));
      // The demo gives auth/keycloak no CPU limit (not listed as planted); the low finding is correct (CHECKS.md §7 trap 14).
      const expected = check === cpuLimit ? ['Deployment/auth/keycloak:keycloak'] : [];
      expect({ check: check.id, findings: inCompliant.map(subject) }).toEqual({ check: check.id, findings: expected });
    }
  });
});
