import { findings } from '../../src/engine/helpers.js';
import type { K8sObject, Namespace, NetworkPolicy, Pod } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import type { ResourceName } from '../../src/engine/resources.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** Namespaced CNI policy kinds (they may cover the namespace; not evaluated). */
const NAMESPACED_CNI: readonly ResourceName[] = ['ciliumnetworkpolicies', 'calico-networkpolicies'];
/** Cluster-wide CNI / admin policy kinds (they may cover any namespace; not evaluated). */
const CLUSTER_CNI: readonly ResourceName[] = ['ciliumclusterwidenetworkpolicies', 'calico-globalnetworkpolicies', 'adminnetworkpolicies'];

const KIND_LABEL: Readonly<Partial<Record<ResourceName, string>>> = {
  ciliumnetworkpolicies: 'CiliumNetworkPolicy',
  'calico-networkpolicies': 'Calico NetworkPolicy',
  ciliumclusterwidenetworkpolicies: 'CiliumClusterwideNetworkPolicy',
  'calico-globalnetworkpolicies': 'Calico GlobalNetworkPolicy',
  adminnetworkpolicies: 'AdminNetworkPolicy',
};

/** R-NP-DENY plus R-NP-DNS (CHECKS.md Appendix A) for one namespace; the name is a YAML-quoted scalar. */
export function defaultDenyPatch(namespace: string): string {
  const ns = JSON.stringify(namespace);
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: default-deny-all',
    `  namespace: ${ns}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes: ["Ingress", "Egress"]',
    '---',
    '# allow DNS, then add explicit allows for the traffic the workloads need',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: allow-dns-egress',
    `  namespace: ${ns}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes: ["Egress"]',
    '  egress:',
    '  - to:',
    '    - namespaceSelector:',
    '        matchLabels:',
    '          kubernetes.io/metadata.name: kube-system',
    '      podSelector:',
    '        matchLabels:',
    '          k8s-app: kube-dns',
    '    ports:',
    '    - {protocol: UDP, port: 53}',
    '    - {protocol: TCP, port: 53}',
    '',
  ].join('\n');
}

export const check: Check = {
  id: 'cluster/namespace-without-networkpolicy',
  layer: 'cluster',
  title: 'Namespace without any NetworkPolicy',
  severity: 'medium',
  description:
    'Inspects every non-system namespace that has live pods (phase not Succeeded/Failed) and counts its networking.k8s.io NetworkPolicies. ' +
    'Fails when there are none: every pod there accepts traffic from everywhere and may connect anywhere. System namespaces are skipped. ' +
    'Warns instead when Cilium, Calico or AdminNetworkPolicy objects exist that might cover the namespace (they are not evaluated).',
  remediation: 'Apply a default-deny NetworkPolicy to the namespace and add explicit allow policies for the traffic it needs.',
  references: [
    ref.fourC('Network Policies'), ref.cis('5.3.2'), ref.kubescape('C-0206'), ref.kubescape('C-0054'),
    ref.doc('kubeaudit netpols', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/netpols.md'), ref.nsa('Network separation (Network policies)'),
  ],
  needs: ['namespaces', 'pods', 'networkpolicies'],
  optionalNeeds: [...NAMESPACED_CNI, ...CLUSTER_CNI],
  evaluate: (snapshot) => {
    const podCount = new Map<string, number>();
    for (const pod of snapshot.list<Pod>('pods')) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const ns = pod.metadata?.namespace ?? '';
      podCount.set(ns, (podCount.get(ns) ?? 0) + 1);
    }
    const policyCount = new Map<string, number>();
    for (const np of snapshot.list<NetworkPolicy>('networkpolicies')) {
      const ns = np.metadata?.namespace ?? '';
      policyCount.set(ns, (policyCount.get(ns) ?? 0) + 1);
    }
    const clusterWide = CLUSTER_CNI.flatMap((name) => snapshot.list<K8sObject>(name).map((o) => `${KIND_LABEL[name]} "${o.metadata?.name ?? ''}"`));
    const unreadable = [...NAMESPACED_CNI, ...CLUSTER_CNI].filter((n) => snapshot.error(n)?.code === 'forbidden').map((n) => KIND_LABEL[n]);

    const names = new Set<string>(snapshot.list<Namespace>('namespaces')
      .filter((n) => n.status?.phase !== 'Terminating')
      .map((n) => n.metadata?.name ?? ''));
    let skippedSystem = 0;
    const out: FindingDraft[] = [];
    for (const ns of [...names].sort()) {
      const pods = podCount.get(ns) ?? 0;
      if (pods === 0 || (policyCount.get(ns) ?? 0) > 0) continue;
      if (snapshot.isSystemNamespace(ns)) {
        skippedSystem++;
        continue;
      }
      const local = NAMESPACED_CNI.flatMap((name) =>
        snapshot.list<K8sObject>(name).filter((o) => o.metadata?.namespace === ns).map((o) => `${KIND_LABEL[name]} "${o.metadata?.name ?? ''}"`));
      const others = [...local, ...clusterWide];
      const patch = defaultDenyPatch(ns);
      let message = `Namespace "${ns}" runs ${pods} ${pods === 1 ? 'pod' : 'pods'} and has no NetworkPolicy: every pod accepts traffic from any pod and may connect anywhere`;
      if (others.length > 0) {
        message += `; ${others.slice(0, 3).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''} may cover it (CNI-specific policies are not evaluated — verify)`;
      } else if (unreadable.length > 0) {
        message += ` (${unreadable.join(', ')} could not be listed)`;
      }
      out.push({
        subject: { kind: 'Namespace', name: ns },
        status: others.length > 0 ? 'warn' : 'fail',
        message,
        evidence: [
          { path: `namespaces[name=${ns}].networkpolicies`, value: '0' },
          { path: `namespaces[name=${ns}].pods`, value: String(pods) },
        ],
        remediation: {
          why: 'Without a NetworkPolicy every pod can reach every other pod and the internet, so one compromised pod can probe the whole cluster and exfiltrate data.',
          fix: 'Apply a default-deny policy (with the DNS allow below) and add allow policies for the traffic the workloads need; apply the allows first in production, and make sure the CNI enforces NetworkPolicy.',
          command: `kubectl apply -f - <<'EOF'\n${patch}EOF`,
          patch,
        },
      });
    }
    return findings(out, skippedSystem > 0 ? `skipped ${skippedSystem} system namespace(s) without NetworkPolicy` : undefined);
  },
};
