import { DNS_EGRESS_RULE } from '../../src/engine/netpol-yaml.js';
import { cniNotEnforcingNote } from '../../src/engine/cni.js';
import { WORKLOAD_OWNERS, describeWorkload, evidence, findings, workloadSubject } from '../../src/engine/helpers.js';
import type { Workloadish } from '../../src/engine/k8s.js';
import {
  CLUSTER_CNI_POLICIES, NAMESPACED_CNI_POLICIES, isolation, namespacesWithoutPolicy, netpolIndex, otherPoliciesCovering, type PolicyType,
} from '../../src/engine/netpol.js';
import { ref } from '../../src/engine/references.js';
import type { Snapshot, Workload } from '../../src/engine/snapshot.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** Labels the controllers generate per pod or revision: never part of a stable policy selector. */
const GENERATED_LABELS = new Set([
  'pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index',
  'controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name', 'job-completion-index', 'batch.kubernetes.io/job-completion-index',
]);

/** The labels a policy should select the workload by: the controller's matchLabels, else its stable pod labels. */
export function selectorLabels(snapshot: Snapshot, workload: Workload): Record<string, string> {
  const owner = workload.uid ? (snapshot.byUid(workload.uid) as Workloadish | undefined) : undefined;
  const selector = owner?.spec?.selector;
  if (owner && workload.kind !== 'Job' && selector?.matchLabels && Object.keys(selector.matchLabels).length > 0 && (selector.matchExpressions ?? []).length === 0) {
    return { ...selector.matchLabels };
  }
  const labels = workload.revisions[0]?.meta.labels ?? {};
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !GENERATED_LABELS.has(k)));
}

const q = (value: string): string => JSON.stringify(value);

/** A NetworkPolicy for one direction selecting the workload; every value a JSON (YAML) scalar. */
export function isolationPolicy(snapshot: Snapshot, workload: Workload, type: PolicyType): string {
  const labels = selectorLabels(snapshot, workload);
  const selector = Object.keys(labels).length > 0
    ? ['  podSelector:', '    matchLabels:', ...Object.entries(labels).map(([k, v]) => `      ${q(k)}: ${q(v)}`)]
    : ['  podSelector: {}   # the pods carry no stable labels: this selects every pod in the namespace'];
  const head = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${q(`${workload.name}-${type.toLowerCase()}`.slice(0, 253))}`,
    `  namespace: ${q(workload.namespace)}`,
    'spec:',
    ...selector,
    `  policyTypes: [${q(type)}]`,
  ];
  if (type === 'Ingress') {
    const ports = (workload.revisions[0]?.spec.containers ?? []).flatMap((c) => c.ports ?? []).filter((p) => typeof p.containerPort === 'number');
    const seen = new Set<string>();
    const portLines = ports.flatMap((p) => {
      const key = `${p.protocol ?? 'TCP'}/${p.containerPort}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [`    - {protocol: ${q(p.protocol ?? 'TCP')}, port: ${p.containerPort}}`];
    });
    return [
      ...head,
      '  ingress:',
      '  # allow only the clients that need this workload; here: pods of the same namespace',
      '  - from:',
      '    - podSelector: {}',
      ...(portLines.length > 0 ? ['    ports:', ...portLines] : []),
      '',
    ].join('\n');
  }
  return [
    ...head,
    '  egress:',
    '  # DNS; add the destinations this workload needs',
    ...DNS_EGRESS_RULE,
    '',
  ].join('\n');
}

function isHostNetwork(workload: Workload): boolean {
  return workload.revisions.every((r) => r.spec.hostNetwork === true);
}

export const check: Check = {
  id: 'cluster/workload-not-isolated',
  layer: 'cluster',
  title: 'Workload not selected by any NetworkPolicy',
  severity: 'medium',
  description:
    'Evaluates, for every workload (at its top owner, every running revision), the NetworkPolicies of its namespace whose podSelector ' +
    '(matchLabels and matchExpressions) matches its pod labels and their effective policyTypes (omitted = Ingress, plus Egress when spec.egress ' +
    'is present). Fails (medium) when no selecting policy has Ingress: every client can connect to it. Warns (low) when none has Egress: it can ' +
    'connect anywhere, including the cloud metadata service. Namespaces with no NetworkPolicy at all are left to cluster/namespace-without-networkpolicy; ' +
    'static pods, finished Jobs and hostNetwork pods (not subject to NetworkPolicy) are skipped. Warns instead of failing when CNI-specific or ' +
    'AdminNetworkPolicy objects exist (not evaluated).',
  remediation: 'Add a NetworkPolicy that selects the workload\'s pod labels and allows only the ingress and egress it needs.',
  references: [
    ref.kubescape('C-0260'), ref.polaris('missingNetworkPolicy'), ref.fourC('Network Policies'), ref.nsa('Network separation (Network policies)'),
    ref.doc('Kubernetes: Network Policies', 'https://kubernetes.io/docs/concepts/services-networking/network-policies/'),
  ],
  needs: ['pods', 'networkpolicies'],
  optionalNeeds: [...WORKLOAD_OWNERS, ...NAMESPACED_CNI_POLICIES, ...CLUSTER_CNI_POLICIES],
  evaluate: (snapshot) => {
    const index = netpolIndex(snapshot);
    const uncovered = namespacesWithoutPolicy(snapshot);
    const skippedNamespaces = new Set<string>();
    let hostNetwork = 0;
    const out: FindingDraft[] = [];
    for (const workload of snapshot.workloads()) {
      // Static pods are not API-managed; a finished Job (no live pod) runs nothing any more.
      if (workload.isStatic || (workload.source === 'template' && workload.kind === 'Job')) continue;
      const ns = workload.namespace;
      // The namespace has no policy at all: cluster/namespace-without-networkpolicy reports it once.
      if (uncovered.has(ns) || (index.inNamespace(ns).length === 0 && snapshot.isSystemNamespace(ns))) {
        skippedNamespaces.add(ns);
        continue;
      }
      if (isHostNetwork(workload)) {
        hostNetwork++;
        continue;
      }
      const result = isolation(index, workload);
      if (result.ingress && result.egress) continue;
      const others = otherPoliciesCovering(snapshot, ns);
      const who = describeWorkload(workload);
      const selecting = result.policies.map((np) => np.metadata?.name ?? '');
      const selectedBy = selecting.length > 0 ? `; selected only by ${selecting.map((n) => `"${n}"`).join(', ')}` : '';
      const othersNote = others.length > 0 ? `; ${others.slice(0, 3).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''} may cover it (CNI-specific policies are not evaluated — verify)` : '';
      const labels = selectorLabels(snapshot, workload);
      const ev = [
        evidence(`${workload.specPath.replace(/spec$/, 'metadata')}.labels`, workload.revisions[0]?.meta.labels ?? {}),
        evidence(`namespaces[name=${ns}].networkpolicies`, index.inNamespace(ns).map((np) => np.metadata?.name ?? '')),
      ];
      for (const type of ['Ingress', 'Egress'] as const) {
        if (type === 'Ingress' ? result.ingress : result.egress) continue;
        const patch = isolationPolicy(snapshot, workload, type);
        const ingress = type === 'Ingress';
        out.push({
          subject: workloadSubject(workload),
          discriminator: type.toLowerCase(),
          severity: ingress ? 'medium' : 'low',
          status: ingress && others.length === 0 ? 'fail' : 'warn',
          message: ingress
            ? `${who} is not selected by any NetworkPolicy with policyType Ingress: any pod in the cluster can connect to it${selectedBy}${othersNote}`
            : `${who} is not selected by any NetworkPolicy with policyType Egress: it can connect to any pod and any external address, including a cloud metadata endpoint${selectedBy}${othersNote}`,
          evidence: ev,
          remediation: {
            why: ingress
              ? 'A pod that no ingress policy selects accepts connections from every pod in the cluster, so one compromised workload can reach it directly.'
              : 'A pod that no egress policy selects can reach every service, the API server and the cloud metadata service, and can exfiltrate data to the internet.',
            fix: `Apply a NetworkPolicy selecting ${Object.keys(labels).length > 0 ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : 'the workload\'s pods'} with only the ${ingress ? 'clients' : 'destinations'} it needs (adjust the template before applying).`,
            command: `kubectl apply -f - <<'EOF'\n${patch}EOF`,
            patch,
          },
        });
      }
    }
    const notes: string[] = [];
    if (skippedNamespaces.size > 0) notes.push(`skipped ${skippedNamespaces.size} namespace(s) without any NetworkPolicy (cluster/namespace-without-networkpolicy)`);
    if (hostNetwork > 0) notes.push(`skipped ${hostNetwork} hostNetwork workload(s) (NetworkPolicy does not apply to them)`);
    const cni = cniNotEnforcingNote(snapshot);
    if (cni) notes.push(cni);
    return findings(out, notes.length > 0 ? notes.join('; ') : undefined);
  },
};
