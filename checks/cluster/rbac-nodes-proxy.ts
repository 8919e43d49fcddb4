import { probe, reportByBinding, type Hit } from '../../src/engine/rbac-report.js';
import { RbacIndex } from '../../src/engine/rbac.js';
import { gradeNodesProxy, NODES_PROXY_VERBS } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/rbac-nodes-proxy',
  layer: 'cluster',
  title: 'Subjects can use nodes/proxy',
  severity: 'high',
  description:
    'Evaluates the effective RBAC permissions of every ClusterRoleBinding subject for any verb on the nodes/proxy subresource (including "*" ' +
    'resources and "*/proxy"). get alone is enough: the kubelet authorizes WebSocket upgrades of its exec, attach and port-forward endpoints ' +
    'as get, so the subject can run commands in every pod of the node. Default grants (kubelets, control-plane components, rbac-defaults and ' +
    'kubeadm bindings) are excluded.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Grant nodes/metrics, nodes/stats or nodes/log (only what is needed) instead of nodes/proxy.',
  references: [ref.cis('5.1.10'), ref.kubescape('C-0279'), ref.trivy('KSV-0047'), ref.doc('Kubelet authentication/authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const hits: Hit[] = probe(index, NODES_PROXY_VERBS.map((verb) => ({ req: { verb, group: '', resource: 'nodes', subresource: 'proxy' }, severity: gradeNodesProxy })))
      // A `*` verb is reported as such rather than as every verb the kubelet knows.
      .map((h) => ((h.grant.rule.verbs ?? []).includes('*') ? { ...h, what: '* nodes/proxy' } : h));
    return reportByBinding(snapshot, index, hits, {
      why: 'get on nodes/proxy is enough to run commands in every pod on the node through the kubelet\'s WebSocket endpoints; it is commonly granted to monitoring agents.',
      fix: 'Replace nodes/proxy with nodes/metrics, nodes/stats or nodes/log as the agent needs, and keep nodes/proxy for break-glass roles only.',
      notes: () => ['get is enough to run commands in every pod on the node through the kubelet\'s WebSocket endpoints; commonly granted to monitoring agents'],
    });
  },
};
