import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, KUBEADM_PKI, type FlagChange } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import type { Check, Evidence } from '../../src/engine/types.js';

/** kubeadm's base KubeletConfiguration says whether kubelet serving certificates are CA-signed (serverTLSBootstrap). */
function servingCertsBootstrapped(snapshot: Snapshot): boolean | undefined {
  const cm = snapshot.systemConfigMap('kube-system', 'kubelet-config');
  if (!cm) return undefined;
  return /^serverTLSBootstrap:\s*true\s*$/m.test(cm.data?.['kubelet'] ?? '');
}

export const check: Check = {
  id: 'cluster/apiserver-kubelet-tls',
  layer: 'cluster',
  title: 'API server → kubelet connection not mutually authenticated',
  severity: 'high',
  description:
    'Reads --kubelet-client-certificate, --kubelet-client-key and --kubelet-certificate-authority of every kube-apiserver static pod (D-CP), one finding ' +
    'per control-plane node. High: client certificate or key missing (kubelets must then accept unauthenticated calls). Medium: ' +
    '--kubelet-certificate-authority missing (the API server does not verify kubelet serving certificates, so exec, logs and port-forward can be ' +
    'intercepted). Managed control planes are unable with the provider command.',
  remediation: 'Give the API server a kubelet client certificate and verify kubelet serving certificates against the cluster CA.',
  references: [ref.cis('1.2.4'), ref.cis('1.2.5'), ref.kubescape('C-0116'), ref.kubescape('C-0117'), ref.trivy('KCV-0005'), ref.trivy('KCV-0006')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const f = instance.flags;
    const texts: string[] = [];
    const ev: Evidence[] = [];
    const changes: FlagChange[] = [];
    let severity: 'high' | 'medium' = 'medium';
    for (const [flag, value] of [['kubelet-client-certificate', `${KUBEADM_PKI}/apiserver-kubelet-client.crt`], ['kubelet-client-key', `${KUBEADM_PKI}/apiserver-kubelet-client.key`]] as const) {
      if ((f.get(flag) ?? '').trim() !== '') continue;
      severity = 'high';
      texts.push(`no --${flag}`);
      ev.push(flagEvidence(instance, flag));
      changes.push({ flag, value });
    }
    if (severity === 'high') texts[texts.length - 1] += ' (kubelets must accept unauthenticated API-server calls)';
    const caMissing = (f.get('kubelet-certificate-authority') ?? '').trim() === '';
    const bootstrapped = servingCertsBootstrapped(snapshot);
    if (caMissing) {
      texts.push('no --kubelet-certificate-authority (kubelet serving certificates are not verified, so exec/logs/port-forward traffic can be intercepted)');
      ev.push(flagEvidence(instance, 'kubelet-certificate-authority'));
      changes.push({ flag: 'kubelet-certificate-authority', value: `${KUBEADM_PKI}/ca.crt` });
    }
    if (texts.length === 0) return {};
    const before = caMissing && bootstrapped !== true
      ? ['first make kubelet serving certificates CA-signed: serverTLSBootstrap: true in the KubeletConfiguration (kube-system/kubelet-config and /var/lib/kubelet/config.yaml on every node),',
         'restart the kubelets, approve their CSRs (kubectl get csr; kubectl certificate approve <csr>), and only then set the CA flag']
      : [];
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)}: ${texts.join('; ')}`,
        severity,
        evidence: ev,
        remediation: {
          why: 'The API server proxies exec, attach, logs and port-forward to kubelets: without a client certificate kubelets cannot authenticate it, and without a CA it cannot tell a real kubelet from an impostor.',
          fix: caMissing && bootstrapped !== true
            ? 'Enable kubelet serving-certificate bootstrap (serverTLSBootstrap: true) and approve the kubelet CSRs first — kubeadm\'s default kubelet certificates are self-signed and would fail verification — then set the flags in the patch.'
            : 'Set the flags in the patch on every control-plane node (kubeadm paths shown).',
          ...controlPlaneFix(snapshot, instance, changes, { before }),
        },
      })],
    };
  }),
};
