import { probe, reportByBinding } from '../../src/engine/rbac-report.js';
import { RbacIndex } from '../../src/engine/rbac.js';
import { gradeSaTokenCreate } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/rbac-sa-token-create',
  layer: 'cluster',
  title: 'Subjects can mint service-account tokens',
  severity: 'medium',
  description:
    'Evaluates the effective RBAC permissions of every binding subject for create on the serviceaccounts/token subresource (TokenRequest). ' +
    'Cluster-wide it is high (the subject can act as any service account, including privileged controllers); in one namespace it is medium; ' +
    'limited to resourceNames (named service accounts) one level lower. Default grants (kubelets, controller-manager, rbac-defaults and kubeadm ' +
    'bindings) are excluded.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Remove create on serviceaccounts/token from the role and rely on projected tokens that the kubelet mounts.',
  references: [ref.cis('5.1.13'), ref.kubescape('C-0282')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const hits = probe(index, [{
      req: { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token' },
      severity: (grant, match) => gradeSaTokenCreate(grant.namespace === undefined, match),
    }]);
    return reportByBinding(snapshot, index, hits, {
      why: 'A TokenRequest returns a valid token for the service account: the subject gains every permission of the accounts it can mint tokens for.',
      fix: 'Drop serviceaccounts/token from the role; workloads get their own short-lived tokens through projected volumes.',
    });
  },
};
