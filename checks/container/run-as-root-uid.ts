import { containerPatch, containerPath, containersOf, describeWorkload, evidence, findings, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** The UID suggested in fixes (Appendix A's restricted example). */
const SUGGESTED_UID = 10001;

export const check: Check = {
  id: 'container/run-as-root-uid',
  layer: 'container',
  title: 'Explicit runAsUser 0',
  severity: 'high',
  description:
    'Inspects securityContext.runAsUser at pod level (spec.securityContext) and of every init, regular and ephemeral container; ' +
    'a container-level value overrides the pod-level one. Fails when a container\'s effective runAsUser is 0 (PSS restricted "runAsUser", v1.23+). ' +
    'Pods in a user namespace (spec.hostUsers: false) pass: UID 0 there is not root on the node (PSA v1.35+).',
  remediation: 'Set runAsUser to a non-zero UID the image supports, or run the pod in a user namespace with hostUsers: false.',
  references: [
    ref.pss('restricted', 'Running as Non-root user (v1.23+)'), ref.cis('5.2.7'), ref.trivy('KSV-0105'),
    ref.doc('kubeaudit nonroot', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/nonroot.md'), ref.nsa('Pod security (Non-root containers)'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    findings(
      visitWorkloads(snapshot, (workload, { spec }) => {
        // A user-namespace pod maps UID 0 to an unprivileged host UID (CHECKS.md §6.7, §7 trap 6).
        if (spec.hostUsers === false) return [];
        const podUid = spec.securityContext?.runAsUser;
        const out: FindingDraft[] = [];
        for (const c of containersOf(spec)) {
          const own = c.container.securityContext?.runAsUser;
          const effective = own ?? podUid;
          if (effective !== 0) continue;
          const fromPod = own === undefined;
          const path = fromPod ? `${workload.specPath}.securityContext.runAsUser` : `${containerPath(workload, c)}.securityContext.runAsUser`;
          const where = fromPod ? `inherits ${workload.specPath}.securityContext.runAsUser=0` : 'sets securityContext.runAsUser=0';
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} ${where}: it runs as root`,
            evidence: [evidence(path, '0')],
            remediation: {
              why: 'A process running as UID 0 keeps root\'s file access in the container and is one kernel or runtime bug away from root on the node.',
              fix: fromPod
                ? `Set ${workload.specPath}.securityContext.runAsUser to a non-zero UID the image supports (e.g. ${SUGGESTED_UID}) with runAsNonRoot: true, or set hostUsers: false to run in a user namespace.`
                : `Set securityContext.runAsUser of container "${c.container.name}" to a non-zero UID the image supports (e.g. ${SUGGESTED_UID}), or set hostUsers: false to run in a user namespace.`,
              command: workloadPatchCommand(
                workload,
                fromPod
                  ? { securityContext: { runAsUser: SUGGESTED_UID, runAsNonRoot: true } }
                  : containerPatch(c, { securityContext: { runAsUser: SUGGESTED_UID } }),
              ),
            },
          });
        }
        return out;
      }),
    ),
};
