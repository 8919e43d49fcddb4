import { findings } from '../../src/engine/helpers.js';
import { KUBELET_FIX_COMMAND, KUBELET_FLAGS_NOTE, KUBELET_SUBJECT, kubeletConfig, kubeletConfigUnavailable, kubeletEvidence, kubeletPatch } from '../../src/engine/kubelet.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'The kubelet API (port 10250) runs commands in, and reads logs of, every pod on the node; without authentication and authorization anyone who reaches the port controls the node\'s workloads.';

export const check: Check = {
  id: 'cluster/kubelet-authn-authz',
  layer: 'cluster',
  title: 'Kubelet allows anonymous or unauthorized access',
  severity: 'critical',
  description:
    'Reads the cluster-wide KubeletConfiguration (kube-system/kubelet-config, key kubelet) with v1beta1 defaults for absent fields ' +
    '(authentication.anonymous.enabled=false, authentication.webhook.enabled=true, authorization.mode=Webhook). Fails when ' +
    'authorization.mode is AlwaysAllow (critical), authentication.anonymous.enabled is true (critical with AlwaysAllow, else high: anonymous ' +
    'requests then depend on RBAC for system:anonymous), or authentication.x509.clientCAFile is empty (medium: the API server\'s client ' +
    'certificate cannot be verified). Without the ConfigMap the per-node configuration is not visible and the check is unable.',
  remediation: 'Set authentication.anonymous.enabled to false, authorization.mode to Webhook and authentication.x509.clientCAFile to the cluster CA in the KubeletConfiguration, then restart every kubelet.',
  references: [
    ref.cis('4.2.1'), ref.cis('4.2.2'), ref.cis('4.2.3'), ref.kubescape('C-0069'), ref.kubescape('C-0070'), ref.kubescape('C-0172'),
    ref.kubescape('C-0173'), ref.kubescape('C-0174'), ref.trivy('KCV-0079'), ref.trivy('KCV-0080'), ref.trivy('KCV-0081'),
    ref.fourC('Network access to Nodes'),
    ref.doc('Kubelet authentication/authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'),
  ],
  needs: ['system-configmaps'],
  optionalNeeds: ['nodes', 'pods'],
  evaluate: (snapshot) => {
    const found = kubeletConfig(snapshot);
    if (found.status !== 'found') return kubeletConfigUnavailable(snapshot, found);
    const c = found.config;
    const out: FindingDraft[] = [];
    const alwaysAllow = c.authorization.mode === 'AlwaysAllow';
    const anonymous = c.authentication.anonymous.enabled;
    const base = { subject: KUBELET_SUBJECT, scope: 'workload' as const };

    if (alwaysAllow) {
      out.push({
        ...base,
        discriminator: 'authorization',
        severity: 'critical',
        message: `kube-system/kubelet-config sets authorization.mode=AlwaysAllow: every ${anonymous ? 'caller, including anonymous ones,' : 'authenticated caller'} may exec into any pod through the kubelet API; ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, 'authorization.mode', c.authorization.mode), kubeletEvidence(c, 'authentication.anonymous.enabled', anonymous)],
        remediation: {
          why: WHY,
          fix: 'Set authorization.mode to Webhook (the kubelet asks the API server, i.e. RBAC, about every request), roll it out to every node and restart the kubelets.',
          command: KUBELET_FIX_COMMAND,
          patch: kubeletPatch({ authorization: { mode: 'Webhook' } }),
        },
      });
    }
    if (anonymous) {
      out.push({
        ...base,
        discriminator: 'anonymous',
        severity: alwaysAllow ? 'critical' : 'high',
        message: `kube-system/kubelet-config sets authentication.anonymous.enabled=true: unauthenticated requests to port 10250 are accepted as system:anonymous${alwaysAllow ? ' and authorized for everything' : ' and authorized only by RBAC (any grant to system:anonymous or system:unauthenticated opens the kubelet)'}; ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, 'authentication.anonymous.enabled', anonymous), kubeletEvidence(c, 'authorization.mode', c.authorization.mode)],
        remediation: {
          why: WHY,
          fix: 'Set authentication.anonymous.enabled to false (keep webhook authentication and an x509 client CA), roll it out to every node and restart the kubelets.',
          command: KUBELET_FIX_COMMAND,
          patch: kubeletPatch({ authentication: { anonymous: { enabled: false }, webhook: { enabled: true } } }),
        },
      });
    }
    if (c.authentication.x509.clientCAFile === '') {
      out.push({
        ...base,
        discriminator: 'client-ca',
        severity: 'medium',
        message: `kube-system/kubelet-config sets no authentication.x509.clientCAFile: the kubelet cannot verify client certificates, so the API server's kubelet client certificate is not authenticated${c.authentication.webhook.enabled ? '' : ' and webhook token authentication is off too'}; ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, 'authentication.x509.clientCAFile', ''), kubeletEvidence(c, 'authentication.webhook.enabled', c.authentication.webhook.enabled)],
        remediation: {
          why: 'Without a client CA the kubelet cannot tell the API server from any other caller by certificate; setups like this usually fall back to anonymous access.',
          fix: 'Set authentication.x509.clientCAFile to the cluster CA (kubeadm: /etc/kubernetes/pki/ca.crt), roll it out to every node and restart the kubelets.',
          command: KUBELET_FIX_COMMAND,
          patch: kubeletPatch({ authentication: { x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } } }),
        },
      });
    }
    return findings(out, `kube-system/kubelet-config: anonymous auth off, authorization ${c.authorization.mode}, client CA set; ${KUBELET_FLAGS_NOTE}`);
  },
};
