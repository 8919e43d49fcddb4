import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../src/engine/k8s.js';
import type { Grant } from '../../src/engine/rbac.js';
import {
  describeRisk, describeRule, grantRisks, isDefaultDiscoveryRule, isNonResourceGetWithin, isSevere, maxSeverity, PUBLIC_INFO_URLS, ruleRisks, rulePath,
} from '../../src/engine/rbac-risk.js';

const r = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule =>
  ({ apiGroups, resources, verbs, ...(resourceNames ? { resourceNames } : {}) });
const kinds = (rule: PolicyRule, clusterWide = true, minor = '33') =>
  ruleRisks(rule, clusterWide, { version: { major: '1', minor, gitVersion: `v1.${minor}.0` } }).map((x) => `${x.kind}:${x.severity}`).sort();

function grant(rule: PolicyRule, namespace?: string, ruleIndex = 0): Grant {
  return {
    subject: { kind: 'ServiceAccount', name: 'app', namespace: 'shop' },
    binding: namespace === undefined ? { kind: 'ClusterRoleBinding', name: 'b' } : { kind: 'RoleBinding', name: 'b', namespace },
    role: { kind: 'ClusterRole', name: 'r' },
    ...(namespace !== undefined ? { namespace } : {}),
    rule, ruleIndex, exempt: false,
  };
}

describe('ruleRisks', () => {
  it('treats */*/* as cluster-admin (namespace-admin through a RoleBinding) and nothing else', () => {
    expect(kinds(r(['*'], ['*'], ['*']))).toEqual(['cluster-admin:critical']);
    expect(kinds(r(['*'], ['*'], ['*']), false)).toEqual(['cluster-admin:high']);
    // resourceNames limit it: no longer admin, but still wildcard.
    expect(kinds(r(['*'], ['*'], ['*'], ['x']))).not.toContain('cluster-admin:critical');
  });

  it('grades secrets reads like cluster/rbac-secrets-read', () => {
    expect(kinds(r([''], ['secrets'], ['list']))).toEqual(['secrets-read:high']);
    expect(kinds(r([''], ['secrets'], ['watch']), false)).toEqual(['secrets-read:medium']);
    expect(kinds(r([''], ['secrets'], ['get']))).toEqual(['secrets-read:medium']);
    expect(kinds(r([''], ['secrets'], ['get'], ['db-password']))).toEqual(['secrets-read:low']);
    expect(kinds(r(['apps'], ['secrets'], ['list']))).toEqual([]);
  });

  it('flags wildcard resources only where they cover the core group', () => {
    expect(kinds(r([''], ['*'], ['get', 'list']))).toContain('wildcard:high');
    expect(kinds(r(['metrics.k8s.io'], ['*'], ['get', 'list']))).toEqual([]);
    expect(kinds(r(['apps'], ['deployments'], ['*']))).toEqual(['pod-create:high', 'wildcard:high']);
    expect(kinds(r(['example.com'], ['widgets'], ['*']))).toEqual([]);
  });

  it('pod and controller creation: high cluster-wide, medium in a namespace', () => {
    expect(kinds(r([''], ['pods'], ['create']))).toEqual(['pod-create:high']);
    expect(kinds(r(['batch'], ['cronjobs'], ['patch']), false)).toEqual(['pod-create:medium']);
    expect(kinds(r([''], ['pods'], ['get', 'list', 'watch']))).toEqual([]);
  });

  it('exec/attach/portforward: get counts before 1.35 only; ephemeral containers by update/patch', () => {
    expect(kinds(r([''], ['pods/exec'], ['create']), false, '36')).toEqual(['exec:high']);
    expect(kinds(r([''], ['pods/exec'], ['get']), true, '34')).toEqual(['exec:high']);
    expect(kinds(r([''], ['pods/exec'], ['get']), true, '35')).toEqual([]);
    expect(kinds(r([''], ['pods/ephemeralcontainers'], ['patch']))).toEqual(['exec:high']);
    expect(kinds(r([''], ['*/exec'], ['create']))).toEqual(['exec:high']);
    // `pods/*` is not a wildcard in the RBAC authorizer.
    expect(kinds(r([''], ['pods/*'], ['create']))).toEqual([]);
    // Unknown version: the wider (pre-1.35) reading.
    expect(ruleRisks(r([''], ['pods/attach'], ['get']), true).map((x) => x.kind)).toEqual(['exec']);
  });

  it('escalation and impersonation are critical; namespaced RBAC writes high', () => {
    expect(kinds(r(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate']))).toEqual(['escalation:critical']);
    expect(kinds(r(['rbac.authorization.k8s.io'], ['clusterrolebindings'], ['create']))).toEqual(['escalation:critical']);
    expect(kinds(r(['rbac.authorization.k8s.io'], ['rolebindings'], ['create']), false)).toEqual(['escalation:high']);
    expect(kinds(r([''], ['users', 'groups'], ['impersonate']))).toEqual(['impersonate:critical']);
    expect(kinds(r([''], ['serviceaccounts'], ['impersonate']), false)).toEqual(['impersonate:critical']);
  });

  it('never lets a RoleBinding grant cluster-scoped resources', () => {
    expect(kinds(r([''], ['nodes/proxy'], ['get']))).toEqual(['nodes-proxy:high']);
    expect(kinds(r([''], ['nodes/proxy'], ['get']), false)).toEqual([]);
    expect(kinds(r(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['patch']))).toEqual(['webhook-write:high']);
    expect(kinds(r(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['patch']), false)).toEqual([]);
    expect(kinds(r([''], ['users'], ['impersonate']), false)).toEqual([]);
  });

  it('token minting and PV creation', () => {
    expect(kinds(r([''], ['serviceaccounts/token'], ['create']))).toEqual(['sa-token-create:high']);
    expect(kinds(r([''], ['serviceaccounts/token'], ['create']), false)).toEqual(['sa-token-create:medium']);
    expect(kinds(r([''], ['persistentvolumes'], ['create']))).toEqual(['pv-create:medium']);
  });

  it('finds nothing in read-only or discovery rules', () => {
    expect(kinds(r(['', 'apps'], ['pods', 'deployments', 'configmaps', 'services'], ['get', 'list', 'watch']))).toEqual([]);
    expect(kinds({ nonResourceURLs: ['/metrics'], verbs: ['get'] })).toEqual([]);
    expect(kinds({ nonResourceURLs: ['*'], verbs: ['*'] })).toEqual(['nonresource-wildcard:medium']);
  });
});

describe('grantRisks', () => {
  it('needs both CSR rules for high', () => {
    const approval = grant(r(['certificates.k8s.io'], ['certificatesigningrequests/approval'], ['update']));
    const signers = grant(r(['certificates.k8s.io'], ['signers'], ['approve']), undefined, 1);
    expect(grantRisks([approval]).map((x) => `${x.kind}:${x.severity}`)).toEqual(['csr-approval:medium']);
    expect(grantRisks([approval, signers]).map((x) => `${x.kind}:${x.severity}`)).toEqual(['csr-approval:high']);
    // Through a RoleBinding neither applies (cluster-scoped).
    expect(grantRisks([grant(approval.rule, 'shop'), grant(signers.rule, 'shop')])).toEqual([]);
  });

  it('rates grants in cluster-equivalent namespaces like cluster-wide ones, without cluster-scoped resources', () => {
    const grants = [grant(r([''], ['secrets'], ['list']), 'kube-system'), grant(r([''], ['nodes/proxy'], ['get']), 'kube-system', 1)];
    expect(grantRisks(grants).map((x) => `${x.kind}:${x.severity}`)).toEqual(['secrets-read:medium']);
    expect(grantRisks(grants, { clusterEquivalentNamespaces: new Set(['kube-system']) }).map((x) => `${x.kind}:${x.severity}`)).toEqual(['secrets-read:high']);
  });

  it('describes a risk with scope, names and source', () => {
    const [risk] = grantRisks([grant(r([''], ['secrets'], ['get'], ['a', 'b']), 'shop')]);
    expect(risk && describeRisk(risk)).toBe('get secrets in namespace "shop" (only a, b) (RoleBinding "shop/b" → ClusterRole "r")');
    expect(risk && isSevere(risk)).toBe(false);
    expect(maxSeverity(grantRisks([grant(r([''], ['secrets'], ['list'])), grant(r([''], ['pods'], ['create']))]))).toBe('high');
    expect(maxSeverity([])).toBeUndefined();
    expect(rulePath(grant(r([''], ['pods'], ['get']), undefined, 3))).toBe('clusterroles[name=r].rules[3]');
  });
});

describe('default discovery envelopes', () => {
  it('accepts the bootstrap discovery, public-info, issuer-discovery and basic-user rules', () => {
    expect(isDefaultDiscoveryRule({ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] })).toBe(true);
    expect(isDefaultDiscoveryRule({ nonResourceURLs: ['/.well-known/openid-configuration', '/openid/v1/jwks'], verbs: ['get'] })).toBe(true);
    expect(isDefaultDiscoveryRule(r(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']))).toBe(true);
    expect(isDefaultDiscoveryRule(r(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']))).toBe(true);
    expect(isDefaultDiscoveryRule({ nonResourceURLs: ['/apis/apps/v1'], verbs: ['get'] })).toBe(true);
  });

  it('rejects anything wider', () => {
    expect(isDefaultDiscoveryRule({ nonResourceURLs: ['/metrics'], verbs: ['get'] })).toBe(false);
    expect(isDefaultDiscoveryRule({ nonResourceURLs: ['/*'], verbs: ['get'] })).toBe(false);
    expect(isDefaultDiscoveryRule({ nonResourceURLs: ['/api'], verbs: ['get', 'post'] })).toBe(false);
    expect(isDefaultDiscoveryRule(r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']))).toBe(false);
    expect(isDefaultDiscoveryRule(r(['authorization.k8s.io', ''], ['selfsubjectaccessreviews'], ['create']))).toBe(false);
    expect(isDefaultDiscoveryRule(r(['*'], ['selfsubjectaccessreviews'], ['create']))).toBe(false);
    expect(isNonResourceGetWithin({ nonResourceURLs: ['/api'], verbs: ['get'] }, PUBLIC_INFO_URLS)).toBe(false);
    expect(isNonResourceGetWithin({ nonResourceURLs: ['/livez', '/version/'], verbs: ['get'] }, PUBLIC_INFO_URLS)).toBe(true);
  });

  it('describes rules for evidence', () => {
    expect(describeRule(r(['apps'], ['deployments'], ['get', 'list']))).toBe('get,list deployments.apps');
    expect(describeRule(r([''], ['configmaps'], ['get'], ['cluster-info']))).toBe('get configmaps [cluster-info]');
    expect(describeRule({ nonResourceURLs: ['/healthz'], verbs: ['get'] })).toBe('get /healthz');
    expect(describeRule(r(['*'], ['*'], ['*']))).toBe('all verbs on all resources (all API groups)');
    expect(describeRule({ nonResourceURLs: ['*'], verbs: ['*'] })).toBe('all verbs on all non-resource URLs');
  });
});
