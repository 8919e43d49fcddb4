import { probe, reportByBinding, type Probe } from '../../src/engine/rbac-report.js';
import { RbacIndex, type Grant, type Match } from '../../src/engine/rbac.js';
import { gradeSecretsRead } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

/** list/watch cluster-wide → high; get cluster-wide or list/watch in a namespace → medium; names only → low (gradeSecretsRead, shared with the service-account checks). */
const PROBES: readonly Probe[] = (['get', 'list', 'watch'] as const).map((verb) => ({
  req: { verb, group: '', resource: 'secrets' },
  severity: (grant: Grant, match: Match) => gradeSecretsRead(verb, grant.namespace === undefined, match),
}));

export const check: Check = {
  id: 'cluster/rbac-secrets-read',
  layer: 'cluster',
  title: 'Subjects can read Secrets',
  severity: 'high',
  description:
    'Evaluates the effective RBAC permissions of every subject of every RoleBinding and ClusterRoleBinding for get, list and watch on core ' +
    'secrets (including "*" verbs, resources and apiGroups). list or watch cluster-wide is high; get cluster-wide or list/watch in one namespace ' +
    'is medium; get in one namespace, or any grant limited to resourceNames, is low. Bindings to the built-in admin and edit ClusterRoles count. ' +
    'Default grants are excluded: rbac-defaults bindings to system: subjects, control-plane components, kube-controller-manager controller ' +
    'service accounts, system:masters and kubeadm\'s bindings. One finding per binding lists its subjects and the rules that grant the access.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Drop secrets from the role or restrict it with resourceNames, and mount Secrets into pods instead of reading them through the API.',
  references: [ref.cis('5.1.2'), ref.kubescape('C-0186'), ref.kubescape('C-0015'), ref.trivy('KSV-0041'), ref.trivy('KSV-0113'), ref.nsa('AuthN/AuthZ (Role-based access control)')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    return reportByBinding(snapshot, index, probe(index, PROBES), {
      why: 'list and watch return every Secret with its data, including other service accounts\' tokens and TLS keys; get reads any Secret whose name is known.',
      fix: 'Remove secrets from the role (or limit it to the needed names with resourceNames) and have workloads mount the Secrets they use.',
    });
  },
};
