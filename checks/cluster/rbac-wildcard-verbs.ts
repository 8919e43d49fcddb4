import type { PolicyRule } from '../../src/engine/k8s.js';
import { reportRoles } from '../../src/engine/rbac-report.js';
import { RbacIndex, type RoleInfo } from '../../src/engine/rbac.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Severity } from '../../src/engine/types.js';

/** CHECKS.md row: resources whose `*` verbs make the rule high, with their API group. Subresources count with their resource. */
const SENSITIVE: ReadonlyMap<string, string> = new Map([
  ['secrets', ''], ['pods', ''], ['replicationcontrollers', ''], ['serviceaccounts', ''], ['nodes', ''], ['persistentvolumes', ''],
  ['deployments', 'apps'], ['daemonsets', 'apps'], ['statefulsets', 'apps'], ['replicasets', 'apps'], ['jobs', 'batch'], ['cronjobs', 'batch'],
  ['roles', 'rbac.authorization.k8s.io'], ['clusterroles', 'rbac.authorization.k8s.io'], ['rolebindings', 'rbac.authorization.k8s.io'],
  ['clusterrolebindings', 'rbac.authorization.k8s.io'],
  ['validatingwebhookconfigurations', 'admissionregistration.k8s.io'], ['mutatingwebhookconfigurations', 'admissionregistration.k8s.io'],
]);
const SENSITIVE_GROUPS = new Set(SENSITIVE.values());

const covers = (groups: readonly string[], group: string): boolean => groups.includes('*') || groups.includes(group);

export function classifyWildcardVerbs(rule: PolicyRule): { severity: Severity; what: string } | undefined {
  if (!(rule.verbs ?? []).includes('*')) return undefined;
  const resources = rule.resources ?? [];
  const groups = rule.apiGroups ?? [];
  if (resources.length === 0) {
    const urls = rule.nonResourceURLs ?? [];
    return urls.length > 0 ? { severity: 'medium', what: `verbs "*" on nonResourceURLs ${urls.join(', ')}` } : undefined;
  }
  // `*` or `*/sub` covers the sensitive resources only in a group that has them (a CRD group's `*` does not).
  const high = resources.some((r) => {
    const base = r.split('/')[0] ?? '';
    if (base === '*') return [...SENSITIVE_GROUPS].some((g) => covers(groups, g));
    const group = SENSITIVE.get(base);
    return group !== undefined && covers(groups, group);
  });
  return { severity: high ? 'high' : 'medium', what: `verbs "*" on ${resources.join(', ')}${groups.length ? ` (apiGroups ${groups.map((g) => (g === '' ? '""' : g)).join(', ')})` : ''}` };
}

/** cluster-admin is the subject of cluster/rbac-cluster-admin-binding; reporting its bindings here again adds nothing. */
export const isClusterAdmin = (info: RoleInfo): boolean => info.ref.kind === 'ClusterRole' && info.ref.name === 'cluster-admin';

export const check: Check = {
  id: 'cluster/rbac-wildcard-verbs',
  layer: 'cluster',
  title: 'Roles grant wildcard verbs',
  severity: 'high',
  description:
    'Inspects every Role and ClusterRole rule whose verbs contain "*". High when the rule\'s resources include "*", "*/<subresource>" or any of ' +
    'secrets, pods (and subresources), deployments, daemonsets, statefulsets, replicasets, jobs, cronjobs, replicationcontrollers, roles, ' +
    'clusterroles, rolebindings, clusterrolebindings, serviceaccounts, nodes, persistentvolumes, validating/mutatingwebhookconfigurations in ' +
    'their API group; medium otherwise. Reported on each binding that gives the role to a non-exempt subject; a custom role nothing binds is ' +
    'low, one only aggregated into another ClusterRole is reported on the role. Default roles (rbac-defaults, kubeadm) are reported only through ' +
    'non-default bindings, cluster-admin not at all (cluster/rbac-cluster-admin-binding).',
  remediation: 'Replace "*" with the verbs the subjects need.',
  references: [ref.cis('5.1.3'), ref.kubescape('C-0187'), ref.trivy('KSV-0045'), ref.trivy('KSV-0044')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => reportRoles(snapshot, RbacIndex.of(snapshot), classifyWildcardVerbs, {
    why: '"*" silently includes future verbs and the escalation verbs escalate, bind, impersonate and deletecollection.',
    fix: 'Enumerate the verbs the subjects need in the role.',
    skipRole: isClusterAdmin,
  }),
};
