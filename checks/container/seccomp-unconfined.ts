import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText, withoutPodFields } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'Seccomp filters the system calls a container may make; Unconfined re-opens the whole kernel attack surface (e.g. unshare, keyctl, bpf) used by most container escapes.';

export const check: Check = {
  id: 'container/seccomp-unconfined',
  layer: 'container',
  title: 'Seccomp explicitly disabled',
  severity: 'high',
  description:
    'Evaluates PSS baseline "seccompProfile_baseline" on each workload at the cluster\'s policy version: from v1.19 fails when spec.securityContext.seccompProfile or an init, regular or ' +
    'ephemeral container\'s securityContext.seccompProfile has a type other than RuntimeDefault or Localhost (i.e. Unconfined); before v1.19 the seccomp annotations are checked instead. ' +
    'An unset profile is container/seccomp-not-set. Not applicable when only Windows pods run.',
  remediation: 'Set seccompProfile.type to RuntimeDefault at pod level and remove container-level Unconfined profiles.',
  references: [
    ref.pss('baseline', 'Seccomp'), ref.trivy('KSV-0104'), ref.kubescape('C-0210'), ref.polaris('linuxHardening'),
    ref.doc('kubeaudit seccomp', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/seccomp.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'seccompProfile_baseline',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('seccompProfile_baseline', meta, spec, policy, { fixPod: (m, s) => ({ meta: m, spec: withoutPodFields(s, 'seccompProfile') }) });
        if (!a) return [];
        const out: FindingDraft[] = [];
        if (a.pod) {
          const type = spec.securityContext?.seccompProfile?.type ?? '';
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} sets ${workload.specPath}.securityContext.seccompProfile.type="${type}": containers without their own profile run unconfined (${psaText(a.pod, policy)})`,
            evidence: [evidence(`${workload.specPath}.securityContext.seccompProfile.type`, type)],
            remediation: {
              why: WHY,
              fix: `Set ${workload.specPath}.securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a profile present on every node).`,
              command: workloadPatchCommand(workload, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
            },
          });
        }
        for (const { ref: c, violation } of a.containers) {
          const type = c.container.securityContext?.seccompProfile?.type ?? '';
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.seccompProfile.type="${type}"${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.seccompProfile.type`, type)],
            remediation: {
              why: WHY,
              fix: `Set seccompProfile.type of container "${c.container.name}" to RuntimeDefault, or remove it once the pod level sets RuntimeDefault.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Use the RuntimeDefault seccomp profile and remove the seccomp annotations.' });
      },
    }),
};
