import { reportRoles } from '../../src/engine/rbac-report.js';
import { RbacIndex, type RoleInfo } from '../../src/engine/rbac.js';
import { classifyWildcardVerbs } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export { classifyWildcardVerbs };

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
