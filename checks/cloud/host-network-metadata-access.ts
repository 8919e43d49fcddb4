import { AWS_IMDS_NOTE, metadataPlatform } from '../../src/engine/cloud.js';
import { describeWorkload, evidence, findings, notApplicable, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { detectProvider } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import type { Workload } from '../../src/engine/snapshot.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** Node agents that need the host network (CHECKS.md §7 trap 2): CNI, kube-proxy, CSI node plugins, node exporters. */
const NODE_AGENT = /^(calico-node|canal|cilium|cilium-agent|anetd|netd|antrea-agent|kube-router|ovnkube-node|weave-net|kube-flannel-ds|kube-flannel|aws-node|azure-cns|azure-npm|kindnet|kube-proxy|node-local-dns|nodelocaldns|(prometheus-)?node-exporter|[a-z0-9-]*-node-exporter|[a-z0-9-]*csi[a-z0-9-]*-node)$/;

function nodeAgent(workload: Workload): string | undefined {
  if (workload.kind !== 'DaemonSet') return undefined;
  if (NODE_AGENT.test(workload.name)) return /exporter/.test(workload.name) ? 'node exporter' : /csi/.test(workload.name) ? 'CSI node plugin' : 'network agent';
  const containers = workload.revisions[0]?.spec.containers ?? [];
  if (containers.some((c) => c.name === 'csi-node-driver-registrar')) return 'CSI node plugin';
  return undefined;
}

export const check: Check = {
  id: 'cloud/host-network-metadata-access',
  layer: 'cloud',
  title: 'hostNetwork pods use the node cloud identity',
  severity: 'medium',
  description:
    'Inspects spec.hostNetwork of every workload (live pods resolved to their top owner, templates of idle controllers) on clusters whose nodes ' +
    'run on a cloud with an instance metadata service. Fails for application workloads: in the node\'s network namespace NetworkPolicy does not ' +
    'reliably apply and IMDS hop limits do not help, so the pod can always obtain the node\'s cloud credentials. Node agents (CNI, kube-proxy, ' +
    'CSI node plugins, node exporters) and workloads in system namespaces are reported at info. Static control-plane pods are not workloads.',
  remediation: 'Remove hostNetwork from application workloads and keep the node\'s cloud permissions minimal.',
  references: [ref.fourC('Kubernetes access to Cloud Provider API'), ref.nsa('Network separation (Protecting sensitive cloud infrastructure)'), ref.kubescape('C-0041')],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'nodes', 'version', 'kubeconfig'],
  evaluate: (snapshot) => {
    const provider = detectProvider(snapshot);
    const platform = metadataPlatform(provider);
    if (platform === 'none') return notApplicable(`${provider.name} has no cloud instance metadata service`);
    const aws = provider.id === 'aws' ? `; ${AWS_IMDS_NOTE}` : '';
    const where = platform === 'cloud' ? `${provider.name} nodes` : 'nodes of an unidentified platform (a cloud metadata service may be present)';
    const out: FindingDraft[] = visitWorkloads(snapshot, (workload, revision) => {
      if (revision.spec.hostNetwork !== true) return [];
      const system = snapshot.isSystemNamespace(workload.namespace);
      const agent = nodeAgent(workload);
      const info = system || agent !== undefined;
      const kind = agent ? `${agent} ` : '';
      return [{
        subject: workloadSubject(workload),
        severity: info ? 'info' : 'medium',
        status: info || platform !== 'cloud' ? 'warn' : 'fail',
        message: `${kind}${describeWorkload(workload)} runs with hostNetwork on ${where}: it can reach the instance metadata service and obtain the node's cloud credentials${info ? ' (expected for node agents; keep node IAM minimal)' : ''}${aws}`,
        evidence: [evidence(`${workload.specPath}.hostNetwork`, 'true')],
        remediation: {
          why: 'NetworkPolicy behaviour for hostNetwork pods is undefined (CNI-dependent) and IMDS hop limits do not apply in the node\'s network namespace, so the pod can always use the node\'s cloud identity.',
          fix: info
            ? 'Node agents need the host network: keep the node role minimal (cloud/node-iam-least-privilege) and give the agent its own workload identity where it calls cloud APIs.'
            : 'Remove hostNetwork (and set dnsPolicy back to ClusterFirst); expose ports through a Service instead, and keep the node role minimal (cloud/node-iam-least-privilege).',
          ...(info ? {} : { command: workloadPatchCommand(workload, { hostNetwork: false, dnsPolicy: 'ClusterFirst' }) }),
        },
      }];
    });
    return findings(out, platform === 'cloud' ? `no workload uses hostNetwork on ${provider.name} nodes` : 'no workload uses hostNetwork');
  },
};
