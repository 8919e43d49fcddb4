import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** The UID suggested in fixes (Appendix A's restricted example). */
const SUGGESTED_UID = 10001;
const WHY = 'Nothing stops the image from running as root: root in a container keeps root\'s file access and is root on the node after an escape. The kubelet refuses to start a root image only when runAsNonRoot is true.';
const POD_PATCH = { securityContext: { runAsNonRoot: true, runAsUser: SUGGESTED_UID } };

export const check: Check = {
  id: 'container/run-as-non-root-not-enforced',
  layer: 'container',
  title: 'Containers not required to run as non-root',
  severity: 'medium',
  description:
    'Evaluates PSS restricted "runAsNonRoot" on each workload at the cluster\'s policy version: fails when spec.securityContext.runAsNonRoot or an init, regular or ephemeral ' +
    'container\'s securityContext.runAsNonRoot is false, or when the pod level is not true and a container leaves it unset. User-namespace pods (spec.hostUsers: false) pass from policy v1.35.',
  remediation: 'Build the image with a numeric non-root USER and set runAsNonRoot: true with that runAsUser at pod level.',
  references: [
    ref.pss('restricted', 'Running as Non-root'), ref.cis('5.2.7'), ref.kubescape('C-0013'), ref.trivy('KSV-0012'), ref.polaris('runAsRootAllowed'),
    ref.doc('kubeaudit nonroot', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/nonroot.md'), ref.nsa('Pod security (Non-root containers)'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'runAsNonRoot',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('runAsNonRoot', meta, spec, policy, {
          fixPod: (m, s) => ({ meta: m, spec: { ...s, securityContext: { ...s.securityContext, runAsNonRoot: true } } }),
        });
        if (!a) return [];
        const out: FindingDraft[] = [];
        const podPath = `${workload.specPath}.securityContext.runAsNonRoot`;
        if (a.pod) {
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} sets ${podPath}=${String(spec.securityContext?.runAsNonRoot)}: containers may run as root (${psaText(a.pod, policy)})`,
            evidence: [evidence(podPath, String(spec.securityContext?.runAsNonRoot))],
            remediation: {
              why: WHY,
              fix: `Set ${podPath} to true with a non-zero runAsUser the image supports (e.g. ${SUGGESTED_UID}); build the image with a numeric USER.`,
              command: workloadPatchCommand(workload, POD_PATCH),
            },
          });
        }
        const implicit = a.containers.filter(({ ref: c }) => c.container.securityContext?.runAsNonRoot === undefined);
        const explicit = a.containers.filter(({ ref: c }) => c.container.securityContext?.runAsNonRoot !== undefined);
        if (implicit.length > 0) {
          const names = implicit.map(({ ref: c }) => `"${c.container.name}"`).join(', ');
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} does not set ${podPath}=true and ${implicit.length === 1 ? 'container' : 'containers'} ${names} ${implicit.length === 1 ? 'does' : 'do'} not set it either: nothing prevents running as root (${psaText(a.violation, policy)})`,
            evidence: [evidence(podPath, 'unset'), ...implicit.map(({ ref: c }) => evidence(`${containerPath(workload, c)}.securityContext.runAsNonRoot`, 'unset'))],
            remediation: {
              why: WHY,
              fix: `Set ${podPath} to true with a non-zero runAsUser the image supports (e.g. ${SUGGESTED_UID}); the kubelet cannot verify non-numeric USER names, so build the image with a numeric USER.`,
              command: workloadPatchCommand(workload, POD_PATCH),
            },
          });
        }
        for (const { ref: c, violation } of explicit) {
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.runAsNonRoot=${String(c.container.securityContext?.runAsNonRoot)}${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.runAsNonRoot`, String(c.container.securityContext?.runAsNonRoot))],
            remediation: {
              why: WHY,
              fix: `Set securityContext.runAsNonRoot of container "${c.container.name}" to true (or remove it once the pod level sets true) and run it with a non-zero UID.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { runAsNonRoot: true } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Set runAsNonRoot: true at pod level.' });
      },
    }),
};
