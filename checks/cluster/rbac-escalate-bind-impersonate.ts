import { probe, reportByBinding, type Hit, type Probe } from '../../src/engine/rbac-report.js';
import { RbacIndex, ruleMatches, type Grant, type Match } from '../../src/engine/rbac.js';
import { gradeEscalation, impersonatesUserExtras } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Severity } from '../../src/engine/types.js';

const RBAC = 'rbac.authorization.k8s.io';
const AUTHN = 'authentication.k8s.io';

/** Critical cluster-wide, high through a RoleBinding; resourceNames one level lower (gradeEscalation, shared with the service-account checks). */
const graded = (grant: Grant, match: Match): Severity => gradeEscalation(grant.namespace === undefined, match);

const PROBES: readonly Probe[] = [
  ...(['escalate', 'bind'] as const).flatMap((verb) => (['roles', 'clusterroles'] as const).map((resource) => ({ req: { verb, group: RBAC, resource }, severity: graded }))),
  ...(['users', 'groups', 'serviceaccounts'] as const).map((resource) => ({ req: { verb: 'impersonate', group: '', resource }, severity: graded })),
  { req: { verb: 'impersonate', group: AUTHN, resource: 'uids' }, severity: graded },
  ...(['create', 'update', 'patch'] as const).flatMap((verb) => (['clusterrolebindings', 'clusterroles'] as const).map((resource) => ({ req: { verb, group: RBAC, resource }, severity: graded }))),
  // Namespaced roles and bindings: high wherever they are granted.
  ...(['create', 'update', 'patch'] as const).flatMap((verb) => (['rolebindings', 'roles'] as const).map((resource) => ({
    req: { verb, group: RBAC, resource },
    severity: (grant: Grant, match: Match): Severity => gradeEscalation(grant.namespace === undefined, match, true),
  }))),
];

/**
 * Grants the engine's request matching cannot express: impersonating user extras (resource
 * `userextras`, subresource = the extra's key, any key), and `bind` on ClusterRoles through a
 * RoleBinding (checked in the binding's namespace when a RoleBinding references a ClusterRole).
 */
function extraHits(index: RbacIndex): Hit[] {
  const out: Hit[] = [];
  for (const grant of index.grants()) {
    const { rule } = grant;
    const extras = grant.namespace === undefined ? impersonatesUserExtras(rule) : false;
    if (extras !== false) {
      const match: Match = extras;
      out.push({ grant, match, what: 'impersonate userextras', severity: gradeEscalation(true, match), req: { verb: 'impersonate', group: AUTHN, resource: 'userextras', subresource: 'scopes' } });
    }
    if (grant.namespace !== undefined) {
      const match = ruleMatches(rule, { verb: 'bind', group: RBAC, resource: 'clusterroles' });
      if (match !== false) out.push({ grant, match, what: 'bind clusterroles', severity: gradeEscalation(false, match), req: { verb: 'bind', group: RBAC, resource: 'clusterroles' } });
    }
  }
  return out;
}

export const check: Check = {
  id: 'cluster/rbac-escalate-bind-impersonate',
  layer: 'cluster',
  title: 'Privilege-escalation verbs granted',
  severity: 'critical',
  description:
    'Evaluates the effective RBAC permissions of every binding subject for escalate or bind on roles and clusterroles, impersonate on users, ' +
    'groups, serviceaccounts, uids and userextras, and create, update or patch on clusterroles and clusterrolebindings (critical when granted ' +
    'cluster-wide) or on roles and rolebindings (high). A grant scoped to one namespace by a RoleBinding is one level lower, and so is a grant ' +
    'limited to resourceNames. Default grants (the ClusterRole aggregation controller, control-plane components, rbac-defaults and kubeadm ' +
    'bindings) are excluded; RoleBindings to the built-in admin and edit roles count.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Remove escalate, bind, impersonate and write access to roles and bindings, and keep them for the RBAC management identity only.',
  references: [
    ref.cis('5.1.8'), ref.kubescape('C-0191'), ref.kubescape('C-0065'), ref.trivy('KSV-0043'), ref.trivy('KSV-0050'), ref.trivy('KSV-0051'),
    ref.trivy('KSV-0052'), ref.trivy('KSV-0055'), ref.nsa('AuthN/AuthZ (Role-based access control)'),
  ],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    return reportByBinding(snapshot, index, [...probe(index, PROBES), ...extraHits(index)], {
      why: 'These verbs let a subject grant itself any permission (escalate, bind, writing roles and bindings) or act as another identity (impersonate).',
      fix: 'Remove the verbs from the role; only the identity that manages RBAC needs them, and impersonation belongs to audited break-glass roles.',
    });
  },
};
