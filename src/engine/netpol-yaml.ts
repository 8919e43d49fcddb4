/**
 * NetworkPolicy YAML shared by the remediation templates of CHECKS.md Appendix A: R-NP-DNS
 * (egress to the cluster DNS) as a rule and as a whole policy. Namespace values arrive
 * already YAML-quoted by the caller.
 */

/** The R-NP-DNS egress rule, indented to sit under a policy's `spec.egress:`. */
export const DNS_EGRESS_RULE: readonly string[] = [
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
];

/** R-NP-DNS: every pod of the namespace may reach kube-dns (the first allow after a default deny). */
export function allowDnsPolicy(namespaceYaml: string): string[] {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: allow-dns-egress',
    `  namespace: ${namespaceYaml}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes: ["Egress"]',
    '  egress:',
    ...DNS_EGRESS_RULE,
  ];
}
