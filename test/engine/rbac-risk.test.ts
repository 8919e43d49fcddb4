import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import type { K8sObject, PolicyRule } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { RbacIndex, type Grant } from '../../src/engine/rbac.js';
import {
  describeRisk, describeRule, grantRisks, isDefaultDiscoveryRule, isNonResourceGetWithin, isSevere, maxSeverity, podSecurityUnenforced,
  PUBLIC_INFO_URLS, ruleRisks, rulePath, type RiskKind,
} from '../../src/engine/rbac-risk.js';
import { runCheck } from '../../src/engine/run.js';

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
  it('treats */*/* as cluster-admin (namespace-admin through a RoleBinding) and nothing else, graded like cluster/rbac-cluster-admin-binding', () => {
    expect(kinds(r(['*'], ['*'], ['*']))).toEqual(['cluster-admin:high']);
    expect(ruleRisks(r(['*'], ['*'], ['*']), true, { broadSubject: true }).map((x) => x.severity)).toEqual(['critical']);
    expect(ruleRisks(r(['*'], ['*'], ['*']), true, { usedByRunningWorkload: true }).map((x) => x.severity)).toEqual(['critical']);
    // Through a RoleBinding only an everyone-group (or kube-system) raises it.
    expect(ruleRisks(r(['*'], ['*'], ['*']), false, { namespace: 'shop', usedByRunningWorkload: true }).map((x) => x.severity)).toEqual(['medium']);
    expect(kinds(r(['*'], ['*'], ['*']), false)).toEqual(['cluster-admin:medium']);
    expect(ruleRisks(r(['*'], ['*'], ['*']), false, { namespace: 'kube-system' }).map((x) => x.severity)).toEqual(['high']);
    expect(ruleRisks(r(['*'], ['*'], ['*']), false, { namespace: 'shop', broadSubject: true }).map((x) => x.severity)).toEqual(['high']);
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

  it('counts wildcards that reach dangerous resources, graded like cluster/rbac-wildcard-verbs and cluster/rbac-wildcard-resources', () => {
    expect(kinds(r([''], ['*'], ['get', 'list']))).toContain('wildcard:high');
    // No reading or writing verb: cluster/rbac-wildcard-resources rates it medium.
    expect(kinds(r([''], ['*'], ['use']))).toEqual(['wildcard:medium']);
    expect(kinds(r(['apps'], ['deployments'], ['*']))).toEqual(['pod-create:medium', 'wildcard:high']);
    // Rule hygiene, not a dangerous permission: left to the wildcard checks.
    expect(kinds(r(['metrics.k8s.io'], ['*'], ['get', 'list']))).toEqual([]);
    expect(kinds(r(['example.com'], ['widgets'], ['*']))).toEqual([]);
    expect(kinds(r(['*'], ['deployments'], ['get']))).toEqual([]);
    expect(kinds(r(['apps'], ['*'], ['get', 'list']))).toEqual([]);
    // A RoleBinding never grants nodes.
    expect(kinds(r([''], ['nodes'], ['*']))).toEqual(['wildcard:high']);
    expect(kinds(r([''], ['nodes'], ['*']), false)).toEqual([]);
    expect(ruleRisks(r(['apps'], ['deployments'], ['*']), true).find((x) => x.kind === 'wildcard')?.what).toBe('do anything to deployments.apps');
  });

  it('pod and controller creation: high where Pod Security is not enforced (cluster-wide: in any namespace), else medium', () => {
    const open = { podSecurityUnenforced: new Set(['shop']) };
    const sev = (rule: PolicyRule, clusterWide: boolean, options: object) => ruleRisks(rule, clusterWide, options).map((x) => `${x.kind}:${x.severity}`);
    expect(sev(r([''], ['pods'], ['create']), true, open)).toEqual(['pod-create:high']);
    expect(sev(r([''], ['pods'], ['create']), true, { podSecurityUnenforced: new Set() })).toEqual(['pod-create:medium']);
    expect(sev(r(['batch'], ['cronjobs'], ['patch']), false, { ...open, namespace: 'shop' })).toEqual(['pod-create:high']);
    expect(sev(r(['batch'], ['cronjobs'], ['patch']), false, { ...open, namespace: 'secure' })).toEqual(['pod-create:medium']);
    // Unknown enforcement (namespaces not readable): medium, as the check says.
    expect(kinds(r([''], ['pods'], ['create']))).toEqual(['pod-create:medium']);
    // resourceNames cannot limit create; update/patch of named objects is low.
    expect(kinds(r([''], ['pods'], ['create'], ['x']))).toEqual([]);
    expect(sev(r(['apps'], ['deployments'], ['patch'], ['web']), true, open)).toEqual(['pod-create:low']);
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

  it('escalation and impersonation are critical cluster-wide, high through a RoleBinding; RBAC writes to Roles high; names one lower', () => {
    expect(kinds(r(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate']))).toEqual(['escalation:critical']);
    expect(kinds(r(['rbac.authorization.k8s.io'], ['clusterrolebindings'], ['create']))).toEqual(['escalation:critical']);
    expect(kinds(r(['rbac.authorization.k8s.io'], ['rolebindings'], ['create']), false)).toEqual(['escalation:high']);
    expect(kinds(r(['rbac.authorization.k8s.io'], ['rolebindings'], ['create']))).toEqual(['escalation:high']);
    expect(kinds(r(['rbac.authorization.k8s.io'], ['roles'], ['bind']), false)).toEqual(['escalation:high']);
    // escalate on ClusterRoles is cluster-scoped; bind on them is checked in the RoleBinding's namespace.
    expect(kinds(r(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate']), false)).toEqual([]);
    expect(kinds(r(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'], ['view']), false)).toEqual(['escalation:medium']);
    expect(kinds(r([''], ['users', 'groups'], ['impersonate']))).toEqual(['impersonate:critical']);
    expect(kinds(r([''], ['users'], ['impersonate'], ['alice']))).toEqual(['impersonate:high']);
    expect(kinds(r([''], ['serviceaccounts'], ['impersonate']), false)).toEqual(['impersonate:high']);
    expect(kinds(r(['authentication.k8s.io'], ['userextras/team'], ['impersonate']))).toEqual(['impersonate:critical']);
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
    expect(kinds(r([''], ['serviceaccounts/token'], ['create'], ['builder']), false)).toEqual(['sa-token-create:low']);
    expect(kinds(r([''], ['persistentvolumes'], ['create']))).toEqual(['pv-create:medium']);
    expect(kinds(r([''], ['persistentvolumes'], ['create'], ['pv-1']))).toEqual([]);
  });

  it('exec, webhook writes and nodes/proxy limited to resourceNames', () => {
    expect(kinds(r([''], ['pods/exec'], ['create'], ['debug-pod']))).toEqual(['exec:medium']);
    expect(kinds(r(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['patch'], ['my-webhook']))).toEqual(['webhook-write:medium']);
    expect(kinds(r(['admissionregistration.k8s.io'], ['validatingadmissionpolicies'], ['deletecollection']))).toEqual(['webhook-write:high']);
    expect(kinds(r([''], ['nodes/proxy'], ['get'], ['node-1']))).toEqual(['nodes-proxy:high']);
    expect(kinds(r([''], ['nodes/proxy'], ['list', 'watch']))).toEqual([]);
  });

  it('finds nothing in read-only or discovery rules', () => {
    expect(kinds(r(['', 'apps'], ['pods', 'deployments', 'configmaps', 'services'], ['get', 'list', 'watch']))).toEqual([]);
    expect(kinds({ nonResourceURLs: ['/metrics'], verbs: ['get'] })).toEqual([]);
    expect(kinds({ nonResourceURLs: ['*'], verbs: ['*'] })).toEqual(['nonresource-wildcard:medium']);
    expect(kinds({ nonResourceURLs: ['/metrics'], verbs: ['*'] })).toEqual([]);
    // A RoleBinding never grants non-resource URLs.
    expect(kinds({ nonResourceURLs: ['*'], verbs: ['*'] }, false)).toEqual([]);
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

describe('every risk is graded like its cluster/rbac-* check', () => {
  // Each group: the rbac-* checks and the risk kinds that stand for the same permissions.
  const GROUPS: readonly { checks: readonly string[]; kinds: readonly RiskKind[] }[] = [
    { checks: ['cluster/rbac-cluster-admin-binding'], kinds: ['cluster-admin'] },
    { checks: ['cluster/rbac-wildcard-verbs', 'cluster/rbac-wildcard-resources'], kinds: ['wildcard', 'nonresource-wildcard'] },
    { checks: ['cluster/rbac-secrets-read'], kinds: ['secrets-read'] },
    { checks: ['cluster/rbac-pod-create'], kinds: ['pod-create'] },
    { checks: ['cluster/rbac-exec-attach-portforward'], kinds: ['exec'] },
    { checks: ['cluster/rbac-escalate-bind-impersonate'], kinds: ['escalation', 'impersonate'] },
    { checks: ['cluster/rbac-nodes-proxy'], kinds: ['nodes-proxy'] },
    { checks: ['cluster/rbac-webhook-config'], kinds: ['webhook-write'] },
    { checks: ['cluster/rbac-sa-token-create'], kinds: ['sa-token-create'] },
    { checks: ['cluster/rbac-csr-approval'], kinds: ['csr-approval'] },
    { checks: ['cluster/rbac-pv-create'], kinds: ['pv-create'] },
  ];
  const RBAC = 'rbac.authorization.k8s.io';
  const ADM = 'admissionregistration.k8s.io';
  const CERTS = 'certificates.k8s.io';
  const withNames = (rule: PolicyRule, names: string[]): PolicyRule => ({ ...rule, resourceNames: names });
  const base: PolicyRule[] = [
    r([''], ['secrets'], ['list']), r([''], ['secrets'], ['watch']), r([''], ['secrets'], ['get']), r(['apps'], ['secrets'], ['list']),
    r([''], ['pods'], ['create']), r(['apps'], ['deployments'], ['patch']), r(['batch'], ['cronjobs', 'jobs'], ['update']), r([''], ['replicationcontrollers'], ['create']),
    r([''], ['pods'], ['get', 'list', 'watch']),
    r([''], ['pods/exec'], ['create']), r([''], ['pods/attach', 'pods/portforward'], ['get']), r([''], ['pods/ephemeralcontainers'], ['patch']),
    r([''], ['*/exec'], ['create']), r([''], ['pods/*'], ['create']),
    r([RBAC], ['roles'], ['escalate']), r([RBAC], ['roles', 'clusterroles'], ['bind']), r([RBAC], ['clusterroles'], ['escalate']),
    r([RBAC], ['clusterrolebindings'], ['create']), r([RBAC], ['clusterroles'], ['patch']), r([RBAC], ['rolebindings'], ['create']), r([RBAC], ['roles'], ['update']),
    r([''], ['users'], ['impersonate']), r([''], ['groups'], ['impersonate']), r([''], ['serviceaccounts'], ['impersonate']),
    r(['authentication.k8s.io'], ['uids'], ['impersonate']), r(['authentication.k8s.io'], ['userextras/scopes'], ['impersonate']),
    r(['authentication.k8s.io'], ['userextras/team'], ['impersonate']),
    r([''], ['nodes/proxy'], ['get']), r([''], ['nodes/proxy'], ['create', 'delete']), r([''], ['*/proxy'], ['get']), r([''], ['nodes/proxy'], ['list', 'watch']),
    r([ADM], ['mutatingwebhookconfigurations'], ['patch']), r([ADM], ['validatingadmissionpolicies'], ['deletecollection']), r([ADM], ['validatingwebhookconfigurations'], ['get', 'list']),
    r([''], ['serviceaccounts/token'], ['create']), r([''], ['persistentvolumes'], ['create']), r([''], ['persistentvolumes'], ['get', 'list']),
    r([CERTS], ['certificatesigningrequests/approval'], ['update']), r([CERTS], ['signers'], ['approve']),
    r([CERTS], ['certificatesigningrequests/approval', 'signers'], ['update', 'approve']),
    r([''], ['*'], ['get', 'list']), r(['metrics.k8s.io'], ['*'], ['get', 'list']), r(['apps'], ['deployments'], ['*']), r(['example.com'], ['widgets'], ['*']),
    r(['*'], ['deployments'], ['get']), r(['*'], ['*'], ['get']), r(['apps'], ['*'], ['use']), r(['*'], ['*'], ['*']), r([''], ['configmaps'], ['*']),
    { nonResourceURLs: ['/metrics'], verbs: ['*'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ];
  const rules = [...base, ...base.filter((x) => (x.resources ?? []).length > 0).map((x) => withNames(x, ['one']))];
  const scopes = [undefined, 'shop', 'kube-system'] as const;
  // cluster-admin grants depend on who holds them: an everyone-group, a service account a running pod uses, or neither.
  const subjects = [
    { subject: { kind: 'ServiceAccount', name: 'app', namespace: 'shop' }, broad: false, running: false },
    { subject: { kind: 'ServiceAccount', name: 'app', namespace: 'shop' }, broad: false, running: true },
    { subject: { kind: 'Group', name: 'system:authenticated', apiGroup: RBAC }, broad: true, running: false },
  ] as const;
  const runningPod: K8sObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app-0', namespace: 'shop', uid: 'p-app-0' },
    spec: { serviceAccountName: 'app', containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] }, status: { phase: 'Running' },
  };
  const namespaceSetups = {
    // Neither namespace enforces Pod Security (the usual case for kube-system).
    open: [{ name: 'shop', labels: {} }, { name: 'kube-system', labels: {} }],
    enforced: [{ name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } }, { name: 'kube-system', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } }],
  };
  const checks = new Map(CHECKS.map((c) => [c.id, c]));

  it.each([['33', 'open'], ['35', 'open'], ['33', 'enforced']] as const)('v1.%s, Pod Security %s', (minor, setup) => {
    const version = { major: '1', minor, gitVersion: `v1.${minor}.2` };
    const mismatches: string[] = [];
    let compared = 0;
    let wildcards = 0;
    for (const rule of rules) {
      for (const scope of scopes) {
        for (const { subject, broad, running } of subjects) {
          const objects: K8sObject[] = [
            ...(running ? [runningPod] : []),
            ...namespaceSetups[setup].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } })),
            { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'custom' }, rules: [rule] },
            {
              apiVersion: `${RBAC}/v1`, kind: scope === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
              metadata: { name: 'custom-binding', ...(scope !== undefined ? { namespace: scope } : {}) },
              roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'custom' }, subjects: [subject],
            },
          ];
          const { snapshot } = snapshotFromObjects(objects, { version });
          const rbacSubject = subject.kind === 'Group' ? { kind: 'Group' as const, name: subject.name } : { kind: 'ServiceAccount' as const, name: subject.name, namespace: subject.namespace };
          const risks = grantRisks(RbacIndex.of(snapshot).grantsFor(rbacSubject), {
            version, podSecurityUnenforced: podSecurityUnenforced(snapshot), broadSubject: broad, usedByRunningWorkload: running,
          });
          for (const group of GROUPS) {
            const findings = group.checks.flatMap((id) => runCheck(checks.get(id)!, snapshot).findings);
            const expected = maxSeverity(findings) ?? 'none';
            const actual = maxSeverity(risks.filter((x) => group.kinds.includes(x.kind))) ?? 'none';
            // The wildcard checks grade rule hygiene wherever a role is bound; the risk table counts a wildcard only where it
            // reaches a dangerous resource the grant can give (and a */*/* rule only as cluster-admin). When it counts one,
            // the grade is theirs.
            if (group.kinds.includes('wildcard') && actual === 'none') continue;
            compared++;
            if (group.kinds.includes('wildcard')) wildcards++;
            if (expected !== actual) mismatches.push(`${group.checks.join('+')} ${JSON.stringify(rule)} ${scope ?? 'cluster-wide'} ${subject.kind}${running ? ' (running pod)' : ''}: check ${expected}, risk ${actual}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(3000);
    expect(wildcards).toBeGreaterThan(20);
  });
});
