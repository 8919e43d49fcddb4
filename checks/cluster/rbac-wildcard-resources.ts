import type { PolicyRule } from '../../src/engine/k8s.js';
import { reportRoles } from '../../src/engine/rbac-report.js';
import { RbacIndex } from '../../src/engine/rbac.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Severity } from '../../src/engine/types.js';
import { isClusterAdmin } from './rbac-wildcard-verbs.js';

/** Verbs that read or change objects: with `*` resources they reach Secrets and every subresource. */
const POWERFUL = new Set(['*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', 'approve', 'sign']);
/** Groups whose `*` includes Secrets, pods/exec, nodes/proxy, RBAC or admission objects. */
const SENSITIVE_GROUPS = ['', 'apps', 'batch', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'certificates.k8s.io'];
/** Resource names served by more than one API group (built-in or common add-ons), so `apiGroups: ["*"]` widens them. */
const MULTI_GROUP = new Set(['events', 'deployments', 'daemonsets', 'replicasets', 'ingresses', 'networkpolicies', 'pods', 'nodes', 'podsecuritypolicies', 'endpointslices']);

export function classifyWildcardResources(rule: PolicyRule): { severity: Severity; what: string } | undefined {
  const resources = rule.resources ?? [];
  const groups = rule.apiGroups ?? [];
  const verbs = rule.verbs ?? [];
  const groupText = `apiGroups ${groups.map((g) => (g === '' ? '""' : g)).join(', ')}`;
  if (resources.includes('*')) {
    const sensitive = groups.includes('*') || SENSITIVE_GROUPS.some((g) => groups.includes(g));
    const high = sensitive && verbs.some((v) => POWERFUL.has(v));
    return { severity: high ? 'high' : 'medium', what: `resources "*" (${groupText}; verbs ${verbs.join(', ')})` };
  }
  if (groups.includes('*')) {
    const multi = resources.filter((r) => MULTI_GROUP.has(r.split('/')[0] ?? ''));
    if (multi.length > 0) return { severity: 'medium', what: `apiGroups "*" on ${multi.join(', ')} (served by several API groups)` };
  }
  return undefined;
}

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
