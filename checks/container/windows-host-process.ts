import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'A HostProcess container runs directly on the Windows node, outside any container isolation, with the node\'s network and file system: node administrator.';

export const check: Check = {
  id: 'container/windows-host-process',
  layer: 'container',
  title: 'Windows HostProcess container',
  severity: 'critical',
  description:
    'Evaluates PSS baseline "windowsHostProcess" on each workload (live pods, or the template when none run) at the cluster\'s policy version: ' +
    'fails when spec.securityContext.windowsOptions.hostProcess or any init, regular or ephemeral container\'s securityContext.windowsOptions.hostProcess is true. ' +
    'Reported once per workload for the pod level and once per container that sets it itself.',
  remediation: 'Remove windowsOptions.hostProcess from the pod and its containers; keep HostProcess only for node-management DaemonSets in a dedicated privileged namespace.',
  references: [
    ref.pss('baseline', 'HostProcess'), ref.cis('5.2.10'), ref.kubescape('C-0202'), ref.trivy('KSV-0103'), ref.polaris('hostProcess'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'windowsHostProcess',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('windowsHostProcess', meta, spec, policy, {
          fixPod: (m, s) => ({ meta: m, spec: { ...s, securityContext: { ...s.securityContext, windowsOptions: { ...s.securityContext?.windowsOptions, hostProcess: false } } } }),
        });
        if (!a) return [];
        const out: FindingDraft[] = [];
        if (a.pod) {
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} sets ${workload.specPath}.securityContext.windowsOptions.hostProcess=true: every container runs as a HostProcess container on the node (${psaText(a.pod, policy)})`,
            evidence: [evidence(`${workload.specPath}.securityContext.windowsOptions.hostProcess`, 'true')],
            remediation: {
              why: WHY,
              fix: 'Remove windowsOptions.hostProcess from the pod security context (and from every container), and drop hostNetwork, which HostProcess pods require; run node-management agents in a dedicated privileged namespace instead.',
              command: workloadPatchCommand(workload, { securityContext: { windowsOptions: { hostProcess: null } } }),
            },
          });
        }
        for (const { ref: c, violation } of a.containers) {
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.windowsOptions.hostProcess=true${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.windowsOptions.hostProcess`, 'true')],
            remediation: {
              why: WHY,
              fix: `Remove securityContext.windowsOptions.hostProcess from container "${c.container.name}" (HostProcess must be set consistently for the whole pod).`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { windowsOptions: { hostProcess: null } } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Remove windowsOptions.hostProcess from the pod and its containers.' });
      },
    }),
};
