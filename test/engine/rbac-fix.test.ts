import { describe, expect, it } from 'vitest';
import type { RoleBinding, Subject } from '../../src/engine/k8s.js';
import { removeSubjectsCommands, subjectEvidence } from '../../src/engine/rbac-fix.js';

const masters = (s: Subject) => s.kind === 'Group' && s.name === 'system:masters';
const binding = (subjects: Subject[]): RoleBinding => ({ kind: 'ClusterRoleBinding', metadata: { name: "ops'admins" }, subjects });

describe('removeSubjectsCommands', () => {
  it('deletes the binding when every subject is flagged', () => {
    expect(removeSubjectsCommands({ kind: 'ClusterRoleBinding', name: "ops'admins" }, binding([{ kind: 'Group', name: 'system:masters' }]), masters))
      .toEqual([`kubectl delete clusterrolebinding 'ops'\\''admins'`]);
  });

  it('removes only the flagged subjects, highest index first, each guarded by a test op', () => {
    const b = binding([{ kind: 'Group', name: 'system:masters' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'system:masters' }]);
    const [cmd] = removeSubjectsCommands({ kind: 'RoleBinding', name: 'x', namespace: 'ops' }, b, masters);
    expect(cmd).toContain(`kubectl -n 'ops' patch rolebinding 'x' --type=json -p `);
    const ops = JSON.parse((cmd ?? '').slice((cmd ?? '').indexOf("-p '") + 4, -1)) as { op: string; path: string }[];
    expect(ops.map((o) => `${o.op} ${o.path}`)).toEqual(['test /subjects/2/name', 'remove /subjects/2', 'test /subjects/0/name', 'remove /subjects/0']);
    expect(subjectEvidence({ kind: 'RoleBinding', name: 'x', namespace: 'ops' }, b, masters).map((e) => e.path)).toEqual(['subjects[0]', 'subjects[2]']);
  });

  it('falls back to get/edit/replace when the binding object is unknown', () => {
    expect(removeSubjectsCommands({ kind: 'ClusterRoleBinding', name: 'x' }, undefined, masters)[0]).toBe(`kubectl get clusterrolebinding 'x' -o yaml > 'x.yaml'`);
  });
});
