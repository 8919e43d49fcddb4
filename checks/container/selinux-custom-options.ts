import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { SecurityContext } from '../../src/engine/k8s.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText, withoutPodFields } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft, Severity } from '../../src/engine/types.js';

const WHY = 'A custom SELinux type, user or role can lift the container out of the confined container domain; spc_t ("super-privileged container") is unconfined.';
/** The fields PSS restricts; `level` (MCS labels) is allowed. */
const FIELDS = ['type', 'user', 'role'] as const;

function describeOptions(sc: SecurityContext | undefined, path: string): { text: string; ev: Evidence[]; severity: Severity } {
  const o = sc?.seLinuxOptions ?? {};
  const set = FIELDS.filter((f) => o[f] !== undefined && o[f] !== '');
  return {
    text: set.map((f) => `seLinuxOptions.${f}="${o[f] ?? ''}"`).join(', '),
    ev: set.map((f) => evidence(`${path}.seLinuxOptions.${f}`, o[f] ?? '')),
    severity: o.type === 'spc_t' ? 'high' : 'medium',
  };
}

const RESET = { seLinuxOptions: { type: null, user: null, role: null } };

export const check: Check = {
  id: 'container/selinux-custom-options',
  layer: 'container',
  title: 'Custom SELinux type, user or role',
  severity: 'medium',
  description:
    'Evaluates PSS baseline "seLinuxOptions" on each workload at the cluster\'s policy version: fails when spec.securityContext.seLinuxOptions or an init, regular or ephemeral container\'s ' +
    'securityContext.seLinuxOptions sets a type other than "", container_t, container_init_t, container_kvm_t (and container_engine_t from policy v1.31), or any user or role; level is allowed. ' +
    'High when the type is spc_t. Not applicable when only Windows pods run.',
  remediation: 'Remove seLinuxOptions.type, user and role, keeping level if MCS labels are managed.',
  references: [ref.pss('baseline', 'SELinux'), ref.trivy('KSV-0025'), ref.kubescape('C-0211')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'seLinuxOptions',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('seLinuxOptions', meta, spec, policy, { fixPod: (m, s) => ({ meta: m, spec: withoutPodFields(s, 'seLinuxOptions') }) });
        if (!a) return [];
        const out: FindingDraft[] = [];
        if (a.pod) {
          const d = describeOptions(spec.securityContext, `${workload.specPath}.securityContext`);
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            severity: d.severity,
            message: `${describeWorkload(workload)} sets pod-level ${d.text} (${psaText(a.pod, policy)})`,
            evidence: d.ev,
            remediation: {
              why: WHY,
              fix: `Remove seLinuxOptions.type, user and role from ${workload.specPath}.securityContext (keep level if MCS labels are managed).`,
              command: workloadPatchCommand(workload, { securityContext: RESET }),
            },
          });
        }
        for (const { ref: c, violation } of a.containers) {
          const d = describeOptions(c.container.securityContext, `${containerPath(workload, c)}.securityContext`);
          out.push({
            subject: workloadSubject(workload, c.container.name),
            severity: d.severity,
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets ${d.text}${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: d.ev,
            remediation: {
              why: WHY,
              fix: `Remove seLinuxOptions.type, user and role from container "${c.container.name}" (keep level if MCS labels are managed).`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: RESET })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Remove custom SELinux type, user and role.' });
      },
    }),
};
