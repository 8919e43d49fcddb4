/**
 * The cluster-admin finding names subjects, binding and role; its `kubectl auth can-i` command
 * keeps hostile names one word (run through bash with kubectl stubbed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminRuleIndex, check } from '../../checks/cluster/rbac-cluster-admin-binding.js';
import { canICommand } from '../../src/engine/rbac.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';

const HOSTILE = `x'; touch pwned; echo '$(touch pwned2)`;

let dir = '';
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), '4c-hostile-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function words(line: string): string[] {
  const out = spawnSync('bash', ['--norc', '--noprofile', '-c', `kubectl() { printf '%s\\n' "$@"; }\n${line}`], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  expect(out.stderr).toBe('');
  expect(out.status).toBe(0);
  return out.stdout.split('\n').slice(0, -1);
}

const crb = (name: string, subjects: unknown[], labels?: Record<string, string>): K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, ...(labels ? { labels } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects,
});

describe('cluster/rbac-cluster-admin-binding with hostile names', () => {
  it('keeps a hostile service account, namespace and binding name one word in every command line', () => {
    const { snapshot } = snapshotFromObjects([crb(HOSTILE, [{ kind: 'ServiceAccount', name: HOSTILE, namespace: HOSTILE }])]);
    const { findings } = runCheck(check, snapshot);
    expect(findings).toHaveLength(1);
    const lines = (findings[0]?.remediation.command ?? '').split('\n');
    const canI = lines.find((l) => l.includes('can-i')) ?? '';
    expect(words(canI)).toEqual(['auth', 'can-i', '--list', `--as=system:serviceaccount:${HOSTILE}:${HOSTILE}`]);
    for (const line of lines) words(line);
    expect(words(lines.find((l) => l.includes(' delete ')) ?? '')).toEqual(['delete', 'clusterrolebinding', HOSTILE]);
    expect(existsSync(join(dir, 'pwned')) || existsSync(join(dir, 'pwned2'))).toBe(false);
  });

  it('impersonates users, groups and namespaced service accounts as CHECKS.md §1.8 says', () => {
    expect(words(canICommand({ kind: 'User', name: HOSTILE }, undefined))).toEqual(['auth', 'can-i', '--list', `--as=${HOSTILE}`]);
    expect(words(canICommand({ kind: 'Group', name: 'devs' }, 'team'))).toEqual(['auth', 'can-i', '--list', '--as=4c-tui-probe', '--as-group=devs', '-n', 'team']);
    // A RoleBinding's ServiceAccount subject without namespace is in the binding's namespace.
    expect(words(canICommand({ kind: 'ServiceAccount', name: 'bot' }, 'team'))).toEqual(['auth', 'can-i', '--list', '--as=system:serviceaccount:team:bot', '-n', 'team']);
  });
});

describe('cluster/rbac-cluster-admin-binding findings', () => {
  it('names the subjects, the binding and the role', () => {
    const { snapshot } = snapshotFromObjects([crb('ops-admins', [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'ops' }])]);
    const [finding] = runCheck(check, snapshot).findings;
    expect(finding?.message).toBe('ClusterRoleBinding "ops-admins" grants ClusterRole "cluster-admin" cluster-wide to User "alice", Group "ops"');
    expect(finding?.subject).toEqual({ kind: 'ClusterRoleBinding', name: 'ops-admins' });
  });

  it('removes only the flagged subject from a default binding, never the binding itself', () => {
    const { snapshot } = snapshotFromObjects([crb('cluster-admin', [
      { kind: 'Group', name: 'system:masters' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'system:masters' }, { kind: 'User', name: 'eve' },
    ], { 'kubernetes.io/bootstrapping': 'rbac-defaults' })]);
    const [finding] = runCheck(check, snapshot).findings;
    const lines = finding?.remediation.command?.split('\n') ?? [];
    expect(lines.some((l) => l.includes(' delete '))).toBe(false);
    const patch = words(lines.find((l) => l.includes(' patch ')) ?? '');
    expect(patch.slice(0, 4)).toEqual(['patch', 'clusterrolebinding', 'cluster-admin', '--type=json']);
    // Highest index first, each removal guarded by a test op.
    expect(JSON.parse(patch[5] ?? '')).toEqual([
      { op: 'test', path: '/subjects/3/name', value: 'eve' }, { op: 'remove', path: '/subjects/3' },
      { op: 'test', path: '/subjects/1/name', value: 'bob' }, { op: 'remove', path: '/subjects/1' },
    ]);
  });

  it('excludes control-plane component identities', () => {
    const { snapshot } = snapshotFromObjects([crb('odd', [{ kind: 'User', name: 'system:kube-scheduler' }, { kind: 'Group', name: 'system:nodes' }, { kind: 'User', name: 'system:node:n1' }])]);
    expect(runCheck(check, snapshot)).toMatchObject({ result: { status: 'pass' }, findings: [] });
  });
});

describe('adminRuleIndex', () => {
  it.each([
    [[{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], 0],
    [[{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { nonResourceURLs: ['*'], verbs: ['*'] }], 1],
    [[{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }], -1],
    [[{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }], -1],
    [[{ apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: ['one'] }], -1],
    [[{ nonResourceURLs: ['/metrics'], verbs: ['*'] }], -1],
    [undefined, -1],
  ] as const)('%j → %d', (rules, index) => expect(adminRuleIndex(rules as never)).toBe(index));
});
