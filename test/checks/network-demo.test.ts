/**
 * The network checks over the demo cluster report exactly what src/demo plants (cluster.ts
 * header): Calico enforces policies; no NetworkPolicy in most app namespaces; catalog's only
 * policy selects no pod; default-deny + DNS in payments, checkout, auth and data (nothing there);
 * ingress-nginx v1.11.3 (CVE-2025-1974); shop/storefront and staging/staging-shop without TLS.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import { egressAllowed, isolation, METADATA_TARGETS, netpolIndex } from '../../src/engine/netpol.js';
import { detectCni } from '../../src/engine/cni.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';

const { snapshot } = snapshotFromObjects(demoCluster(), { version: DEMO_VERSION });

const IDS = [
  'cluster/cni-networkpolicy-unsupported', 'cluster/namespace-without-networkpolicy', 'cluster/workload-not-isolated',
  'cluster/namespace-default-deny-missing', 'cluster/gateway-plaintext-listener', 'cluster/ingress-nginx-risky-configuration',
  'cluster/mesh-mtls-not-strict', 'cluster/ingress-without-tls',
] as const;

const results = new Map(IDS.map((id) => {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`${id} is not registered`);
  return [id, runCheck(check, snapshot)] as const;
}));

function run(id: (typeof IDS)[number]) {
  return results.get(id) as ReturnType<typeof runCheck>;
}

const subject = (f: Finding) => `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}`;
const summary = (findings: readonly Finding[]) => findings.map((f) => `${subject(f)} ${f.status} ${f.severity}`).sort();

describe('network checks on the demo cluster', () => {
  it('recognises Calico as an enforcing CNI', () => {
    expect(detectCni(snapshot)).toMatchObject({ cni: 'Calico', enforces: true });
    const { result } = run('cluster/cni-networkpolicy-unsupported');
    expect(result.status).toBe('pass');
    expect(result.reason).toContain('kube-system/calico-node');
  });

  it('flags every app namespace without a NetworkPolicy, and only those', () => {
    const { result, findings } = run('cluster/namespace-without-networkpolicy');
    expect(result.status).toBe('fail');
    expect(findings.map((f) => f.subject.name).sort()).toEqual([
      'analytics', 'cert-manager', 'default', 'ingress-nginx', 'legacy', 'logging', 'ml-jobs', 'monitoring', 'reporting', 'search', 'shop', 'staging',
    ]);
    expect(new Set(findings.map((f) => `${f.status} ${f.severity}`))).toEqual(new Set(['fail medium']));
    expect(result.reason).toBeUndefined();
  });

  it('flags catalog workloads: its only policy selects no pod', () => {
    const { findings } = run('cluster/workload-not-isolated');
    expect(summary(findings)).toEqual([
      'Deployment/catalog/catalog-api fail medium', 'Deployment/catalog/catalog-api warn low',
      'Deployment/catalog/catalog-worker fail medium', 'Deployment/catalog/catalog-worker warn low',
      'Deployment/catalog/image-resizer fail medium', 'Deployment/catalog/image-resizer warn low',
    ]);
  });

  it('reports the missing default deny only in catalog (namespaces with none are the previous check\'s)', () => {
    const { findings } = run('cluster/namespace-default-deny-missing');
    expect(summary(findings)).toEqual(['Namespace//catalog fail low', 'Namespace//catalog fail low']);
    expect(findings.map((f) => f.key).sort()).toEqual([
      'cluster/namespace-default-deny-missing@Namespace/_/catalog#egress', 'cluster/namespace-default-deny-missing@Namespace/_/catalog#ingress',
    ]);
  });

  it('flags ingress-nginx v1.11.3 as critical and warns about the retirement', () => {
    const { findings } = run('cluster/ingress-nginx-risky-configuration');
    expect(summary(findings)).toEqual([
      'Deployment/ingress-nginx/ingress-nginx-controller fail critical',
      'Deployment/ingress-nginx/ingress-nginx-controller warn medium',
    ]);
    expect(findings.find((f) => f.severity === 'critical')?.message).toContain('v1.11.3');
    // The demo ConfigMap disallows snippets, but ConfigMap contents are an opt-in: say it is not visible.
    expect(findings.every((f) => f.message.includes('is not visible'))).toBe(true);
  });

  it('flags the two Ingresses without TLS, high because they are public', () => {
    const { findings } = run('cluster/ingress-without-tls');
    expect(summary(findings)).toEqual(['Ingress/shop/storefront fail high', 'Ingress/staging/staging-shop fail high']);
  });

  it('has no Gateway and no service mesh', () => {
    expect(run('cluster/gateway-plaintext-listener').result.status).toBe('not-applicable');
    expect(run('cluster/mesh-mtls-not-strict').result.status).toBe('not-applicable');
  });

  it('reports nothing in the compliant namespaces payments, checkout, auth and data', () => {
    const compliant = new Set(['payments', 'checkout', 'auth', 'data']);
    for (const id of IDS) {
      const hits = run(id).findings.filter((f) => compliant.has(f.subject.namespace ?? '') || (f.subject.kind === 'Namespace' && compliant.has(f.subject.name)));
      expect(hits.map(subject), id).toEqual([]);
    }
  });

  it('the module agrees: payments is isolated and cannot reach the metadata service; catalog can', () => {
    const index = netpolIndex(snapshot);
    const byNs = (ns: string) => snapshot.workloads().filter((w) => w.namespace === ns && !w.isStatic);
    for (const ns of ['payments', 'checkout', 'auth', 'data']) {
      for (const w of byNs(ns)) {
        expect(isolation(index, w), `${ns}/${w.name}`).toMatchObject({ ingress: true, egress: true });
        for (const target of METADATA_TARGETS) expect(egressAllowed(index, w, target).allowed, `${ns}/${w.name} → ${target.ip}`).toBe(false);
      }
    }
    for (const w of byNs('catalog')) expect(egressAllowed(index, w, METADATA_TARGETS[0] as (typeof METADATA_TARGETS)[number])).toMatchObject({ allowed: true, isolated: false });
  });
});
