import { detectCni, type CniComponent } from '../../src/engine/cni.js';
import { findings, unable } from '../../src/engine/helpers.js';
import { detectProvider, providerCommands } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft, Remediation } from '../../src/engine/types.js';
import type { ProviderInfo } from '../../src/engine/provider.js';

const WHY = 'NetworkPolicies are accepted by the API server whatever the CNI does: on a plugin that does not enforce them they silently do nothing, so every namespace that relies on them is in fact open.';

function remediationFor(c: CniComponent, provider: ProviderInfo): Remediation {
  const verify = command`kubectl -n ${c.namespace} get daemonset ${c.name} -o yaml`;
  switch (c.cni) {
    case 'AWS VPC CNI': {
      const cluster = provider.cluster.name ?? '<cluster>';
      const region = provider.cluster.region ? command` --region ${provider.cluster.region}` : '';
      return {
        why: WHY,
        fix: 'Enable the VPC CNI network policy agent (managed add-on configuration enableNetworkPolicy: "true", which starts aws-eks-nodeagent with --enable-network-policy=true and the controller), or install a policy engine such as Calico in policy-only mode.',
        command: [
          command`aws eks update-addon --cluster-name ${cluster} --addon-name vpc-cni --configuration-values ${'{"enableNetworkPolicy":"true"}'}` + region,
          verify,
        ].join('\n'),
      };
    }
    case 'flannel':
      return {
        why: WHY,
        fix: 'Add a policy engine on top of flannel (Calico policy-only, i.e. Canal) or migrate to a CNI that enforces NetworkPolicy (Calico, Cilium, Antrea).',
        command: ['# install Calico for policy (Canal) following the Calico "flannel networking with Calico policy" guide, then verify:', verify].join('\n'),
      };
    case 'GKE netd': {
      const cluster = provider.cluster.name ?? '<cluster>';
      const where = command` --location ${provider.cluster.location ?? '<location>'}`;
      return {
        why: WHY,
        fix: 'Enable network policy enforcement on the cluster (GKE Dataplane V2 for new clusters, or the network policy add-on) and on its node pools.',
        command: [
          command`gcloud container clusters update ${cluster} --update-addons=NetworkPolicy=ENABLED` + where,
          command`gcloud container clusters update ${cluster} --enable-network-policy` + where,
        ].join('\n'),
      };
    }
    case 'Azure CNI':
      return {
        why: WHY,
        fix: 'Enable a network policy engine for the cluster (Azure Network Policy Manager, Calico, or Azure CNI powered by Cilium).',
        command: [
          command`az aks update -g ${provider.cluster.resourceGroup ?? '<resource-group>'} -n ${provider.cluster.name ?? '<cluster>'} --network-policy ${'<azure|calico|cilium>'}`,
          verify,
        ].join('\n'),
      };
    default:
      return {
        why: WHY,
        fix: `Turn on NetworkPolicy enforcement in ${c.cni} (${c.detail}) or install a policy engine such as Calico, Cilium or Antrea.`,
        command: verify,
      };
  }
}

export const check: Check = {
  id: 'cluster/cni-networkpolicy-unsupported',
  layer: 'cluster',
  title: 'CNI does not enforce NetworkPolicy',
  severity: 'high',
  description:
    'Identifies the network plugin from DaemonSets in every namespace (names, container images and arguments; CHECKS.md Appendix C.2) ' +
    'and, on EKS, the kube-system/amazon-vpc-cni ConfigMap. Fails when the only plugins found do not enforce NetworkPolicy: flannel without ' +
    'Calico, AWS VPC CNI without the aws-eks-nodeagent container running with --enable-network-policy=true, Azure CNI without Azure NPM or ' +
    'Cilium, GKE netd without Calico or Dataplane V2, Weave without weave-npc, kube-router with --run-firewall=false. Passes when Calico, Canal, ' +
    'Cilium, Antrea, kube-router, OVN-Kubernetes, OpenShift SDN, Weave Net or Azure NPM runs. Unable for kindnet, k3s (embedded) and unknown plugins.',
  remediation: 'Enable NetworkPolicy enforcement in the CNI or install a policy engine such as Calico, Cilium or Antrea.',
  references: [
    ref.fourC('Network Policies'), ref.cis('5.3.1'), ref.kubescape('C-0205'), ref.nsa('Network separation (Network policies)'),
    ref.doc('Kubernetes: Network Policies (prerequisites)', 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites'),
  ],
  needs: ['daemonsets'],
  optionalNeeds: ['system-configmaps', 'nodes', 'version'],
  evaluate: (snapshot) => {
    const result = detectCni(snapshot);
    const provider = detectProvider(snapshot);
    if (result.enforces === true) return findings([], `${result.summary}`);
    if (result.enforces === 'unknown') {
      const hint = provider.hosted ? `; verify on ${provider.name}: ${providerCommands(provider, 'network-policy').join(' ; ')}` : '';
      const limited = snapshot.namespaces && result.components.length === 0
        ? ` (the scan was limited to namespace(s) ${snapshot.namespaces.join(', ')}; CNI DaemonSets usually run in kube-system)`
        : '';
      return unable(`cannot tell whether NetworkPolicy is enforced: ${result.summary}${limited}${hint}`);
    }
    const out: FindingDraft[] = [];
    const failing = result.components.filter((c) => c.enforces === false);
    for (const c of failing) {
      out.push({
        subject: { kind: 'DaemonSet', namespace: c.namespace, name: c.name },
        // A cluster-wide gap, even though the agent lives in a system namespace.
        scope: 'workload',
        message: `${c.cni} (DaemonSet "${c.namespace}/${c.name}") does not enforce NetworkPolicy: ${c.detail}; every NetworkPolicy in the cluster is ignored`,
        evidence: c.evidence,
        remediation: remediationFor(c, provider),
      });
    }
    return findings(out);
  },
};
