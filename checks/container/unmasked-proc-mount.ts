import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'An Unmasked /proc exposes kernel interfaces that the runtime normally hides or makes read-only (e.g. /proc/sys, /proc/sysrq-trigger), a path to host information leaks and escapes.';

export const check: Check = {
  id: 'container/unmasked-proc-mount',
  layer: 'container',
  title: '/proc mounted unmasked',
  severity: 'high',
  description:
    'Evaluates PSS baseline "procMount" and, from policy v1.35, restricted "procMount_restricted" on each workload at the cluster\'s policy version: fails for an init, regular or ephemeral ' +
    'container whose securityContext.procMount is set to anything other than Default. High when baseline forbids it; from v1.35 baseline allows it in user-namespace pods ' +
    '(spec.hostUsers: false) while restricted still forbids it, which is reported as low. Not applicable when only Windows pods run.',
  remediation: 'Set securityContext.procMount to Default (or remove the field) in every container.',
  references: [ref.pss('baseline', '/proc Mount Type'), ref.trivy('KSV-0027'), ref.polaris('procMount'), ref.kubescape('C-0211')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'procMount',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const baseline = attributePss('procMount', meta, spec, policy);
        // At v1.35+ baseline passes user-namespace pods; restricted (procMount_restricted) never does.
        const a = baseline ?? (policy.minor >= 35 ? attributePss('procMount_restricted', meta, spec, policy) : undefined);
        if (!a) return [];
        const userNs = baseline === undefined;
        const out: FindingDraft[] = [];
        for (const { ref: c, violation } of a.containers) {
          const value = c.container.securityContext?.procMount ?? '';
          out.push({
            subject: workloadSubject(workload, c.container.name),
            severity: userNs ? 'low' : 'high',
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.procMount="${value}"` +
              `${userNs ? ' (allowed at baseline because the pod runs in a user namespace, hostUsers: false; restricted still forbids it)' : ''}${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.procMount`, value)],
            remediation: {
              why: userNs ? `${WHY} In a user namespace the impact is reduced, but the restricted level still forbids it.` : WHY,
              fix: `Set securityContext.procMount of container "${c.container.name}" to Default, or remove the field.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { procMount: 'Default' } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Set procMount to Default.' });
      },
    }),
};
