import { describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { evaluateCheck } from '../../src/engine/pss/index.js';
import { evaluatePssRow, psaText } from '../../src/engine/pss-rows.js';
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
    // Decision: PSA "hostNamespaces" at the cluster's policy version, attributed to hostIPC.
    evaluatePssRow(snapshot, {
      checkId: 'hostNamespaces',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const violation = evaluateCheck('hostNamespaces', meta, spec, policy.version);
        return violation && spec.hostIPC === true
          ? [{
              subject: workloadSubject(workload),
              message: `${describeWorkload(workload)} sets ${workload.specPath}.hostIPC=true: its containers share System V IPC and POSIX shared memory with every process on the node (${psaText(violation, policy)})`,
              evidence: [evidence(`${workload.specPath}.hostIPC`, 'true')],
              remediation: {
                why: 'With the host IPC namespace, the pod can read and tamper with shared memory segments and message queues of host processes and other host-IPC pods.',
                fix: 'Set hostIPC to false; share memory between containers of one pod with an emptyDir volume (medium: Memory) instead.',
                command: workloadPatchCommand(workload, { hostIPC: false }),
              },
            }]
          : [];
      },
    }),
};
