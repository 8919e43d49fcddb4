import { probe, reportByBinding, type Probe } from '../../src/engine/rbac-report.js';
import { RbacIndex, type Match } from '../../src/engine/rbac.js';
import { ADMISSION_RESOURCES, ADMISSION_WRITE_VERBS, gradeWebhookWrite } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

const PROBES: readonly Probe[] = ADMISSION_RESOURCES.flatMap((resource) => ADMISSION_WRITE_VERBS.map((verb) => ({
  req: { verb, group: 'admissionregistration.k8s.io', resource },
  what: `${verb} ${resource}`,
  // Writing only named configurations (an operator patching its own webhook's caBundle) is one level lower.
  severity: (_g: unknown, match: Match) => gradeWebhookWrite(match),
})));

export const check: Check = {
  id: 'cluster/rbac-webhook-config',
  layer: 'cluster',
  title: 'Subjects can change admission webhooks',
  severity: 'high',
  description:
    'Evaluates the effective RBAC permissions of every ClusterRoleBinding subject for create, update, patch, delete or deletecollection ' +
    '(or "*") on validating/mutating webhook configurations, ValidatingAdmissionPolicies and their bindings, and MutatingAdmissionPolicies and ' +
    'their bindings (admissionregistration.k8s.io; cluster-scoped, so RoleBindings never grant them). Writes limited to resourceNames are ' +
    'medium. Default grants are excluded.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Restrict write access to admission webhooks and policies to the policy-engine installers.',
  references: [ref.cis('5.1.12'), ref.kubescape('C-0281'), ref.trivy('KSV-0114')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    return reportByBinding(snapshot, index, probe(index, PROBES), {
      why: 'Whoever controls admission can switch policy enforcement off or mutate every object the API server accepts (for example inject containers into every pod).',
      fix: 'Remove write verbs on admission webhooks and policies from the role; keep them for the installer of the policy engine.',
    });
  },
};
