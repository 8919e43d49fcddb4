import { findings } from '../../src/engine/helpers.js';
import { KUBELET_FIX_COMMAND, KUBELET_FLAGS_NOTE, KUBELET_SUBJECT, kubeletConfig, kubeletConfigUnavailable, kubeletEvidence, kubeletPatch } from '../../src/engine/kubelet.js';
import { detectProvider } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/kubelet-read-only-port',
  layer: 'cluster',
  title: 'Kubelet read-only port enabled',
  severity: 'high',
  description:
    'Reads readOnlyPort of the cluster-wide KubeletConfiguration (kube-system/kubelet-config, key kubelet); the v1beta1 default is 0 (off), ' +
    'while a kubelet started from command-line defaults listens on 10255. Fails when readOnlyPort is greater than 0: that port serves pod ' +
    'specs, node stats and metrics without authentication. Without the ConfigMap (managed node pools) the check is unable; GKE has historically enabled the port.',
  remediation: 'Set readOnlyPort to 0 in the KubeletConfiguration and restart every kubelet.',
  references: [
    ref.cis('4.2.4'), ref.kubescape('C-0175'), ref.trivy('KCV-0082'), ref.fourC('Network access to Nodes'),
    ref.doc('Kubelet configuration (readOnlyPort)', 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'),
  ],
  needs: ['system-configmaps'],
  optionalNeeds: ['nodes', 'pods'],
  evaluate: (snapshot) => {
    const found = kubeletConfig(snapshot);
    if (found.status !== 'found') {
      const provider = detectProvider(snapshot);
      const hint = provider.id === 'gcp' && provider.hosted
        ? `GKE node pools may still serve port 10255 — disable it with: ${command`gcloud container clusters update ${provider.cluster.name ?? '<cluster>'}`}${provider.cluster.location ? command` --location ${provider.cluster.location}` : ''} --no-enable-insecure-kubelet-readonly-port`
        : 'a kubelet without a config file serves the read-only port 10255';
      return kubeletConfigUnavailable(snapshot, found, hint);
    }
    const c = found.config;
    if (c.readOnlyPort <= 0) return findings([], `kube-system/kubelet-config: readOnlyPort ${c.readOnlyPort}${c.defaulted.has('readOnlyPort') ? ' (default)' : ''}; ${KUBELET_FLAGS_NOTE}`);
    return findings([{
      subject: KUBELET_SUBJECT,
      scope: 'workload',
      message: `kube-system/kubelet-config sets readOnlyPort=${c.readOnlyPort}: every node serves pod specs and metrics on port ${c.readOnlyPort} without authentication; ${KUBELET_FLAGS_NOTE}`,
      evidence: [kubeletEvidence(c, 'readOnlyPort', c.readOnlyPort)],
      remediation: {
        why: 'The read-only port needs no credentials: anyone who reaches a node learns every pod\'s spec (images, env, service accounts) and node details for planning an attack.',
        fix: 'Set readOnlyPort: 0, roll it out to every node and restart the kubelets; point monitoring at the authenticated port 10250 (/metrics, /stats) instead.',
        command: KUBELET_FIX_COMMAND,
        patch: kubeletPatch({ readOnlyPort: 0 }),
      },
    }]);
  },
};
