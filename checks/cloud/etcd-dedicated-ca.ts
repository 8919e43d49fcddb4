import { posix } from 'node:path';
import { etcdUnavailable } from '../../src/engine/cloud.js';
import { controlPlaneFix, controlPlaneInstances, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, KUBEADM_PKI } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

function normalise(path: string): string {
  return posix.normalize(path.trim());
}

export const check: Check = {
  id: 'cloud/etcd-dedicated-ca',
  layer: 'cloud',
  title: 'etcd trusts the cluster-wide CA',
  severity: 'medium',
  description:
    'Compares --trusted-ca-file of every etcd static pod (D-CP) with --client-ca-file of the kube-apiserver static pods. Fails when the paths ' +
    'are identical: every client certificate the cluster CA issues (for example through an approved CSR) is then accepted by etcd. Different ' +
    'paths pass with a note, because file contents are not visible. A member without --trusted-ca-file is reported by cloud/etcd-client-tls. ' +
    'External etcd and managed control planes are unable.',
  remediation: 'Give etcd its own CA that signs only etcd and apiserver-etcd-client certificates.',
  references: [ref.fourC('Access to etcd'), ref.cis('2.7'), ref.kubescape('C-0159'), ref.nsa('Network separation (Control plane hardening)')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => {
    const unavailable = etcdUnavailable(snapshot);
    if (unavailable) return unavailable;
    const apiservers = controlPlaneInstances(snapshot, 'kube-apiserver')
      .map((i) => ({ instance: i, ca: (i.flags.get('client-ca-file') ?? '').trim() }))
      .filter((a) => a.ca !== '');
    return evaluateControlPlane(snapshot, ['etcd'], (instance) => {
      const trusted = (instance.flags.get('trusted-ca-file') ?? '').trim();
      if (instance.flags.has('config-file')) return { unable: `--config-file=${instance.flags.get('config-file') ?? ''} holds the etcd configuration (file not visible)` };
      if (trusted === '') return { note: 'no --trusted-ca-file (see cloud/etcd-client-tls)' };
      if (apiservers.length === 0) return { unable: 'no kube-apiserver static pod with --client-ca-file is visible to compare with' };
      // Prefer the API server on the same node; compare with every one (HA drift).
      const same = apiservers.filter((a) => normalise(a.ca) === normalise(trusted));
      if (same.length === 0) {
        return { note: `--trusted-ca-file=${trusted} differs from the API server's --client-ca-file; file contents not visible; verify the etcd CA only signs etcd/apiserver-etcd-client certificates` };
      }
      const api = same.find((a) => a.instance.node === instance.node) ?? same[0];
      return {
        findings: [instanceFinding(instance, {
          message: `${describeInstance(instance)} trusts ${trusted}, the same CA file as ${describeInstance(api!.instance)} --client-ca-file: any client certificate of the cluster CA is accepted by etcd`,
          evidence: [flagEvidence(instance, 'trusted-ca-file'), flagEvidence(api!.instance, 'client-ca-file')],
          remediation: {
            why: 'If etcd trusts the general cluster CA, any certificate that CA issues (a kubelet or user certificate, an approved CSR) authenticates to etcd with full read/write access to every object.',
            fix: `Create a dedicated etcd CA (kubeadm default ${KUBEADM_PKI}/etcd/ca.crt), issue the etcd server/peer and apiserver-etcd-client certificates from it, point --trusted-ca-file (and --peer-trusted-ca-file) at it and update kube-apiserver --etcd-cafile/--etcd-certfile/--etcd-keyfile to match.`,
            ...controlPlaneFix(snapshot, instance, [{ flag: 'trusted-ca-file', value: `${KUBEADM_PKI}/etcd/ca.crt` }, { flag: 'peer-trusted-ca-file', value: `${KUBEADM_PKI}/etcd/ca.crt` }]),
          },
        })],
      };
    });
  },
};
