import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'A privileged container gets all capabilities and host devices and runs without seccomp or AppArmor confinement: root on the node.';

export const check: Check = {
  id: 'container/privileged',
  layer: 'container',
  title: 'Privileged container',
  severity: 'critical',
  description:
    'Inspects securityContext.privileged of every init, regular and ephemeral container of each workload ' +
    '(live pods, or the template when none run). Fails when a container sets privileged: true (PSS baseline "privileged").',
  remediation: 'Set securityContext.privileged to false and grant only the specific capabilities or devices the container needs.',
  references: [
    ref.pss('baseline', 'Privileged Containers'), ref.cis('5.2.2'), ref.kubescape('C-0057'), ref.trivy('KSV-0017'),
    ref.polaris('runAsPrivileged'), ref.nsa('Pod security'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    // Decision: PSA "privileged" at the cluster's policy version; attribution: each container on its own.
    evaluatePssRow(snapshot, {
      checkId: 'privileged',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('privileged', meta, spec, policy);
        if (!a) return [];
        const out: FindingDraft[] = a.containers.map(({ ref: c, violation }) => ({
          subject: workloadSubject(workload, c.container.name),
          message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.privileged=true${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
          evidence: [evidence(`${containerPath(workload, c)}.securityContext.privileged`, 'true')],
          remediation: {
            why: WHY,
            fix: 'Set privileged to false; grant specific capabilities or use a device plugin instead.',
            command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { privileged: false } })),
          },
        }));
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Set privileged to false in every container.' });
      },
    }),
};
