import { describe, expect, it } from 'vitest';
import { check, parseFlags, selectorMatches } from '../../checks/container/image-signature-enforcement-absent.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';
import type { DataError } from '../../src/engine/snapshot.js';
import type { DataNeed } from '../../src/engine/types.js';

describe('selectorMatches (label-selector semantics)', () => {
  const labels = { env: 'prod', team: 'a', 'kubernetes.io/metadata.name': 'shop' };
  it.each([
    [undefined, true],
    [{}, true],
    [{ matchLabels: { env: 'prod' } }, true],
    [{ matchLabels: { env: 'dev' } }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'In', values: ['x'] }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'Bogus' }] }, false],
    [{ matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['b'] }] }, false],
  ])('%j → %s', (selector, expected) => expect(selectorMatches(selector, labels, true)).toBe(expected));

  it('is undefined when it needs a label we could not read, false when a known label already excludes', () => {
    const only = { 'kubernetes.io/metadata.name': 'shop' };
    expect(selectorMatches({ matchLabels: { 'policy.sigstore.dev/include': 'true' } }, only, false)).toBeUndefined();
    expect(selectorMatches({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['shop'] }] }, only, false)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] }, only, false)).toBe(true);
  });
});

describe('parseFlags (CHECKS.md §1.5)', () => {
  it('reads --a=b, --a b and bare --a; the last occurrence wins', () => {
    const flags = parseFlags(['--enable-admission-plugins=NodeRestriction', '--v', '2', '--profiling', '--enable-admission-plugins', 'ImagePolicyWebhook', '--x=']);
    expect(flags.get('enable-admission-plugins')).toBe('ImagePolicyWebhook');
    expect(flags.get('v')).toBe('2');
    expect(flags.get('profiling')).toBe('true');
    expect(flags.get('x')).toBe('');
  });
});

const pod = (name: string, namespace: string): K8sObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] }, status: { phase: 'Running' },
});
const sigstore: K8sObject = {
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'policy.sigstore.dev' },
  webhooks: [{
    name: 'policy.sigstore.dev', failurePolicy: 'Fail',
    namespaceSelector: { matchExpressions: [{ key: 'policy.sigstore.dev/include', operator: 'In', values: ['true'] }] },
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
  }],
};
const apiserver = (name: string, plugins: string): K8sObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'kube-system', labels: { component: 'kube-apiserver' }, annotations: { 'kubernetes.io/config.mirror': 'x' } },
  spec: { containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.33.4', command: ['kube-apiserver', `--enable-admission-plugins=${plugins}`] }] },
  status: { phase: 'Running' },
});

function run(objects: K8sObject[], errors: Partial<Record<DataNeed, DataError>> = {}) {
  const { snapshot } = snapshotFromObjects(objects, { errors });
  return runCheck(check, snapshot);
}

describe('container/image-signature-enforcement-absent', () => {
  it('with namespaces unreadable, a label-based selector cannot be decided: WARN, not FAIL or PASS', () => {
    const { result, findings } = run([pod('a', 'shop'), sigstore], { namespaces: { code: 'forbidden', message: 'missing permission: list namespaces' } });
    expect(result.status).toBe('warn');
    expect(findings[0]?.message).toContain('namespace labels unknown');
  });

  it('a verifier that intercepts only Deployments does not cover pods', () => {
    const deploymentsOnly = { ...sigstore, webhooks: [{ name: 'policy.sigstore.dev', rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }] };
    expect(run([pod('a', 'shop'), deploymentsOnly]).result.status).toBe('fail');
  });

  it('an objectSelector limits a dedicated verifier to some pods: WARN', () => {
    const limited = { ...sigstore, webhooks: [{ name: 'policy.sigstore.dev', objectSelector: { matchLabels: { verify: 'yes' } }, rules: [{ apiGroups: [''], operations: ['*'], resources: ['pods'] }] }] };
    const { findings } = run([pod('a', 'shop'), limited]);
    expect(findings.map((f) => f.status)).toEqual(['warn']);
    expect(findings[0]?.message).toContain('objectSelector');
  });

  it('ImagePolicyWebhook on only some API server replicas: WARN naming the others', () => {
    const { findings } = run([pod('a', 'shop'), apiserver('kube-apiserver-cp-1', 'NodeRestriction,ImagePolicyWebhook'), apiserver('kube-apiserver-cp-2', 'NodeRestriction')]);
    expect(findings.map((f) => f.status)).toEqual(['warn']);
    expect(findings[0]?.message).toContain('not enabled on kube-apiserver-cp-2');
  });

  it('mentions that Connaisseur/Portieris could not be seen when mutating webhooks are unreadable', () => {
    const { findings } = run([pod('a', 'shop')], { mutatingwebhookconfigurations: { code: 'forbidden', message: 'missing permission: list mutatingwebhookconfigurations' } });
    expect(findings[0]?.message).toContain('mutatingwebhookconfigurations could not be listed');
  });

  it('system namespaces get scope system', () => {
    const { findings } = run([pod('a', 'kube-system'), pod('b', 'shop')]);
    expect(Object.fromEntries(findings.map((f) => [f.subject.name, f.scope]))).toEqual({ 'kube-system': 'system', shop: 'workload' });
  });

  it('on AKS without an in-cluster verifier it is unable with the az command', () => {
    const node: K8sObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.azure.com/cluster': 'mc_rg' } }, spec: { providerID: 'azure:///subscriptions/x' } };
    const { result, findings } = run([pod('a', 'shop'), node]);
    expect(findings).toHaveLength(0);
    expect(result.status).toBe('unable');
    expect(result.reason).toContain('az aks show');
  });
});
