import { probe, reportByBinding } from '../../src/engine/rbac-report.js';
import { RbacIndex } from '../../src/engine/rbac.js';
import { gradePvCreate } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/rbac-pv-create',
  layer: 'cluster',
  title: 'Subjects can create PersistentVolumes',
  severity: 'medium',
  description:
    'Evaluates the effective RBAC permissions of every ClusterRoleBinding subject for create on persistentvolumes (cluster-scoped, so ' +
    'RoleBindings never grant it). Storage provisioners (service accounts in system namespaces), the persistent-volume controller and other ' +
    'default grants are excluded.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Restrict create on persistentvolumes to storage provisioners and let users request storage through PersistentVolumeClaims.',
  references: [ref.cis('5.1.9'), ref.kubescape('C-0278')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    // resourceNames cannot limit create (the name is not known when it is authorized), so such rules grant nothing here.
    const hits = probe(index, [{ req: { verb: 'create', group: '', resource: 'persistentvolumes' }, severity: (_g, match) => gradePvCreate(match) }]);
    return reportByBinding(snapshot, index, hits, {
      why: 'A hostPath PersistentVolume mounts any directory of the node, even where Pod Security forbids hostPath volumes in pods.',
      fix: 'Remove create on persistentvolumes from the role; users create PersistentVolumeClaims and a provisioner creates the volumes.',
      exclude: (grant) => (grant.subject.kind === 'ServiceAccount' && snapshot.isSystemNamespace(grant.subject.namespace) ? 'storage provisioners in system namespaces' : undefined),
    });
  },
};
