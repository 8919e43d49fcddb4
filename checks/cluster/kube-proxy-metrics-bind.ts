import { findings, unable } from '../../src/engine/helpers.js';
import { KUBE_PROXY_CONFIGMAP, bindScope, kubeProxyConfig } from '../../src/engine/kubelet.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/kube-proxy-metrics-bind',
  layer: 'cluster',
  title: 'kube-proxy metrics exposed on all interfaces',
  severity: 'low',
  description:
    'Reads metricsBindAddress of the KubeProxyConfiguration in kube-system/kube-proxy (key config.conf). Empty means the default 127.0.0.1:10249 ' +
    '(pass). Fails when the host part is 0.0.0.0, ::, empty (":10249") or any non-loopback address: kube-proxy then serves its metrics and ' +
    'configuration details without authentication on the node network. Unable when the ConfigMap is absent (kube-proxy replaced, or managed).',
  remediation: 'Set metricsBindAddress to 127.0.0.1:10249 in the kube-proxy ConfigMap and restart the kube-proxy DaemonSet.',
  references: [
    ref.cis('4.3.1'), ref.kubescape('C-0291'),
    ref.doc('kube-proxy configuration (v1alpha1)', 'https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/'),
  ],
  needs: ['system-configmaps'],
  evaluate: (snapshot) => {
    const found = kubeProxyConfig(snapshot);
    if (found.status !== 'found') {
      return unable(found.status === 'absent'
        ? `${found.reason}: kube-proxy is not configured through kubeadm's ConfigMap here (replaced by the CNI, or managed by the provider) — check the kube-proxy --metrics-bind-address flag or its config file on the nodes`
        : found.reason);
    }
    const address = found.config.metricsBindAddress;
    const { scope, host } = bindScope(address);
    if (scope === 'loopback') {
      return findings([], `kube-system/kube-proxy: metricsBindAddress ${address}${found.config.metricsDefaulted ? ' (default)' : ''}`);
    }
    const where = scope === 'all-interfaces' ? 'on every interface of every node' : scope === 'invalid' ? `on "${host}" (not an IP address; kube-proxy may fail to start or bind widely)` : `on the non-loopback address ${host}`;
    const patch = `metricsBindAddress: 127.0.0.1:${/:(\d+)$/.exec(address)?.[1] ?? '10249'}\n`;
    return findings([{
      subject: { kind: 'ConfigMap', namespace: KUBE_PROXY_CONFIGMAP.namespace, name: KUBE_PROXY_CONFIGMAP.name },
      scope: 'workload',
      message: `kube-system/kube-proxy sets metricsBindAddress=${address}: kube-proxy serves metrics (and /configz) without authentication ${where}`,
      evidence: [{ path: `data.${KUBE_PROXY_CONFIGMAP.key}.metricsBindAddress`, value: address }],
      remediation: {
        why: 'The metrics endpoint needs no credentials: anyone on the node network reads service and endpoint details, sync timings and the proxy configuration.',
        fix: 'Set metricsBindAddress to 127.0.0.1:10249 in config.conf (scrape through a local agent or a kube-rbac-proxy sidecar if you need the metrics), then restart kube-proxy.',
        command: ['kubectl -n kube-system edit configmap kube-proxy', 'kubectl -n kube-system rollout restart daemonset kube-proxy'].join('\n'),
        patch,
      },
    }]);
  },
};
