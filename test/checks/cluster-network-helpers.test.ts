/** Edge cases of the network checks' helpers: Gateway hostnames, ingress-nginx versions and images, policy templates. */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { listenerHostCovers } from '../../checks/cluster/gateway-plaintext-listener.js';
import { ingressNginxImage, parseVersion, vulnerableToIngressNightmare } from '../../checks/cluster/ingress-nginx-risky-configuration.js';
import { defaultDenyFor } from '../../checks/cluster/namespace-default-deny-missing.js';
import { isolationPolicy, selectorLabels } from '../../checks/cluster/workload-not-isolated.js';
import { isDefaultDeny, isolation } from '../../src/engine/netpol.js';
import type { NetworkPolicy } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';

describe('listenerHostCovers (Gateway API hostname matching)', () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    [undefined, 'shop.example.com', true],
    [undefined, undefined, true],
    ['shop.example.com', undefined, false],
    ['shop.example.com', 'SHOP.example.com', true],
    ['*.example.com', 'shop.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.shop.example.com', true],
    ['*.shop.example.com', '*.example.com', false],
    ['shop.example.com', '*.example.com', false],
    ['*.example.com', 'shop.example.org', false],
  ])('%s covers %s: %s', (secure, plain, expected) => expect(listenerHostCovers(secure, plain)).toBe(expected));
});

describe('ingress-nginx versions (CVE-2025-1974, fixed in v1.11.5 and v1.12.1)', () => {
  it.each<[string, boolean]>([
    ['v1.9.6', true], ['v1.10.6', true], ['v1.11.3', true], ['v1.11.4', true], ['v1.11.5', false], ['v1.11.8', false],
    ['v1.12.0', true], ['v1.12.0-beta.0', true], ['v1.12.1', false], ['v1.13.0', false], ['v0.49.3', true],
  ])('%s vulnerable: %s', (tag, expected) => {
    const v = parseVersion(tag);
    expect(v).toBeDefined();
    expect(vulnerableToIngressNightmare(v as [number, number, number])).toBe(expected);
  });

  it.each<[string, 'upstream' | 'vendor' | undefined]>([
    ['registry.k8s.io/ingress-nginx/controller:v1.11.3@sha256:abc', 'upstream'],
    ['registry.example.com/mirror/ingress-nginx/controller:v1.12.1', 'upstream'],
    ['registry.k8s.io/ingress-nginx/controller-chroot:v1.12.1', 'upstream'],
    ['quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.32.0', 'upstream'],
    ['rancher/nginx-ingress-controller:v1.12.4-hardened2', 'vendor'],
    ['nginx/nginx-ingress:4.0.1', undefined],
    ['registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.4', undefined],
  ])('%s → %s', (image, expected) => expect(ingressNginxImage(image)).toBe(expected));
});

describe('generated NetworkPolicies', () => {
  const hostile = "x\nEOF\n'\"";
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: hostile, uid: 'd1' },
    spec: { selector: { matchLabels: { app: hostile } }, template: { metadata: { labels: { app: hostile, 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }, { containerPort: 8080 }] }] } } },
  };
  const { snapshot } = snapshotFromObjects([deployment]);
  const workload = snapshot.workloads()[0];
  if (!workload) throw new Error('no workload');

  it('select the controller\'s matchLabels, never generated labels', () => {
    expect(selectorLabels(snapshot, workload)).toEqual({ app: hostile });
  });

  it.each(['Ingress', 'Egress'] as const)('%s policy parses, selects the workload and isolates it', (type) => {
    const text = isolationPolicy(snapshot, workload, type);
    const [doc] = parseAllDocuments(text).map((d) => d.toJS() as NetworkPolicy);
    expect(doc?.metadata?.namespace).toBe(hostile);
    expect(doc?.spec?.podSelector).toEqual({ matchLabels: { app: hostile } });
    const after = isolation([doc as NetworkPolicy], workload);
    expect(type === 'Ingress' ? after.ingress : after.egress).toBe(true);
    if (type === 'Ingress') expect((doc?.spec?.ingress as { ports?: unknown[] }[])[0]?.ports).toHaveLength(1);
  });

  it.each(['Ingress', 'Egress'] as const)('default deny %s template is a default deny', (type) => {
    const docs = parseAllDocuments(defaultDenyFor(hostile, type)).map((d) => d.toJS() as NetworkPolicy);
    expect(docs[0]?.metadata?.namespace).toBe(hostile);
    expect(isDefaultDeny(docs[0] as NetworkPolicy, type)).toBe(true);
    expect(docs).toHaveLength(type === 'Egress' ? 2 : 1);
  });
});
