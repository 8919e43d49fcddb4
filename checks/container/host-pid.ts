import { WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import { evaluateHostNamespace } from '../../src/engine/host-namespaces.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'container/host-pid',
  layer: 'container',
  title: 'Pod shares the host PID namespace',
  severity: 'high',
  description:
    'Evaluates PSS baseline "hostNamespaces" at the cluster\'s policy version and inspects spec.hostPID of each workload (live pods, or the template when none run). ' +
    'Fails when hostPID is true (PSS baseline "hostNamespaces"); unset and false pass.',
  remediation: 'Remove hostPID or set it to false so the pod gets its own process namespace.',
  references: [
    ref.pss('baseline', 'Host Namespaces'), ref.cis('5.2.3'), ref.kubescape('C-0038'), ref.kubescape('C-0275'),
    ref.trivy('KSV-0010'), ref.polaris('hostPIDSet'), ref.doc('kubeaudit hostns', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/hostns.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluateHostNamespace(snapshot, {
      field: 'hostPID',
      effect: 'its containers see and can signal every process on the node',
      why: 'With the host PID namespace, host processes (and their environment and credentials under /proc) become visible and signalable from the pod.',
      fix: 'Set hostPID to false; debug node processes with a short-lived `kubectl debug node/…` session instead.',
      patch: { hostPID: false },
    }),
};
