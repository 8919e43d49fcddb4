/**
 * The demo cluster's planted Pod Security and secrets facts (src/demo/cluster.ts header) are
 * exactly what the namespace-level PSS checks and the cluster secrets checks report: no more
 * (compliant namespaces stay quiet), no less.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import type { DataError } from '../../src/engine/snapshot.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { RESOURCES, type ResourceName } from '../../src/engine/resources.js';
import { runCheck } from '../../src/engine/run.js';
import { DEFAULT_CHECK_CONFIG } from '../../src/engine/snapshot.js';

const objects = demoCluster();

/** Like the embedded API server: an optional API (CRD) without objects is not served. */
function notServed(): Partial<Record<ResourceName, DataError>> {
  const errors: Partial<Record<ResourceName, DataError>> = {};
  for (const r of RESOURCES) {
    if (r.builtIn) continue;
    const present = objects.some((o) => o.kind === r.kind && (o.apiVersion ?? '').startsWith(`${r.group}/`));
    if (!present) errors[r.name] = { code: 'not-served', status: 404, message: `not served by this cluster: ${r.plural}.${r.group}` };
  }
  return errors;
}

function run(id: string, configMapContents = false) {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`${id} is not registered`);
  const { snapshot } = snapshotFromObjects(objects, { version: DEMO_VERSION, errors: notServed(), config: { ...DEFAULT_CHECK_CONFIG, configMapContents } });
  const { result, findings } = runCheck(check, snapshot);
  const bySubject = new Map(findings.map((f) => [`${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}${f.subject.container ? `:${f.subject.container}` : ''}`, f]));
  return { result, findings, bySubject };
}

describe('demo cluster: namespace Pod Security', () => {
  it('pss-enforce-missing fails exactly the unlabelled namespaces and ml-jobs, with readiness', () => {
    const { result, bySubject } = run('cluster/pss-enforce-missing');
    expect(result.status).toBe('fail');
    expect([...bySubject.keys()].sort()).toEqual(
      ['analytics', 'default', 'ingress-nginx', 'legacy', 'logging', 'ml-jobs', 'monitoring', 'shop', 'staging'].map((n) => `Namespace//${n}`),
    );
    for (const f of bySubject.values()) {
      expect(f.status).toBe('fail');
      expect(f.severity).toBe('medium');
    }
    const msg = (ns: string) => bySubject.get(`Namespace//${ns}`)?.message ?? '';
    const cmd = (ns: string) => bySubject.get(`Namespace//${ns}`)?.remediation.command ?? '';
    expect(msg('shop')).toContain('has no pod-security.kubernetes.io/enforce label (only warn=restricted: reported, not blocked)');
    expect(msg('shop')).toContain('1 workload would be rejected at baseline: Deployment "shop/legacy-worker"');
    expect(msg('ml-jobs')).toContain('sets pod-security.kubernetes.io/enforce=privileged');
    expect(msg('ml-jobs')).toContain('1 workload would be rejected at baseline: Job "ml-jobs/train-recsys-v7" (2 replicas) (host namespaces)');
    expect(cmd('ml-jobs')).toContain("kubectl label --dry-run=server --overwrite ns 'ml-jobs' 'pod-security.kubernetes.io/enforce=baseline' 'pod-security.kubernetes.io/enforce-version=v1.33'");
    expect(msg('analytics')).toContain('baseline is safe to enforce now');
    expect(cmd('analytics').split('\n')[0]).toBe("kubectl label --overwrite ns 'analytics' 'pod-security.kubernetes.io/enforce=baseline' 'pod-security.kubernetes.io/enforce-version=v1.33'");
    expect(msg('ingress-nginx')).toContain('restricted is safe to enforce now');
    expect(cmd('ingress-nginx')).toBe("kubectl label --overwrite ns 'ingress-nginx' 'pod-security.kubernetes.io/enforce=restricted' 'pod-security.kubernetes.io/enforce-version=v1.33'");
    expect(msg('default')).toContain('an unlabelled namespace may still be covered');
  });

  it('pss-label-invalid warns only about catalog\'s stale v1.25 pin', () => {
    const { result, findings } = run('cluster/pss-label-invalid');
    expect(result.status).toBe('warn');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.subject).toEqual({ kind: 'Namespace', name: 'catalog' });
    expect(findings[0]?.message).toContain('pins pod-security.kubernetes.io/enforce-version=v1.25, 8 minors below the cluster (v1.33)');
    expect(findings[0]?.message).toContain('raising it to v1.33 would reject none of the namespace\'s 3 workloads');
  });

  it('pss-existing-violations fails search\'s privileged init container and warns on shop\'s warn=restricted label', () => {
    const { result, bySubject } = run('cluster/pss-existing-violations');
    expect(result.status).toBe('fail');
    expect([...bySubject.keys()].sort()).toEqual(['Deployment/shop/cart', 'Deployment/shop/legacy-worker', 'Deployment/shop/storefront', 'StatefulSet/search/elasticsearch']);
    const es = bySubject.get('StatefulSet/search/elasticsearch');
    expect(es).toMatchObject({ status: 'fail', severity: 'high' });
    expect(es?.message).toContain('violates PodSecurity "baseline:latest": privileged (container "sysctl" must not set securityContext.privileged=true)');
    expect(es?.message).toContain('possibly exempt');
    for (const name of ['cart', 'legacy-worker', 'storefront']) {
      const f = bySubject.get(`Deployment/shop/${name}`);
      expect(f).toMatchObject({ status: 'warn', severity: 'medium' });
      expect(f?.message).toContain('would violate PodSecurity "restricted:latest"');
    }
  });
});

describe('demo cluster: secrets', () => {
  it.each([false, true])('credentials-in-env-or-configmap reports the AWS key (critical) and DB_PASSWORD (high) only (ConfigMap scan %s)', (configMapContents) => {
    const { result, findings, bySubject } = run('cluster/credentials-in-env-or-configmap', configMapContents);
    expect(result.status).toBe('fail');
    expect([...bySubject.keys()].sort()).toEqual(['Deployment/analytics/event-collector:collector', 'ReplicationController/legacy/legacy-billing:billing']);
    expect(bySubject.get('Deployment/analytics/event-collector:collector')?.severity).toBe('critical');
    expect(bySubject.get('ReplicationController/legacy/legacy-billing:billing')?.severity).toBe('high');
    const text = JSON.stringify(findings);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('demo-password-placeholder');
  });

  it('external-secret-store-absent warns (info): the demo has no external secret store', () => {
    const { result, findings } = run('cluster/external-secret-store-absent');
    expect(result.status).toBe('warn');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('info');
  });
});
