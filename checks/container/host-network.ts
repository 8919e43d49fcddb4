import { WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import { evaluateHostNamespace } from '../../src/engine/host-namespaces.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'container/host-network',
  layer: 'container',
  title: 'Pod uses the host network namespace',
  severity: 'high',
  description:
    'Evaluates PSS baseline "hostNamespaces" at the cluster\'s policy version and inspects spec.hostNetwork of each workload (live pods, or the template when none run). ' +
    'Fails when hostNetwork is true (PSS baseline "hostNamespaces"); unset and false pass. ' +
    'Live hostNetwork pods also get hostPort = containerPort, so container/host-ports usually fires for the same workload.',
  remediation: 'Remove hostNetwork (or set it to false with dnsPolicy ClusterFirst) and expose the pod through a Service.',
  references: [
    ref.pss('baseline', 'Host Namespaces'), ref.cis('5.2.5'), ref.kubescape('C-0041'), ref.trivy('KSV-0009'),
    ref.polaris('hostNetworkSet'), ref.doc('kubeaudit hostns', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/hostns.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluateHostNamespace(snapshot, {
      field: 'hostNetwork',
      effect: 'it binds node ports, sees node traffic and is not isolated by NetworkPolicy',
      why: 'A host-network pod can bind node ports, sniff node traffic, reach node-local services (kubelet, metadata service) and bypass NetworkPolicy.',
      fix: 'Set hostNetwork to false and dnsPolicy to ClusterFirst; publish ports through a Service (NodePort/LoadBalancer) instead of the node network.',
      patch: { hostNetwork: false, dnsPolicy: 'ClusterFirst' },
    }),
};
