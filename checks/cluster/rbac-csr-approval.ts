import { probe, reportByBinding, type Hit } from '../../src/engine/rbac-report.js';
import { RbacIndex, describeBinding, ruleMatches, subjectKey, type Grant, type RbacSubject, type ResourceRequest } from '../../src/engine/rbac.js';
import { gradeCsrApproval } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

const CERTS = 'certificates.k8s.io';
const APPROVAL: readonly ResourceRequest[] = (['update', 'patch'] as const).map((verb) => ({ verb, group: CERTS, resource: 'certificatesigningrequests', subresource: 'approval' }));
const SIGNERS: ResourceRequest = { verb: 'approve', group: CERTS, resource: 'signers' };

export const check: Check = {
  id: 'cluster/rbac-csr-approval',
  layer: 'cluster',
  title: 'Subjects can approve certificate requests',
  severity: 'high',
  description:
    'Evaluates the effective RBAC permissions of every ClusterRoleBinding subject for update or patch on certificatesigningrequests/approval ' +
    'and approve on signers (certificates.k8s.io, cluster-scoped). A subject that holds both (through any of its bindings, its implicit ' +
    'groups included) is high: it can approve client certificates, including for privileged groups; one of the two is medium. Default grants ' +
    '(the certificate controller, control-plane components, rbac-defaults and kubeadm bindings) are excluded.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Restrict CSR approval to the CSR approver controller and trusted administrators.',
  references: [ref.cis('5.1.11'), ref.kubescape('C-0280'), ref.doc('Certificates and Certificate Signing Requests: authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const clusterWide = (g: Grant, req: ResourceRequest) => g.namespace === undefined && ruleMatches(g.rule, req) !== false;
    // The other half may come from any binding of the subject (its groups included), default or not.
    const holds = new Map<string, { approval?: Grant; signers?: Grant }>();
    const holdingsOf = (s: RbacSubject) => {
      const key = subjectKey(s);
      let h = holds.get(key);
      if (!h) {
        const grants = index.grantsFor(s);
        h = { approval: grants.find((g) => APPROVAL.some((r) => clusterWide(g, r))), signers: grants.find((g) => clusterWide(g, SIGNERS)) };
        holds.set(key, h);
      }
      return h;
    };
    const both = (g: Grant) => {
      const h = holdingsOf(g.subject);
      return h.approval !== undefined && h.signers !== undefined;
    };
    const hits = probe(index, [
      ...APPROVAL.map((req) => ({ req, severity: (g: Grant) => gradeCsrApproval(both(g)) })),
      { req: SIGNERS, severity: (g: Grant) => gradeCsrApproval(both(g)) },
    ]);
    const notes = (group: readonly Hit[]): string[] => {
      const out = new Set<string>();
      for (const h of group) {
        const held = holdingsOf(h.grant.subject);
        const isApproval = h.req.resource === 'certificatesigningrequests';
        const other = isApproval ? held.signers : held.approval;
        const otherText = isApproval ? 'approve on signers' : 'update on certificatesigningrequests/approval';
        if (!other) out.add(`${otherText} is not granted, so approval alone is not possible`);
        else if (other.binding !== h.grant.binding) out.add(`${otherText} comes from ${describeBinding(other.binding)}`);
      }
      return [...out];
    };
    return reportByBinding(snapshot, index, hits, {
      why: 'An approved CSR for the kube-apiserver-client signer is a client certificate for any user and group the requester chose, system:masters included.',
      fix: 'Remove CSR approval from the role; leave it to the kube-controller-manager CSR approver and trusted administrators.',
      notes,
    });
  },
};
