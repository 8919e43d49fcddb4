import { allowDnsPolicy } from '../../src/engine/netpol-yaml.js';
import { cniNotEnforcingNote } from '../../src/engine/cni.js';
import { WORKLOAD_OWNERS, findings } from '../../src/engine/helpers.js';
import type { K8sObject, Namespace } from '../../src/engine/k8s.js';
import { CLUSTER_CNI_POLICIES, NAMESPACED_CNI_POLICIES, namespacesWithoutPolicy } from '../../src/engine/netpol.js';
import { ref } from '../../src/engine/references.js';
import type { ResourceName } from '../../src/engine/resources.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** CNI-specific policy kinds (may cover a namespace; not evaluated). */
const NAMESPACED_CNI: readonly ResourceName[] = NAMESPACED_CNI_POLICIES;
const CLUSTER_CNI: readonly ResourceName[] = CLUSTER_CNI_POLICIES;

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
    ...allowDnsPolicy(ns),
    '',
  ].join('\n');
}

export const check: Check = {
  id: 'cluster/namespace-without-networkpolicy',
  layer: 'cluster',
  title: 'Namespace without any NetworkPolicy',
  severity: 'medium',
  description:
    'Inspects every non-system namespace that runs workloads (live pods, or controllers that will start pods again: CronJobs between runs, ' +
    'scaled-to-zero Deployments; finished Jobs do not count) and counts its networking.k8s.io NetworkPolicies. Fails when there are none: every ' +
    'pod there accepts traffic from everywhere and may connect anywhere. System and Terminating namespaces are skipped. ' +
    'Warns instead when Cilium, Calico or AdminNetworkPolicy objects exist that might cover the namespace (they are not evaluated).',
  remediation: 'Apply a default-deny NetworkPolicy to the namespace and add explicit allow policies for the traffic it needs.',
  references: [
    ref.fourC('Network Policies'), ref.cis('5.3.2'), ref.kubescape('C-0206'), ref.kubescape('C-0054'),
    ref.doc('kubeaudit netpols', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/netpols.md'), ref.nsa('Network separation (Network policies)'),
  ],
  needs: ['namespaces', 'pods', 'networkpolicies'],
  optionalNeeds: [...NAMESPACED_CNI, ...CLUSTER_CNI, ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    // Namespaces with workloads and no NetworkPolicy at all (shared with the other network checks).
    const uncovered = namespacesWithoutPolicy(snapshot);
    const clusterWide = CLUSTER_CNI.flatMap((name) => snapshot.list<K8sObject>(name).map((o) => `${KIND_LABEL[name]} "${o.metadata?.name ?? ''}"`));
    const unreadable = [...NAMESPACED_CNI, ...CLUSTER_CNI].filter((n) => snapshot.error(n)?.code === 'forbidden').map((n) => KIND_LABEL[n]);

    const terminating = new Set(snapshot.list<Namespace>('namespaces')
      .filter((n) => n.status?.phase === 'Terminating')
      .map((n) => n.metadata?.name ?? ''));
    let skippedSystem = 0;
    const out: FindingDraft[] = [];
    // Namespaces known from their pods too: a pod's namespace exists even when the list missed it.
    for (const ns of [...uncovered.keys()].sort()) {
      const entry = uncovered.get(ns);
      if (!entry || terminating.has(ns)) continue;
      const { pods, workloads } = entry;
      if (snapshot.isSystemNamespace(ns)) {
        skippedSystem++;
        continue;
      }
      const local = NAMESPACED_CNI.flatMap((name) =>
        snapshot.list<K8sObject>(name).filter((o) => o.metadata?.namespace === ns).map((o) => `${KIND_LABEL[name]} "${o.metadata?.name ?? ''}"`));
      const others = [...local, ...clusterWide];
      const patch = defaultDenyPatch(ns);
      // Controllers without a pod right now (CronJobs between runs, scaled to zero) start unrestricted pods later.
      const idle = workloads.filter((w) => w.replicas === 0);
      const idleText = idle.length > 0
        ? `${pods > 0 ? '; also' : ':'} ${idle.slice(0, 3).map((w) => `${w.kind} "${w.namespace}/${w.name}"`).join(', ')}${idle.length > 3 ? ` and ${idle.length - 3} more` : ''} will start pods there`
        : '';
      let message = pods > 0
        ? `Namespace "${ns}" runs ${pods} ${pods === 1 ? 'pod' : 'pods'} and has no NetworkPolicy: every pod accepts traffic from any pod and may connect anywhere${idleText}`
        : `Namespace "${ns}" has no NetworkPolicy and no running pod right now${idleText}, accepting traffic from any pod and connecting anywhere`;
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
          ...(idle.length > 0 ? [{ path: `namespaces[name=${ns}].workloads(no running pod)`, value: idle.map((w) => `${w.kind}/${w.name}`).join(', ') }] : []),
        ],
        remediation: {
          why: 'Without a NetworkPolicy every pod can reach every other pod and the internet, so one compromised pod can probe the whole cluster and exfiltrate data.',
          fix: 'Apply a default-deny policy (with the DNS allow below) and add allow policies for the traffic the workloads need; apply the allows first in production, and make sure the CNI enforces NetworkPolicy.',
          command: `kubectl apply -f - <<'EOF'\n${patch}EOF`,
          patch,
        },
      });
    }
    const notes: string[] = [];
    if (skippedSystem > 0) notes.push(`skipped ${skippedSystem} system namespace(s) without NetworkPolicy`);
    // CHECKS.md §7 trap 17: policies that exist are only worth something when the CNI enforces them.
    const cni = cniNotEnforcingNote(snapshot);
    if (cni) notes.push(cni);
    return findings(out, notes.length > 0 ? notes.join('; ') : undefined);
  },
};
