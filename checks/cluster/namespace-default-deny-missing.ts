import { allowDnsPolicy } from '../../src/engine/netpol-yaml.js';
import { cniNotEnforcingNote } from '../../src/engine/cni.js';
import { WORKLOAD_OWNERS, evidence, findings } from '../../src/engine/helpers.js';
import {
  CLUSTER_CNI_POLICIES, NAMESPACED_CNI_POLICIES, isDefaultDeny, namespacesWithoutPolicy, netpolIndex, otherPoliciesCovering, type PolicyType,
} from '../../src/engine/netpol.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const q = (value: string): string => JSON.stringify(value);

/** R-NP-DENY for one direction (plus R-NP-DNS for egress), the namespace a YAML-quoted scalar. */
export function defaultDenyFor(namespace: string, type: PolicyType): string {
  const deny = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: default-deny-${type.toLowerCase()}`,
    `  namespace: ${q(namespace)}`,
    'spec:',
    '  podSelector: {}',
    `  policyTypes: [${q(type)}]`,
  ];
  if (type === 'Ingress') return [...deny, ''].join('\n');
  return [
    ...deny,
    '---',
    '# keep DNS working, then allow the destinations the workloads need',
    ...allowDnsPolicy(q(namespace)),
    '',
  ].join('\n');
}

export const check: Check = {
  id: 'cluster/namespace-default-deny-missing',
  layer: 'cluster',
  title: 'Namespace lacks default-deny policies',
  severity: 'low',
  description:
    'For every non-system namespace that runs workloads, looks for a default-deny policy per direction: ' +
    'podSelector {} (or empty matchLabels/matchExpressions), the direction among its effective policyTypes (omitted = Ingress, plus Egress when ' +
    'spec.egress is present) and no rules for that direction. Fails (low) separately for ingress and for egress when none exists: pods that no ' +
    'other policy selects stay open. Namespaces without any NetworkPolicy are reported by cluster/namespace-without-networkpolicy instead. ' +
    'Warns instead of failing when CNI-specific or AdminNetworkPolicy objects exist (not evaluated).',
  remediation: 'Apply a default-deny NetworkPolicy for ingress and for egress in the namespace, then allow DNS and the traffic the workloads need.',
  references: [
    ref.doc('kubeaudit netpols', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/netpols.md'), ref.kubescape('C-0030'),
    ref.nsa('Network separation (Network policies)'),
    ref.doc('Kubernetes: Default policies', 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies'),
  ],
  needs: ['networkpolicies', 'pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, ...NAMESPACED_CNI_POLICIES, ...CLUSTER_CNI_POLICIES],
  evaluate: (snapshot) => {
    const index = netpolIndex(snapshot);
    const uncovered = namespacesWithoutPolicy(snapshot);
    const namespaces = new Set<string>();
    let skippedSystem = 0;
    let skippedEmpty = 0;
    for (const w of snapshot.workloads()) if (!w.isStatic && !(w.source === 'template' && w.kind === 'Job')) namespaces.add(w.namespace);
    const out: FindingDraft[] = [];
    for (const ns of [...namespaces].sort()) {
      if (snapshot.isSystemNamespace(ns)) {
        skippedSystem++;
        continue;
      }
      if (uncovered.has(ns)) {
        skippedEmpty++;
        continue;
      }
      const policies = index.inNamespace(ns);
      const others = otherPoliciesCovering(snapshot, ns);
      for (const type of ['Ingress', 'Egress'] as const) {
        if (policies.some((np) => isDefaultDeny(np, type))) continue;
        const patch = defaultDenyFor(ns, type);
        const ingress = type === 'Ingress';
        out.push({
          subject: { kind: 'Namespace', name: ns },
          discriminator: type.toLowerCase(),
          status: others.length > 0 ? 'warn' : 'fail',
          message: `Namespace "${ns}" has no default-deny ${type} NetworkPolicy (podSelector {} with policyType ${type} and no ${type.toLowerCase()} rules): ` +
            (ingress ? 'pods no other policy selects accept connections from anywhere' : 'pods no other policy selects may connect anywhere') +
            (policies.length > 0 ? `; its policies: ${policies.slice(0, 5).map((np) => `"${np.metadata?.name ?? ''}"`).join(', ')}${policies.length > 5 ? ` and ${policies.length - 5} more` : ''}` : '') +
            (others.length > 0 ? `; ${others.slice(0, 3).join(', ')} may provide it (CNI-specific policies are not evaluated — verify)` : ''),
          evidence: [
            evidence(`namespaces[name=${ns}].networkpolicies`, policies.map((np) => np.metadata?.name ?? '')),
            evidence(`namespaces[name=${ns}].networkpolicies[default-deny-${type.toLowerCase()}]`, '(none)'),
          ],
          remediation: {
            why: ingress
              ? 'Without a default deny, every new workload in the namespace starts open to the whole cluster until someone writes a policy for it.'
              : 'Without a default deny for egress, every workload can reach any address, including the cloud metadata service and the internet.',
            fix: ingress
              ? 'Apply a default-deny ingress policy; make sure allow policies exist for the traffic the workloads need first.'
              : 'Apply a default-deny egress policy together with a DNS allow; add allow policies for the destinations the workloads need first.',
            command: `kubectl apply -f - <<'EOF'\n${patch}EOF`,
            patch,
          },
        });
      }
    }
    const notes: string[] = [];
    if (skippedEmpty > 0) notes.push(`${skippedEmpty} namespace(s) without any NetworkPolicy are reported by cluster/namespace-without-networkpolicy`);
    if (skippedSystem > 0) notes.push(`skipped ${skippedSystem} system namespace(s)`);
    const cni = cniNotEnforcingNote(snapshot);
    if (cni) notes.push(cni);
    return findings(out, notes.length > 0 ? notes.join('; ') : undefined);
  },
};
