import { WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import { evaluateHostNamespace } from '../../src/engine/host-namespaces.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'container/host-ipc',
  layer: 'container',
  title: 'Pod shares the host IPC namespace',
  severity: 'high',
  description:
    'Evaluates PSS baseline "hostNamespaces" at the cluster\'s policy version and inspects spec.hostIPC of each workload (live pods, or the template when none run). ' +
    'Fails when hostIPC is true (PSS baseline "hostNamespaces"); unset and false pass.',
  remediation: 'Remove hostIPC or set it to false so the pod gets its own IPC namespace.',
  references: [
    ref.pss('baseline', 'Host Namespaces'), ref.cis('5.2.4'), ref.kubescape('C-0038'), ref.kubescape('C-0276'),
    ref.trivy('KSV-0008'), ref.polaris('hostIPCSet'), ref.doc('kubeaudit hostns', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/hostns.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluateHostNamespace(snapshot, {
      field: 'hostIPC',
      effect: 'its containers share System V IPC and POSIX shared memory with every process on the node',
      why: 'With the host IPC namespace, the pod can read and tamper with shared memory segments and message queues of host processes and other host-IPC pods.',
      fix: 'Set hostIPC to false; share memory between containers of one pod with an emptyDir volume (medium: Memory) instead.',
      patch: { hostIPC: false },
    }),
};
