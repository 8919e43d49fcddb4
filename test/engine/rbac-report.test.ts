/** RBAC findings: one per binding, exempt grants counted not reported, and every command keeps hostile names one word. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { mergeVerbs, probe, reportByBinding, reportRoles } from '../../src/engine/rbac-report.js';
import { RbacIndex } from '../../src/engine/rbac.js';

const HOSTILE = `x'; touch pwned; echo '$(touch pwned2)`;
const RBAC = 'rbac.authorization.k8s.io/v1';
const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

function words(line: string): string[] {
  const out = spawnSync('bash', ['--norc', '--noprofile', '-c', `kubectl() { printf '%s\\n' "$@"; }\n${line}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(out.stderr).toBe('');
  expect(out.status).toBe(0);
  return out.stdout.split('\n').slice(0, -1);
}

const TEXT = { why: 'why', fix: 'fix' };
const LIST_SECRETS = [{ req: { verb: 'list', group: '', resource: 'secrets' }, severity: () => 'high' as const }];

describe('reportByBinding', () => {
  it('reports one finding per binding naming its non-exempt subjects, and removes only those from a shared binding', () => {
    const objects: K8sObject[] = [
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: HOSTILE }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
      {
        apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: HOSTILE, namespace: HOSTILE }, roleRef: roleRef('ClusterRole', HOSTILE),
        subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }, { kind: 'ServiceAccount', name: HOSTILE }, { kind: 'User', name: HOSTILE }],
      },
    ];
    const { snapshot } = snapshotFromObjects(objects);
    const index = RbacIndex.of(snapshot);
    const outcome = reportByBinding(snapshot, index, probe(index, LIST_SECRETS), TEXT);
    expect(outcome.findings).toHaveLength(1);
    const [f] = outcome.findings;
    expect(f?.subject).toEqual({ kind: 'RoleBinding', namespace: HOSTILE, name: HOSTILE });
    expect(f?.message).toContain(`to ServiceAccount "${HOSTILE}/${HOSTILE}", User "${HOSTILE}"`);
    expect(f?.evidence?.map((e) => e.path)).toEqual(['roleRef', 'subjects[1]', 'subjects[2]', `clusterroles[name=${HOSTILE}].rules[0]`]);
    const lines = (f?.remediation.command ?? '').split('\n').filter((l) => !l.startsWith('#'));
    for (const line of lines) words(line);
    expect(words(lines[0] ?? '')).toEqual(['auth', 'can-i', 'list', 'secrets', `--as=system:serviceaccount:${HOSTILE}:${HOSTILE}`, '-n', HOSTILE]);
    expect(words(lines.find((l) => l.includes(' edit ')) ?? '')).toEqual(['edit', 'clusterrole', HOSTILE]);
    const patch = words(lines.find((l) => l.includes(' patch ')) ?? '');
    expect(patch.slice(0, 5)).toEqual(['-n', HOSTILE, 'patch', 'rolebinding', HOSTILE]);
    expect(JSON.parse(patch[7] ?? '')).toEqual([
      { op: 'test', path: '/subjects/2/name', value: HOSTILE }, { op: 'remove', path: '/subjects/2' },
      { op: 'test', path: '/subjects/1/name', value: HOSTILE }, { op: 'remove', path: '/subjects/1' },
    ]);
  });

  it('counts exempt grants in the pass note instead of reporting them', () => {
    const { snapshot } = snapshotFromObjects([
      { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, roleRef: roleRef('ClusterRole', 'cluster-admin'), subjects: [{ kind: 'Group', name: 'system:masters' }] },
    ]);
    const index = RbacIndex.of(snapshot);
    expect(reportByBinding(snapshot, index, probe(index, LIST_SECRETS), TEXT)).toEqual({ findings: [], reason: 'excluded 1 grant(s): system:masters bypasses authorization' });
  });
});

describe('reportRoles', () => {
  it('reports an unbound custom role on the role, with quoted edit and delete commands', () => {
    const { snapshot } = snapshotFromObjects([{ apiVersion: RBAC, kind: 'Role', metadata: { name: HOSTILE, namespace: HOSTILE }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }] }]);
    const outcome = reportRoles(snapshot, RbacIndex.of(snapshot), () => ({ severity: 'high', what: 'verbs "*" on pods' }), TEXT);
    const [f] = outcome.findings;
    expect(f).toMatchObject({ severity: 'low', subject: { kind: 'Role', namespace: HOSTILE, name: HOSTILE } });
    const lines = (f?.remediation.command ?? '').split('\n').filter((l) => !l.startsWith('#'));
    expect(lines.map(words)).toEqual([['-n', HOSTILE, 'edit', 'role', HOSTILE], ['-n', HOSTILE, 'delete', 'role', HOSTILE]]);
  });
});

describe('mergeVerbs', () => {
  it('merges verbs per object, then objects with the same verbs', () => {
    expect(mergeVerbs(['create deployments', 'update deployments', 'create replicasets', 'update replicasets', 'create pods', 'get pods/exec (x)']))
      .toEqual(['create, update deployments, replicasets', 'create pods', 'get pods/exec (x)']);
  });
});
