/**
 * Remediation and evidence helpers for findings reported on an RBAC binding: the raw
 * binding objects by reference, the evidence of the flagged subjects, and the command that
 * removes exactly those subjects (a JSON patch guarded by `test` ops, so it never removes a
 * subject that moved) or deletes the binding when nothing else is left in it.
 */
import { evidence } from './helpers.js';
import type { RoleBinding, Subject } from './k8s.js';
import type { BindingRef } from './rbac.js';
import { command } from './shell.js';
import type { Snapshot } from './snapshot.js';
import type { Evidence } from './types.js';

export function bindingKey(ref: BindingRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** Every ClusterRoleBinding and RoleBinding of the snapshot by bindingKey. */
export function bindingObjects(snapshot: Snapshot): Map<string, { ref: BindingRef; object: RoleBinding }> {
  const out = new Map<string, { ref: BindingRef; object: RoleBinding }>();
  for (const object of snapshot.list<RoleBinding>('clusterrolebindings')) {
    const ref: BindingRef = { kind: 'ClusterRoleBinding', name: object.metadata?.name ?? '' };
    out.set(bindingKey(ref), { ref, object });
  }
  for (const object of snapshot.list<RoleBinding>('rolebindings')) {
    const ref: BindingRef = { kind: 'RoleBinding', name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '' };
    out.set(bindingKey(ref), { ref, object });
  }
  return out;
}

/** `ServiceAccount shop/api`, `Group system:authenticated`. */
export function subjectText(s: Subject, bindingNamespace: string | undefined): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace || bindingNamespace || ''}/${s.name}` : `${s.kind} ${s.name}`;
}

/** `subjects[i]` evidence for the subjects that match. */
export function subjectEvidence(ref: BindingRef, binding: RoleBinding | undefined, matches: (s: Subject) => boolean): Evidence[] {
  return (binding?.subjects ?? []).flatMap((s, i) => (matches(s) ? [evidence(`subjects[${i}]`, subjectText(s, ref.namespace))] : []));
}

function resourceWord(ref: BindingRef): string {
  return ref.kind === 'ClusterRoleBinding' ? 'clusterrolebinding' : 'rolebinding';
}

/**
 * Commands that take the matching subjects out of the binding: delete the binding when they
 * are all it has, else a JSON patch removing only them (highest index first, each guarded by a
 * `test` of its name). `binding` undefined (not listed) → the get/edit/replace sequence.
 */
export function removeSubjectsCommands(ref: BindingRef, binding: RoleBinding | undefined, matches: (s: Subject) => boolean): string[] {
  const nsFlag = ref.kind === 'RoleBinding' ? command`-n ${ref.namespace ?? ''} ` : '';
  const word = resourceWord(ref);
  const all = binding?.subjects ?? [];
  const flagged = all.map((s, i) => ({ s, i })).filter(({ s }) => matches(s));
  if (!binding || flagged.length === 0) {
    return [
      `kubectl ${nsFlag}get ${word} ` + command`${ref.name} -o yaml > ${`${ref.name}.yaml`}`,
      '# delete the flagged subject(s) from subjects[] in the file, then:',
      command`kubectl replace -f ${`${ref.name}.yaml`}`,
    ];
  }
  if (flagged.length === all.length) return [`kubectl ${nsFlag}delete ${word} ` + command`${ref.name}`];
  const ops = [...flagged].reverse().flatMap(({ s, i }) => [
    { op: 'test', path: `/subjects/${i}/name`, value: s.name },
    { op: 'remove', path: `/subjects/${i}` },
  ]);
  return [`kubectl ${nsFlag}patch ${word} ` + command`${ref.name} --type=json -p ${JSON.stringify(ops)}`];
}
