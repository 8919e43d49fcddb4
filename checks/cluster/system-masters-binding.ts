import { evidence, findings } from '../../src/engine/helpers.js';
import type { RoleBinding, Subject } from '../../src/engine/k8s.js';
import { describeBinding, type BindingRef } from '../../src/engine/rbac.js';
import { removeSubjectsCommands, subjectEvidence } from '../../src/engine/rbac-fix.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const MASTERS = 'system:masters';
const isMasters = (s: Subject): boolean => s.kind === 'Group' && s.name === MASTERS;

const WHY = 'Members of system:masters bypass RBAC entirely (the authorizer allows them before RBAC is asked), and a client certificate carrying the group cannot be revoked before it expires.';

/** The one default: ClusterRoleBinding cluster-admin → ClusterRole cluster-admin. */
function isDefault(ref: BindingRef, b: RoleBinding): boolean {
  return ref.kind === 'ClusterRoleBinding' && ref.name === 'cluster-admin' && b.roleRef?.kind === 'ClusterRole' && b.roleRef.name === 'cluster-admin';
}

export const check: Check = {
  id: 'cluster/system-masters-binding',
  layer: 'cluster',
  title: 'Use of the system:masters group',
  severity: 'high',
  description:
    'Inspects the subjects of every ClusterRoleBinding and RoleBinding, and the organisations (O=) of the client certificate of the kubeconfig ' +
    'context in use. Fails (high) when a binding other than the default cluster-admin ClusterRoleBinding names Group system:masters: the group ' +
    'bypasses authorization, so such a binding signals that system:masters credentials are handed out. Warns (medium) when the scan itself ' +
    'authenticates with a certificate in system:masters. An unreadable certificate is never a finding.',
  remediation: 'Issue per-user credentials bound to RBAC roles and keep system:masters certificates offline for break-glass use only.',
  references: [ref.cis('5.1.7'), ref.kubescape('C-0246'), ref.trivy('KSV-0123')],
  needs: ['clusterrolebindings', 'rolebindings'],
  optionalNeeds: ['kubeconfig'],
  evaluate: (snapshot) => {
    const out: FindingDraft[] = [];
    const bindings = [
      ...snapshot.list<RoleBinding>('clusterrolebindings').map((b): [BindingRef, RoleBinding] => [{ kind: 'ClusterRoleBinding', name: b.metadata?.name ?? '' }, b]),
      ...snapshot.list<RoleBinding>('rolebindings').map((b): [BindingRef, RoleBinding] => [{ kind: 'RoleBinding', name: b.metadata?.name ?? '', namespace: b.metadata?.namespace ?? '' }, b]),
    ];
    for (const [b, object] of bindings) {
      if (!(object.subjects ?? []).some(isMasters) || isDefault(b, object)) continue;
      const role = object.roleRef ? `${object.roleRef.kind} "${object.roleRef.name}"` : 'no role';
      const scope = b.kind === 'RoleBinding' ? ` in namespace "${b.namespace ?? ''}"` : '';
      out.push({
        subject: { kind: b.kind, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), name: b.name },
        scope: 'workload',
        message: `${describeBinding(b)} binds Group "${MASTERS}" to ${role}${scope}: members of system:masters bypass RBAC, so this binding only signals that system:masters credentials are in use`,
        evidence: [evidence('roleRef', object.roleRef ? `${object.roleRef.kind}/${object.roleRef.name}` : '(none)'), ...subjectEvidence(b, object, isMasters)],
        remediation: {
          why: WHY,
          fix: 'Find who holds system:masters certificates, give them per-user credentials bound to RBAC roles, and remove the group from this binding.',
          command: [
            '# client certificates issued through the API (certificates signed off-cluster with the CA key are not visible)',
            command`kubectl get csr -o ${'custom-columns=NAME:.metadata.name,REQUESTOR:.spec.username,SIGNER:.spec.signerName'}`,
            '# take the group out of the binding',
            ...removeSubjectsCommands(b, object, isMasters),
          ].join('\n'),
        },
      });
    }

    const kc = snapshot.kubeconfig;
    let note = 'only the default cluster-admin ClusterRoleBinding names system:masters';
    if (kc?.clientCertificateGroups?.includes(MASTERS)) {
      out.push({
        subject: { kind: 'Kubeconfig', name: kc.context },
        severity: 'medium',
        status: 'warn',
        scope: 'workload',
        message: `kubeconfig context "${kc.context}" authenticates user "${kc.user}" with a client certificate in O=${MASTERS}: you are using an unrevocable break-glass identity that RBAC cannot restrict`,
        evidence: [evidence(`users[name=${kc.user}].user.client-certificate(-data).subject.O`, kc.clientCertificateGroups.join(', '))],
        remediation: {
          why: WHY,
          fix: 'Use a personal credential bound to RBAC roles for daily work (on kubeadm ≥ 1.29 admin.conf uses the kubeadm:cluster-admins group instead; super-admin.conf is the break-glass one) and store the system:masters kubeconfig offline.',
          command: [
            '# who the current credential is, groups included',
            'kubectl auth whoami',
            '# kubeadm: issue a personal kubeconfig in an RBAC group (on a control-plane node):',
            '#   kubeadm kubeconfig user --client-name=<your-name> --org=<rbac-group>',
            '# and bind that group to the role it needs',
            command`kubectl create clusterrolebinding ${'<rbac-group>-view'} --clusterrole=view ${'--group=<rbac-group>'}`,
          ].join('\n'),
        },
      });
    } else if (kc?.clientCertificateGroups === undefined && kc?.authMethod === 'client-certificate') {
      note += '; the kubeconfig client certificate could not be read, so its groups were not checked';
    }
    return findings(out, note);
  },
};
