import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { kubeletConfig } from '../../src/engine/kubelet.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'Without a seccomp profile a container may run unconfined (unless the kubelet applies seccompDefault), exposing every system call of the kernel; the restricted level requires the field.';
const POD_PATCH = { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } };

// CHECKS.md row: when kubeadm's kubelet configuration (kube-system/kubelet-config, the same
// source as cluster/kubelet-hardening-defaults) sets `seccompDefault: true`, the runtime default
// profile is applied to containers that set none, so those findings drop to low (PSS restricted
// still requires the field). An explicit Unconfined type is not covered by it.
const SECCOMP_DEFAULT_NOTE = '; kubelet-config sets seccompDefault: true, so the runtime default profile is applied anyway — PSS restricted still requires the field';

export const check: Check = {
  id: 'container/seccomp-not-set',
  layer: 'container',
  title: 'Seccomp profile not set (restricted)',
  severity: 'medium',
  description:
    'Evaluates PSS restricted "seccompProfile_restricted" (policy v1.19+) on each workload at the cluster\'s policy version: fails when there is no valid pod-level ' +
    'spec.securityContext.seccompProfile (RuntimeDefault or Localhost) and an init, regular or ephemeral container sets none, or when any profile has another type ' +
    '(Unconfined, also reported by container/seccomp-unconfined). A valid pod-level profile covers containers that set none. Windows pods are exempt from policy v1.25.',
  remediation: 'Set spec.securityContext.seccompProfile.type to RuntimeDefault at pod level.',
  references: [
    ref.pss('restricted', 'Seccomp (v1.19+)'), ref.cis('5.6.2'), ref.kubescape('C-0210'), ref.trivy('KSV-0030'),
    ref.doc('kubeaudit seccomp', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/seccomp.md'),
  ],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'system-configmaps'],
  evaluate: (snapshot) => {
    const kubelet = kubeletConfig(snapshot);
    const seccompDefault = kubelet.status === 'found' && kubelet.config.seccompDefault;
    return evaluatePssRow(snapshot, {
      checkId: 'seccompProfile_restricted',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('seccompProfile_restricted', meta, spec, policy, {
          fixPod: (m, s) => ({ meta: m, spec: { ...s, securityContext: { ...s.securityContext, seccompProfile: { type: 'RuntimeDefault' } } } }),
        });
        if (!a) return [];
        const out: FindingDraft[] = [];
        const podPath = `${workload.specPath}.securityContext.seccompProfile`;
        if (a.pod) {
          const type = spec.securityContext?.seccompProfile?.type ?? '';
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} sets ${podPath}.type="${type}" instead of RuntimeDefault or Localhost (also reported by container/seccomp-unconfined) (${psaText(a.pod, policy)})`,
            evidence: [evidence(`${podPath}.type`, type)],
            remediation: { why: WHY, fix: `Set ${podPath}.type to RuntimeDefault.`, command: workloadPatchCommand(workload, POD_PATCH) },
          });
        }
        const implicit = a.containers.filter(({ ref: c }) => c.container.securityContext?.seccompProfile === undefined);
        const explicit = a.containers.filter(({ ref: c }) => c.container.securityContext?.seccompProfile !== undefined);
        if (implicit.length > 0) {
          const names = implicit.map(({ ref: c }) => `"${c.container.name}"`).join(', ');
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} sets no pod-level seccompProfile and ${implicit.length === 1 ? 'container' : 'containers'} ${names} ${implicit.length === 1 ? 'sets' : 'set'} none ` +
              `(${seccompDefault ? 'the kubelet applies its default profile' : `the runtime may run ${implicit.length === 1 ? 'it' : 'them'} unconfined`}) (${psaText(a.violation, policy)})${seccompDefault ? SECCOMP_DEFAULT_NOTE : ''}`,
            ...(seccompDefault ? { severity: 'low' as const } : {}),
            evidence: [evidence(podPath, 'unset'), ...implicit.map(({ ref: c }) => evidence(`${containerPath(workload, c)}.securityContext.seccompProfile`, 'unset'))],
            remediation: {
              why: WHY,
              fix: `Set ${podPath}.type to RuntimeDefault; it covers every container that sets no profile of its own.`,
              command: workloadPatchCommand(workload, POD_PATCH),
            },
          });
        }
        for (const { ref: c, violation } of explicit) {
          const type = c.container.securityContext?.seccompProfile?.type ?? '';
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.seccompProfile.type="${type}" (also reported by container/seccomp-unconfined)${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.seccompProfile.type`, type)],
            remediation: {
              why: WHY,
              fix: `Set seccompProfile.type of container "${c.container.name}" to RuntimeDefault.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Set the pod-level seccompProfile to RuntimeDefault.' });
      },
    });
  },
};
