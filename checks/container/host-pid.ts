import { describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { evaluateCheck } from '../../src/engine/pss/index.js';
import { evaluatePssRow, psaText } from '../../src/engine/pss-rows.js';
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
    // Decision: PSA "hostNamespaces" at the cluster's policy version, attributed to hostPID.
    evaluatePssRow(snapshot, {
      checkId: 'hostNamespaces',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const violation = evaluateCheck('hostNamespaces', meta, spec, policy.version);
        return violation && spec.hostPID === true
          ? [{
              subject: workloadSubject(workload),
              message: `${describeWorkload(workload)} sets ${workload.specPath}.hostPID=true: its containers see and can signal every process on the node (${psaText(violation, policy)})`,
              evidence: [evidence(`${workload.specPath}.hostPID`, 'true')],
              remediation: {
                why: 'With the host PID namespace, host processes (and their environment and credentials under /proc) become visible and signalable from the pod.',
                fix: 'Set hostPID to false; debug node processes with a short-lived `kubectl debug node/…` session instead.',
                command: workloadPatchCommand(workload, { hostPID: false }),
              },
            }]
          : [];
      },
    }),
};
