import { describe, expect, it } from 'vitest';
import { check, parseFlags, selectorMatches, wildcardMatch } from '../../checks/container/image-signature-enforcement-absent.js';
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
/** policy-controller verifies only against ClusterImagePolicies: one in enforce mode (the default). */
const cip: K8sObject = { apiVersion: 'policy.sigstore.dev/v1beta1', kind: 'ClusterImagePolicy', metadata: { name: 'signed' }, spec: { images: [{ glob: '**' }] } };
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
    const { result, findings } = run([pod('a', 'shop'), sigstore, cip], { namespaces: { code: 'forbidden', message: 'missing permission: list namespaces' } });
    expect(result.status).toBe('warn');
    expect(findings[0]?.message).toContain('namespace labels unknown');
  });

  it('a verifier that intercepts only Deployments does not cover pods', () => {
    const deploymentsOnly = { ...sigstore, webhooks: [{ name: 'policy.sigstore.dev', rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }] };
    expect(run([pod('a', 'shop'), deploymentsOnly, cip]).result.status).toBe('fail');
  });

  it('an objectSelector limits a dedicated verifier to some pods: WARN', () => {
    const limited = { ...sigstore, webhooks: [{ name: 'policy.sigstore.dev', objectSelector: { matchLabels: { verify: 'yes' } }, rules: [{ apiGroups: [''], operations: ['*'], resources: ['pods'] }] }] };
    const { findings } = run([pod('a', 'shop'), limited, cip]);
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

const ns = (name: string, labels: Record<string, string> = {}): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const kyvernoHook = (namespaceSelector?: object): K8sObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'kyverno-resource-mutating-webhook-cfg' },
  webhooks: [{ name: 'mutate.kyverno.svc-fail', failurePolicy: 'Fail', ...(namespaceSelector ? { namespaceSelector } : {}), rules: [{ apiGroups: [''], operations: ['CREATE'], resources: ['pods'] }] }],
});
const clusterPolicy = (rule: Record<string, unknown>, spec: Record<string, unknown> = { validationFailureAction: 'Enforce' }): K8sObject => ({
  apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'verify' },
  spec: { ...spec, rules: [{ name: 'r', verifyImages: [{ imageReferences: ['*'] }], match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
});
const forbidden = (what: string): DataError => ({ code: 'forbidden', status: 403, message: `missing permission: list ${what}` });
const notServed = (what: string): DataError => ({ code: 'not-served', status: 404, message: `not served by this cluster: ${what}` });
const statusByNs = (r: ReturnType<typeof run>) => Object.fromEntries(r.findings.map((f) => [f.subject.name, f.status]));

describe('wildcardMatch (Kyverno namespace patterns)', () => {
  it.each([['shop', 'shop', true], ['pay-*', 'pay-eu', true], ['pay-*', 'shop', false], ['team-?', 'team-a', true], ['a.b', 'axb', false], ['*', 'anything', true]])(
    '%s ~ %s → %s', (pattern, value, expected) => expect(wildcardMatch(pattern, value)).toBe(expected));
});

describe('container/image-signature-enforcement-absent: Kyverno policies', () => {
  it('a namespaceSelector covers only the labelled namespace', () => {
    const policy = clusterPolicy({ match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { verify: 'yes' } } } }] } });
    const r = run([ns('shop', { verify: 'yes' }), ns('web'), pod('a', 'shop'), pod('b', 'web'), policy, kyvernoHook()]);
    expect(statusByNs(r)).toEqual({ web: 'fail' });
    expect(r.findings[0]?.message).toContain('ClusterPolicy "verify" rule "r" for * does not match this namespace');
  });

  it('match.all intersects; the legacy match.resources form works', () => {
    const all = clusterPolicy({ match: { all: [{ resources: { kinds: ['Pod'] } }, { resources: { namespaces: ['web'] } }] } });
    expect(statusByNs(run([pod('a', 'shop'), pod('b', 'web'), all, kyvernoHook()]))).toEqual({ shop: 'fail' });
    const legacy = clusterPolicy({ match: { resources: { kinds: ['apps/v1/Deployment'] } } });
    expect(run([pod('a', 'shop'), legacy, kyvernoHook()]).result.status).toBe('pass');
  });

  it('a rule that matches other kinds or only UPDATE does not cover pods', () => {
    expect(run([pod('a', 'shop'), clusterPolicy({ match: { any: [{ resources: { kinds: ['Service'] } }] } }), kyvernoHook()]).result.status).toBe('fail');
    expect(run([pod('a', 'shop'), clusterPolicy({ match: { any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] } }), kyvernoHook()]).result.status).toBe('fail');
  });

  it('an exclude of the namespace removes it; an exclude of some users only limits it (WARN)', () => {
    const byNs = clusterPolicy({ exclude: { any: [{ resources: { namespaces: ['shop'] } }] } });
    expect(statusByNs(run([pod('a', 'shop'), pod('b', 'web'), byNs, kyvernoHook()]))).toEqual({ shop: 'fail' });
    const byUser = clusterPolicy({ exclude: { any: [{ subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }] }] } });
    const r = run([pod('a', 'shop'), byUser, kyvernoHook()]);
    expect(statusByNs(r)).toEqual({ shop: 'warn' });
    expect(r.findings[0]?.message).toContain('an exclude block exempts some pods');
  });

  it('failure action: per-entry beats rule beats policy; overrides apply per namespace; default is Audit', () => {
    expect(run([pod('a', 'shop'), clusterPolicy({}, {}), kyvernoHook()]).result.status).toBe('warn');
    expect(run([pod('a', 'shop'), clusterPolicy({ validate: { failureAction: 'Enforce' } }, { validationFailureAction: 'Audit' }), kyvernoHook()]).result.status).toBe('pass');
    expect(run([pod('a', 'shop'), clusterPolicy({ verifyImages: [{ imageReferences: ['*'], failureAction: 'Enforce' }] }, { validationFailureAction: 'Audit' }), kyvernoHook()]).result.status).toBe('pass');
    const overridden = clusterPolicy({}, { validationFailureAction: 'Enforce', validationFailureActionOverrides: [{ action: 'Audit', namespaces: ['web'] }] });
    const r = run([pod('a', 'shop'), pod('b', 'web'), overridden, kyvernoHook()]);
    expect(statusByNs(r)).toEqual({ web: 'warn' });
    expect(r.findings[0]?.message).toContain('verified only in audit/warn mode');
  });

  it('a namespaced Policy covers only its own namespace', () => {
    const policy: K8sObject = { ...clusterPolicy({}), kind: 'Policy', metadata: { name: 'verify', namespace: 'shop' } };
    expect(statusByNs(run([pod('a', 'shop'), pod('b', 'web'), policy, kyvernoHook()]))).toEqual({ web: 'fail' });
  });

  it('Kyverno\'s webhook namespaceSelector limits every policy (e.g. kube-system excluded)', () => {
    const hook = kyvernoHook({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] });
    expect(statusByNs(run([pod('a', 'shop'), pod('b', 'kube-system'), clusterPolicy({}), hook]))).toEqual({ 'kube-system': 'fail' });
  });

  it('policies without any kyverno-resource webhook, failurePolicy Ignore or required: false are unconfirmed (WARN)', () => {
    const noHook = run([pod('a', 'shop'), clusterPolicy({})]);
    expect(noHook.result.status).toBe('warn');
    expect(noHook.findings[0]?.message).toContain('is Kyverno running?');
    expect(run([pod('a', 'shop'), clusterPolicy({}, { validationFailureAction: 'Enforce', failurePolicy: 'Ignore' }), kyvernoHook()]).findings[0]?.message).toContain('failurePolicy: Ignore');
    expect(run([pod('a', 'shop'), clusterPolicy({ verifyImages: [{ imageReferences: ['*'], required: false }] }), kyvernoHook()]).findings[0]?.message).toContain('required: false');
  });

  it('when policies cannot be listed the webhook stays (WARN with the permission); when not served it is ignored (FAIL)', () => {
    const denied = run([pod('a', 'shop'), kyvernoHook()], { 'kyverno-policies': forbidden('policies.kyverno.io') });
    expect(denied.result.status).toBe('warn');
    expect(denied.findings[0]?.message).toContain('missing permission: list policies.kyverno.io');
    const absent = run([pod('a', 'shop'), kyvernoHook()], { 'kyverno-clusterpolicies': notServed('clusterpolicies.kyverno.io'), 'kyverno-policies': notServed('policies.kyverno.io') });
    expect(absent.result.status).toBe('fail');
  });

  it('a readable enforcing ClusterPolicy passes even when namespaced Policies are forbidden', () => {
    expect(run([pod('a', 'shop'), clusterPolicy({}), kyvernoHook()], { 'kyverno-policies': forbidden('policies.kyverno.io') }).result.status).toBe('pass');
  });
});

describe('container/image-signature-enforcement-absent: ImageValidatingPolicy and ClusterImagePolicy', () => {
  const ivpolHook: K8sObject = {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'kyverno-resource-validating-webhook-cfg' },
    webhooks: [{ name: 'ivpol.validate.kyverno.svc-fail', failurePolicy: 'Fail', clientConfig: { service: { path: '/ivpol/validate/fail' } }, rules: [{ apiGroups: [''], operations: ['CREATE'], resources: ['pods'] }] }],
  };
  const ivp = (spec: Record<string, unknown>): K8sObject => ({
    apiVersion: 'policies.kyverno.io/v1', kind: 'ImageValidatingPolicy', metadata: { name: 'ivp' },
    spec: { validationActions: ['Deny'], matchConstraints: { resourceRules: [{ apiGroups: [''], operations: ['CREATE'], resources: ['pods'] }] }, ...spec },
  });

  it('Deny passes; a namespaceSelector limits it; JSON evaluation mode does not apply to pods', () => {
    expect(run([pod('a', 'shop'), ivpolHook, ivp({})]).result.status).toBe('pass');
    const selected = ivp({ matchConstraints: { resourceRules: [{ apiGroups: ['apps'], resources: ['deployments'] }], namespaceSelector: { matchLabels: { verify: 'yes' } } } });
    expect(statusByNs(run([ns('shop', { verify: 'yes' }), ns('web'), pod('a', 'shop'), pod('b', 'web'), ivpolHook, selected]))).toEqual({ web: 'fail' });
    expect(run([pod('a', 'shop'), ivpolHook, ivp({ evaluation: { mode: 'JSON' } })]).result.status).toBe('fail');
  });

  it('with ImageValidatingPolicies forbidden, or their version not served, the ivpol webhook is unconfirmed (WARN)', () => {
    const denied = run([pod('a', 'shop'), ivpolHook], { imagevalidatingpolicies: forbidden('imagevalidatingpolicies.policies.kyverno.io') });
    expect(denied.result.status).toBe('warn');
    expect(denied.findings[0]?.message).toContain('validationActions Deny cannot be read (missing permission: list imagevalidatingpolicies.policies.kyverno.io)');
    // ivpol.* webhooks exist only for ImageValidatingPolicies: "not served" is version skew, not absence.
    const skew = run([pod('a', 'shop'), ivpolHook], { imagevalidatingpolicies: notServed('imagevalidatingpolicies.policies.kyverno.io') });
    expect(skew.result.status).toBe('warn');
    expect(skew.findings[0]?.message).toContain('imagevalidatingpolicies.policies.kyverno.io/v1alpha1 is not served');
    expect(run([pod('a', 'shop')], { imagevalidatingpolicies: notServed('imagevalidatingpolicies.policies.kyverno.io') }).result.status).toBe('fail');
  });

  it('ClusterImagePolicies without the policy.sigstore.dev webhook are unconfirmed in labelled namespaces only', () => {
    const r = run([ns('shop', { 'policy.sigstore.dev/include': 'true' }), ns('web'), pod('a', 'shop'), pod('b', 'web'), cip]);
    expect(statusByNs(r)).toEqual({ shop: 'warn', web: 'fail' });
    expect(r.findings.find((f) => f.subject.name === 'shop')?.message).toContain('no policy.sigstore.dev admission webhook');
  });

  it('one enforcing ClusterImagePolicy among warn-mode ones is enough', () => {
    const warnMode: K8sObject = { ...cip, metadata: { name: 'audit-only' }, spec: { mode: 'warn' } };
    expect(run([ns('shop', { 'policy.sigstore.dev/include': 'true' }), pod('a', 'shop'), sigstore, warnMode, cip]).result.status).toBe('pass');
  });
});
