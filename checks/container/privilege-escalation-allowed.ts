import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'Without no_new_privs, setuid binaries and file capabilities inside the image can raise a process\'s privileges after an initial compromise.';

export const check: Check = {
  id: 'container/privilege-escalation-allowed',
  layer: 'container',
  title: 'allowPrivilegeEscalation not false',
  severity: 'medium',
  description:
    'Evaluates PSS restricted "allowPrivilegeEscalation" (policy v1.8+) on each workload at the cluster\'s policy version: fails for an init, regular or ephemeral container whose ' +
    'securityContext.allowPrivilegeEscalation is not explicitly false — unset counts as allowed escalation (unlike kube-bench 5.2.6, which treats unset as compliant). ' +
    'Windows pods are exempt from policy v1.25.',
  remediation: 'Set securityContext.allowPrivilegeEscalation to false in every container.',
  references: [
    ref.pss('restricted', 'Privilege Escalation'), ref.cis('5.2.6'), ref.kubescape('C-0016'), ref.trivy('KSV-0001'), ref.polaris('privilegeEscalationAllowed'),
    ref.doc('kubeaudit privesc', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/privesc.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'allowPrivilegeEscalation',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('allowPrivilegeEscalation', meta, spec, policy);
        if (!a) return [];
        const out: FindingDraft[] = [];
        for (const { ref: c, violation } of a.containers) {
          const sc = c.container.securityContext;
          const value = sc?.allowPrivilegeEscalation;
          const state = value === undefined
            ? 'leaves securityContext.allowPrivilegeEscalation unset (unset counts as allowed escalation)'
            : `sets securityContext.allowPrivilegeEscalation=${String(value)}`;
          // API validation rejects allowPrivilegeEscalation=false together with privileged or CAP_SYS_ADMIN.
          const blocker = sc?.privileged === true
            ? ' First remove privileged: true (container/privileged): the API server rejects allowPrivilegeEscalation=false on a privileged container.'
            : (sc?.capabilities?.add ?? []).some((x) => String(x).toUpperCase().replace(/^CAP_/, '') === 'SYS_ADMIN')
              ? ' First remove SYS_ADMIN (container/added-capabilities): the API server rejects allowPrivilegeEscalation=false with CAP_SYS_ADMIN.'
              : '';
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} ${state}${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.allowPrivilegeEscalation`, value === undefined ? 'unset' : String(value))],
            remediation: {
              why: WHY,
              fix: `Set securityContext.allowPrivilegeEscalation to false in container "${c.container.name}".${blocker}`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { allowPrivilegeEscalation: false } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Set allowPrivilegeEscalation to false in every container.' });
      },
    }),
};
