import { evidence, findings } from '../../src/engine/helpers.js';
import { KUBELET_FIX_COMMAND, KUBELET_FLAGS_NOTE, KUBELET_SUBJECT, kubeletConfig, kubeletConfigUnavailable, kubeletEvidence, kubeletPatch } from '../../src/engine/kubelet.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/kubelet-hardening-defaults',
  layer: 'cluster',
  title: 'Kubelet hardening options off',
  severity: 'low',
  description:
    'Reads streamingConnectionIdleTimeout, makeIPTablesUtilChains, podPidsLimit, seccompDefault and protectKernelDefaults of the cluster-wide ' +
    'KubeletConfiguration (kube-system/kubelet-config) with v1beta1 defaults (a zero or absent idle timeout is defaulted to 4h; makeIPTablesUtilChains ' +
    'defaults to true; podPidsLimit to -1, unlimited). Fails once, with one evidence line per field, when podPidsLimit is unset or -1, seccompDefault ' +
    'or protectKernelDefaults is not true, or makeIPTablesUtilChains is false.',
  remediation: 'Set podPidsLimit, seccompDefault: true and protectKernelDefaults: true (and keep makeIPTablesUtilChains true) in the KubeletConfiguration, then restart every kubelet.',
  references: [
    ref.cis('4.2.5'), ref.cis('4.2.6'), ref.cis('4.2.13'), ref.cis('4.2.14'), ref.kubescape('C-0176'), ref.kubescape('C-0177'), ref.kubescape('C-0178'),
    ref.kubescape('C-0284'), ref.trivy('KCV-0083'), ref.trivy('KCV-0084'), ref.trivy('KCV-0085'), ref.fourC('Quality of Service'),
    ref.doc('Kubelet configuration (v1beta1)', 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'),
  ],
  needs: ['system-configmaps'],
  optionalNeeds: ['nodes', 'pods'],
  evaluate: (snapshot) => {
    const found = kubeletConfig(snapshot);
    if (found.status !== 'found') return kubeletConfigUnavailable(snapshot, found);
    const c = found.config;
    const problems: string[] = [];
    const ev: Evidence[] = [];
    const fix: Record<string, unknown> = {};
    // The kubelet replaces 0 with 4h, so only a negative duration would disable the timeout: CIS 4.2.5 is met either way.
    if (c.streamingConnectionIdleTimeoutMs < 0) {
      problems.push('streamingConnectionIdleTimeout disables the idle timeout');
      ev.push(kubeletEvidence(c, 'streamingConnectionIdleTimeout', c.streamingConnectionIdleTimeout));
      fix['streamingConnectionIdleTimeout'] = '4h0m0s';
    }
    if (!c.makeIPTablesUtilChains) {
      problems.push('makeIPTablesUtilChains is false');
      ev.push(kubeletEvidence(c, 'makeIPTablesUtilChains', false));
      fix['makeIPTablesUtilChains'] = true;
    }
    if (c.podPidsLimit < 0) {
      problems.push('podPidsLimit is unlimited (a fork bomb in one pod exhausts the node\'s PIDs)');
      ev.push(kubeletEvidence(c, 'podPidsLimit', c.podPidsLimit));
      fix['podPidsLimit'] = 4096;
    }
    if (!c.seccompDefault) {
      problems.push('seccompDefault is off (pods without a seccomp profile run Unconfined)');
      ev.push(kubeletEvidence(c, 'seccompDefault', false));
      fix['seccompDefault'] = true;
    }
    if (!c.protectKernelDefaults) {
      problems.push('protectKernelDefaults is off (the kubelet silently tunes kernel settings instead of failing)');
      ev.push(kubeletEvidence(c, 'protectKernelDefaults', false));
      fix['protectKernelDefaults'] = true;
    }
    const passNote = `kube-system/kubelet-config: idle timeout ${c.streamingConnectionIdleTimeout}, podPidsLimit ${c.podPidsLimit}, seccompDefault and protectKernelDefaults on; ${KUBELET_FLAGS_NOTE}`;
    if (problems.length === 0) return findings([], passNote);
    ev.push(evidence('note', KUBELET_FLAGS_NOTE));
    return findings([{
      subject: KUBELET_SUBJECT,
      scope: 'workload',
      message: `kube-system/kubelet-config leaves kubelet hardening off: ${problems.join('; ')}`,
      evidence: ev,
      remediation: {
        why: 'These settings limit the blast radius of a compromised or misbehaving pod: a PID limit stops fork bombs, seccompDefault applies RuntimeDefault to pods that set no profile, and protectKernelDefaults keeps kernel tunables as the node was hardened.',
        fix: 'Add the fields below to the KubeletConfiguration (size podPidsLimit to your largest workload; check that the node kernel settings match what protectKernelDefaults expects before enabling it), roll it out to every node and restart the kubelets.',
        command: KUBELET_FIX_COMMAND,
        patch: kubeletPatch(fix),
      },
    }]);
  },
};
