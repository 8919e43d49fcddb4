import { reportRoles } from '../../src/engine/rbac-report.js';
import { RbacIndex } from '../../src/engine/rbac.js';
import { classifyWildcardResources } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { isClusterAdmin } from './rbac-wildcard-verbs.js';

export { classifyWildcardResources };

export const check: Check = {
  id: 'cluster/rbac-wildcard-resources',
  layer: 'cluster',
  title: 'Roles grant wildcard resources',
  severity: 'high',
  description:
    'Inspects every Role and ClusterRole rule whose resources contain "*" (high when its apiGroups include "*" or a group with Secrets, ' +
    'workloads, RBAC, admission or certificate objects and its verbs read or write; medium otherwise), or whose apiGroups contain "*" with ' +
    'resources that several API groups serve (events, deployments, daemonsets, replicasets, ingresses, networkpolicies, pods, nodes; medium). ' +
    'Reported on each binding that gives the role to a non-exempt subject; a custom role nothing binds is low, one only aggregated into another ' +
    'ClusterRole is reported on the role. Default roles are reported only through non-default bindings, cluster-admin not at all ' +
    '(cluster/rbac-cluster-admin-binding).',
  remediation: 'Replace "*" with the resources and API groups the subjects need.',
  references: [ref.cis('5.1.3'), ref.kubescape('C-0187'), ref.trivy('KSV-0046'), ref.trivy('KSV-0112'), ref.trivy('KSV-0044')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => reportRoles(snapshot, RbacIndex.of(snapshot), classifyWildcardResources, {
    why: '"*" covers Secrets, subresources such as pods/exec and nodes/proxy, and every custom resource installed later.',
    fix: 'Enumerate the resources and API groups the subjects need in the role.',
    skipRole: isClusterAdmin,
  }),
};
