/** The RBAC engine answers like the API server's RBAC authorizer and marks the defaults exempt (CHECKS.md §1.8, §7 trap 10). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { K8sObject, PolicyRule } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import {
  RbacIndex, canICommand, describeBinding, describeSubject, implicitGroups, ruleMatches, ruleMatchesNonResource, subjectKey,
  type RbacSubject,
} from '../../src/engine/rbac.js';
import { deepFreeze } from '../helpers/freeze.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const BOOT = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
const clusterRole = (name: string, rules: PolicyRule[], labels?: Record<string, string>, extra: object = {}): K8sObject =>
  ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules, ...extra });
const role = (namespace: string, name: string, rules: PolicyRule[], labels?: Record<string, string>): K8sObject =>
  ({ apiVersion: RBAC, kind: 'Role', metadata: { name, namespace, ...(labels ? { labels } : {}) }, rules });
const crb = (name: string, roleName: string, subjects: unknown[], labels?: Record<string, string>): K8sObject =>
  ({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name, ...(labels ? { labels } : {}) }, roleRef: ref('ClusterRole', roleName), subjects });
const rb = (namespace: string, name: string, roleKind: string, roleName: string, subjects: unknown[], labels?: Record<string, string>): K8sObject =>
  ({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name, namespace, ...(labels ? { labels } : {}) }, roleRef: ref(roleKind, roleName), subjects });
const user = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
const group = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
const sa = (namespace: string | undefined, name: string) => ({ kind: 'ServiceAccount', name, ...(namespace !== undefined ? { namespace } : {}) });

function index(objects: K8sObject[]): RbacIndex {
  const { snapshot } = snapshotFromObjects(objects);
  deepFreeze(snapshot);
  return RbacIndex.of(snapshot);
}

const SECRETS_LIST = { verb: 'list', group: '', resource: 'secrets' };

describe('ruleMatches', () => {
  it('matches groups, resources and verbs exactly or by `*`', () => {
    expect(ruleMatches({ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, SECRETS_LIST)).toBe(true);
    expect(ruleMatches({ apiGroups: ['*'], resources: ['secrets'], verbs: ['list'] }, SECRETS_LIST)).toBe(true);
    expect(ruleMatches({ apiGroups: [''], resources: ['*'], verbs: ['list'] }, SECRETS_LIST)).toBe(true);
    expect(ruleMatches({ apiGroups: [''], resources: ['secrets'], verbs: ['*'] }, SECRETS_LIST)).toBe(true);
    expect(ruleMatches({ apiGroups: ['apps'], resources: ['secrets'], verbs: ['list'] }, SECRETS_LIST)).toBe(false);
    expect(ruleMatches({ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }, SECRETS_LIST)).toBe(false);
    expect(ruleMatches({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }, SECRETS_LIST)).toBe(false);
    // Verbs and resources are case-sensitive in the authorizer.
    expect(ruleMatches({ apiGroups: [''], resources: ['Secrets'], verbs: ['LIST'] }, SECRETS_LIST)).toBe(false);
    // A nonResourceURLs rule grants no resource.
    expect(ruleMatches({ nonResourceURLs: ['*'], verbs: ['*'] }, SECRETS_LIST)).toBe(false);
  });

  it('lets `*` cover every subresource and `*/sub` one subresource of every resource', () => {
    const exec = { verb: 'create', group: '', resource: 'pods', subresource: 'exec' };
    expect(ruleMatches({ apiGroups: [''], resources: ['*'], verbs: ['create'] }, exec)).toBe(true);
    expect(ruleMatches({ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }, exec)).toBe(true);
    expect(ruleMatches({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, exec)).toBe(true);
    expect(ruleMatches({ apiGroups: [''], resources: ['pods'], verbs: ['create'] }, exec)).toBe(false);
    expect(ruleMatches({ apiGroups: [''], resources: ['*/attach'], verbs: ['create'] }, exec)).toBe(false);
    // `*/sub` does not grant the parent resource itself.
    expect(ruleMatches({ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }, { verb: 'create', group: '', resource: 'pods' })).toBe(false);
  });

  it('does not treat `resource/*` as a wildcard', () => {
    const rule = { apiGroups: [''], resources: ['pods/*'], verbs: ['create'] };
    expect(ruleMatches(rule, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe(false);
    expect(ruleMatches(rule, { verb: 'create', group: '', resource: 'pods' })).toBe(false);
    expect(ruleMatches(rule, { verb: 'create', group: '', resource: 'pods', subresource: '*' })).toBe(true);
  });

  it('limits resourceNames rules to those names', () => {
    const rule = { apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['get'] };
    expect(ruleMatches(rule, { verb: 'get', group: '', resource: 'secrets' })).toBe('resourceNames');
    expect(ruleMatches(rule, { verb: 'get', group: '', resource: 'secrets', name: 'tls' })).toBe(true);
    expect(ruleMatches(rule, { verb: 'get', group: '', resource: 'secrets', name: 'other' })).toBe(false);
    expect(ruleMatches({ ...rule, resourceNames: [] }, { verb: 'get', group: '', resource: 'secrets' })).toBe(true);
  });
});

describe('ruleMatchesNonResource', () => {
  it('matches exactly, or by prefix when the entry ends with `*`', () => {
    const rule = { nonResourceURLs: ['/healthz', '/metrics/*'], verbs: ['get'] };
    expect(ruleMatchesNonResource(rule, 'get', '/healthz')).toBe(true);
    expect(ruleMatchesNonResource(rule, 'get', '/healthz/etcd')).toBe(false);
    expect(ruleMatchesNonResource(rule, 'get', '/metrics/slis')).toBe(true);
    expect(ruleMatchesNonResource(rule, 'get', '/metrics')).toBe(false);
    expect(ruleMatchesNonResource(rule, 'post', '/healthz')).toBe(false);
    expect(ruleMatchesNonResource({ nonResourceURLs: ['*'], verbs: ['*'] }, 'delete', '/anything')).toBe(true);
    expect(ruleMatchesNonResource({ apiGroups: [''], resources: ['*'], verbs: ['*'] }, 'get', '/healthz')).toBe(false);
  });
});

describe('subjects', () => {
  it('puts service accounts and users in their implicit groups', () => {
    expect(implicitGroups({ kind: 'ServiceAccount', name: 'ci', namespace: 'build' })).toEqual(['system:serviceaccounts', 'system:serviceaccounts:build', 'system:authenticated']);
    expect(implicitGroups({ kind: 'User', name: 'alice' })).toEqual(['system:authenticated']);
    expect(implicitGroups({ kind: 'User', name: 'system:anonymous' })).toEqual(['system:unauthenticated']);
    expect(implicitGroups({ kind: 'Group', name: 'dev' })).toEqual([]);
  });

  it('names subjects and bindings', () => {
    expect(subjectKey({ kind: 'ServiceAccount', name: 'ci', namespace: 'build' })).toBe('ServiceAccount:build/ci');
    expect(subjectKey({ kind: 'User', name: 'alice' })).toBe('User:alice');
    expect(subjectKey({ kind: 'Group', name: 'dev' })).toBe('Group:dev');
    expect(describeSubject({ kind: 'ServiceAccount', name: 'ci', namespace: 'build' })).toBe('ServiceAccount "build/ci"');
    expect(describeSubject({ kind: 'User', name: 'alice' })).toBe('User "alice"');
    expect(describeBinding({ kind: 'ClusterRoleBinding', name: 'x' })).toBe('ClusterRoleBinding "x"');
    expect(describeBinding({ kind: 'RoleBinding', name: 'x', namespace: 'ns' })).toBe('RoleBinding "ns/x"');
  });
});

describe('canICommand', () => {
  const HOSTILE = `x'; touch pwned; echo '$(touch pwned2)`;
  const words = (line: string): string[] => {
    const out = spawnSync('bash', ['--norc', '--noprofile', '-c', `kubectl() { printf '%s\\n' "$@"; }\n${line}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(out.stderr).toBe('');
    return out.stdout.split('\n').slice(0, -1);
  };

  it('impersonates users, groups and service accounts, every value one word', () => {
    expect(words(canICommand({ kind: 'User', name: HOSTILE }))).toEqual(['auth', 'can-i', '--list', `--as=${HOSTILE}`]);
    expect(words(canICommand({ kind: 'Group', name: 'dev' }, 'team'))).toEqual(['auth', 'can-i', '--list', '--as=4c-tui-probe', '--as-group=dev', '-n', 'team']);
    expect(words(canICommand({ kind: 'ServiceAccount', name: 'bot' } as RbacSubject, 'team'))).toEqual(['auth', 'can-i', '--list', '--as=system:serviceaccount:team:bot', '-n', 'team']);
    expect(words(canICommand({ kind: 'ServiceAccount', name: HOSTILE, namespace: HOSTILE }))).toEqual(['auth', 'can-i', '--list', `--as=system:serviceaccount:${HOSTILE}:${HOSTILE}`]);
  });

  it('asks about one request: group-qualified type, subresource, name, namespace or all namespaces', () => {
    const alice: RbacSubject = { kind: 'User', name: 'alice' };
    expect(words(canICommand(alice, undefined, SECRETS_LIST))).toEqual(['auth', 'can-i', 'list', 'secrets', '--as=alice', '--all-namespaces']);
    expect(words(canICommand(alice, 'team', { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })))
      .toEqual(['auth', 'can-i', 'create', 'pods', '--subresource=exec', '--as=alice', '-n', 'team']);
    expect(words(canICommand(alice, 'team', { verb: 'patch', group: 'apps', resource: 'deployments', name: HOSTILE })))
      .toEqual(['auth', 'can-i', 'patch', `deployments.apps/${HOSTILE}`, '--as=alice', '-n', 'team']);
  });
});

describe('RbacIndex grants', () => {
  it('expands bindings into one grant per subject and rule, memoised per snapshot', () => {
    const { snapshot } = snapshotFromObjects([
      clusterRole('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
      crb('readers', 'reader', [user('alice'), group('dev')]),
    ]);
    const idx = RbacIndex.of(snapshot);
    expect(RbacIndex.of(snapshot)).toBe(idx);
    expect(idx.grants()).toHaveLength(4);
    expect(idx.grants()[1]).toMatchObject({
      subject: { kind: 'User', name: 'alice' }, binding: { kind: 'ClusterRoleBinding', name: 'readers' }, role: { kind: 'ClusterRole', name: 'reader' },
      ruleIndex: 1, exempt: false,
    });
    expect(idx.grants()[1]?.namespace).toBeUndefined();
  });

  it('reaches subjects through groups, service-account groups and system:authenticated / unauthenticated', () => {
    const idx = index([
      clusterRole('r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
      crb('to-dev', 'r', [group('dev')]),
      crb('to-all-sa', 'r', [group('system:serviceaccounts')]),
      crb('to-build-sa', 'r', [group('system:serviceaccounts:build')]),
      crb('to-authenticated', 'r', [group('system:authenticated')]),
      crb('to-unauthenticated', 'r', [group('system:unauthenticated')]),
      crb('to-sa-user', 'r', [user('system:serviceaccount:build:ci')]),
    ]);
    const names = (s: RbacSubject, extra?: string[]) => idx.grantsFor(s, extra).map((g) => g.binding.name).sort();
    expect(names({ kind: 'ServiceAccount', name: 'ci', namespace: 'build' })).toEqual(['to-all-sa', 'to-authenticated', 'to-build-sa', 'to-sa-user']);
    expect(names({ kind: 'ServiceAccount', name: 'ci', namespace: 'web' })).toEqual(['to-all-sa', 'to-authenticated']);
    expect(names({ kind: 'User', name: 'alice' })).toEqual(['to-authenticated']);
    expect(names({ kind: 'User', name: 'alice' }, ['dev'])).toEqual(['to-authenticated', 'to-dev']);
    expect(names({ kind: 'User', name: 'system:anonymous' })).toEqual(['to-unauthenticated']);
    expect(names({ kind: 'Group', name: 'dev' })).toEqual(['to-dev']);
  });

  it('scopes a RoleBinding to a ClusterRole to its namespace, and its namespace-less ServiceAccount subjects too', () => {
    const idx = index([
      clusterRole('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
      rb('team', 'read', 'ClusterRole', 'secret-reader', [sa(undefined, 'bot')]),
    ]);
    const [grant] = idx.grants();
    expect(grant).toMatchObject({ namespace: 'team', subject: { kind: 'ServiceAccount', name: 'bot', namespace: 'team' }, binding: { kind: 'RoleBinding', namespace: 'team' } });
    expect(idx.allowing({ ...SECRETS_LIST, namespace: 'team' })).toHaveLength(1);
    expect(idx.allowing({ ...SECRETS_LIST, namespace: 'other' })).toHaveLength(0);
    expect(idx.allowing(SECRETS_LIST)).toHaveLength(1);
  });

  it('never lets a RoleBinding grant a cluster-scoped resource', () => {
    const idx = index([
      clusterRole('pv-maker', [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] }]),
      rb('team', 'pv', 'ClusterRole', 'pv-maker', [user('alice')]),
      crb('pv', 'pv-maker', [user('bob')]),
    ]);
    const hits = idx.allowing({ verb: 'create', group: '', resource: 'persistentvolumes' });
    expect(hits.map((h) => h.grant.subject.name)).toEqual(['bob']);
  });

  it('resolves Roles in the binding namespace only and reports unresolved roleRefs', () => {
    const idx = index([
      role('team', 'r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      rb('team', 'ok', 'Role', 'r', [user('alice')]),
      rb('other', 'wrong-namespace', 'Role', 'r', [user('bob')]),
      crb('missing', 'does-not-exist', [user('carol')]),
      { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'crb-to-role' }, roleRef: ref('Role', 'r'), subjects: [user('dave')] },
    ]);
    expect(idx.grants().map((g) => g.subject.name)).toEqual(['alice']);
    expect(idx.unresolvedBindings().map((b) => b.name).sort()).toEqual(['crb-to-role', 'missing', 'wrong-namespace']);
  });

  it('grants everything through cluster-admin even when the ClusterRole object is missing', () => {
    const idx = index([crb('ops', 'cluster-admin', [user('alice')])]);
    expect(idx.unresolvedBindings()).toEqual([]);
    expect(idx.allowing({ verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'x' })).toHaveLength(1);
    expect(idx.grants().some((g) => ruleMatchesNonResource(g.rule, 'get', '/metrics'))).toBe(true);
  });

  it('returns resourceNames matches with lower confidence', () => {
    const idx = index([
      clusterRole('r', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['get'] }]),
      crb('b', 'r', [user('alice')]),
    ]);
    expect(idx.allowing({ verb: 'get', group: '', resource: 'secrets' }).map((h) => h.match)).toEqual(['resourceNames']);
    expect(idx.allowing({ verb: 'get', group: '', resource: 'secrets', name: 'tls' }).map((h) => h.match)).toEqual([true]);
    expect(idx.allowing({ verb: 'get', group: '', resource: 'secrets', name: 'db' })).toEqual([]);
  });

  it('lists unbound roles, counting aggregation into another ClusterRole as use', () => {
    const idx = index([
      clusterRole('bound', []),
      clusterRole('lonely', []),
      clusterRole('agg-source', [], { 'example.com/aggregate-to-ops': 'true' }),
      clusterRole('ops', [], undefined, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-ops': 'true' } }] } }),
      role('team', 'unused', []),
      crb('b', 'bound', [user('alice')]),
      crb('o', 'ops', [user('alice')]),
    ]);
    expect(idx.unboundRoles().map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`).sort()).toEqual(['ClusterRole//lonely', 'Role/team/unused']);
  });
});

describe('RbacIndex exemptions', () => {
  const exempt = (idx: RbacIndex) => Object.fromEntries(idx.grants().map((g) => [`${g.binding.name}|${subjectKey(g.subject)}`, g.exempt]));
  const ALL: PolicyRule[] = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

  it('exempts system: subjects of rbac-defaults bindings but not other subjects added to them', () => {
    const idx = index([
      clusterRole('system:node-proxier', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }], BOOT),
      crb('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy'), user('mallory'), sa('kube-system', 'kube-proxy'), sa('web', 'x')], BOOT),
    ]);
    expect(exempt(idx)).toEqual({
      'system:node-proxier|User:system:kube-proxy': true, 'system:node-proxier|User:mallory': false,
      'system:node-proxier|ServiceAccount:kube-system/kube-proxy': true, 'system:node-proxier|ServiceAccount:web/x': false,
    });
  });

  it('exempts everyone-groups only on the default discovery bindings that carry them', () => {
    const idx = index([
      clusterRole('system:discovery', [{ nonResourceURLs: ['/api'], verbs: ['get'] }], BOOT),
      crb('system:discovery', 'system:discovery', [group('system:authenticated')], BOOT),
      crb('system:controller:job-controller', 'system:discovery', [group('system:authenticated'), group('system:serviceaccounts:kube-system')], BOOT),
    ]);
    expect(exempt(idx)).toEqual({
      'system:discovery|Group:system:authenticated': true,
      'system:controller:job-controller|Group:system:authenticated': false,
      'system:controller:job-controller|Group:system:serviceaccounts:kube-system': false,
    });
  });

  it('exempts component identities, system:nodes and controller service accounts wherever they are bound', () => {
    const idx = index([
      clusterRole('all', ALL),
      crb('custom', 'all', [user('system:kube-controller-manager'), user('system:kube-scheduler'), user('system:node:n1'), group('system:nodes'), sa('kube-system', 'generic-garbage-collector'), sa('kube-system', 'my-operator'), user('system:unknown')]),
    ]);
    expect(exempt(idx)).toEqual({
      'custom|User:system:kube-controller-manager': true, 'custom|User:system:kube-scheduler': true, 'custom|User:system:node:n1': true,
      'custom|Group:system:nodes': true, 'custom|ServiceAccount:kube-system/generic-garbage-collector': true,
      'custom|ServiceAccount:kube-system/my-operator': false, 'custom|User:system:unknown': false,
    });
  });

  it('exempts cluster-admin → system:masters, and kubeadm:cluster-admins only on its own binding', () => {
    const idx = index([
      clusterRole('cluster-admin', ALL, BOOT),
      crb('cluster-admin', 'cluster-admin', [group('system:masters')], BOOT),
      crb('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins'), user('alice')]),
      crb('copy', 'cluster-admin', [group('kubeadm:cluster-admins')]),
    ]);
    expect(exempt(idx)).toEqual({
      'cluster-admin|Group:system:masters': true, 'kubeadm:cluster-admins|Group:kubeadm:cluster-admins': true,
      'kubeadm:cluster-admins|User:alice': false, 'copy|Group:kubeadm:cluster-admins': false,
    });
    expect(idx.grants().find((g) => g.subject.name === 'system:masters')?.exemptReason).toMatch(/system:masters/);
  });

  it('exempts kubeadm bindings only while their kubeadm roles are unchanged', () => {
    const clusterInfo = (rules: PolicyRule[]) => [
      role('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', rules),
      rb('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', 'Role', 'kubeadm:bootstrap-signer-clusterinfo', [user('system:anonymous')]),
    ];
    const get = { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'], verbs: ['get'] };
    expect(index(clusterInfo([get])).grants().every((g) => g.exempt)).toBe(true);
    expect(index(clusterInfo([get, { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])).grants().some((g) => g.exempt)).toBe(false);
  });

  it('does not exempt non-system subjects bound in system namespaces', () => {
    const idx = index([clusterRole('edit', ALL, BOOT), rb('kube-system', 'ops', 'ClusterRole', 'edit', [user('alice'), sa('kube-system', 'ci')])]);
    expect(idx.grants().map((g) => g.exempt)).toEqual([false, false]);
    expect(idx.allowing(SECRETS_LIST)).toHaveLength(2);
    expect(index([clusterRole('cluster-admin', ALL, BOOT), crb('cluster-admin', 'cluster-admin', [group('system:masters')], BOOT)]).allowing(SECRETS_LIST)).toHaveLength(0);
  });

  it('includes exempt grants in allowing() only when asked', () => {
    const idx = index([crb('cluster-admin', 'cluster-admin', [group('system:masters')], BOOT)]);
    expect(idx.allowing(SECRETS_LIST)).toEqual([]);
    expect(idx.allowing(SECRETS_LIST, { includeExempt: true })).toHaveLength(1);
  });
});
