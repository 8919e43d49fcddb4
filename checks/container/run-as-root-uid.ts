import { containerPatch, containerPath, containersOf, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText, withoutPodFields } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** The UID suggested in fixes (Appendix A's restricted example). */
const SUGGESTED_UID = 10001;
const WHY = 'A process running as UID 0 keeps root\'s file access in the container and is one kernel or runtime bug away from root on the node.';

export const check: Check = {
  id: 'container/run-as-root-uid',
  layer: 'container',
  title: 'Explicit runAsUser 0',
  severity: 'high',
  description:
    'Inspects securityContext.runAsUser at pod level (spec.securityContext) and of every init, regular and ephemeral container; ' +
    'evaluated as PSS restricted "runAsUser" (policy v1.23+) at the cluster\'s policy version. Fails when the pod or a container sets runAsUser: 0 — a pod-level 0 fails even ' +
    'when every container overrides it, as PSA does. Pods in a user namespace (spec.hostUsers: false) pass from policy v1.35: UID 0 there is not root on the node.',
  remediation: 'Set runAsUser to a non-zero UID the image supports, or run the pod in a user namespace with hostUsers: false.',
  references: [
    ref.pss('restricted', 'Running as Non-root user (v1.23+)'), ref.cis('5.2.7'), ref.trivy('KSV-0105'),
    ref.doc('kubeaudit nonroot', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/nonroot.md'), ref.nsa('Pod security (Non-root containers)'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    // Decision: PSA "runAsUser" at the cluster's policy version (v1.23+; user-namespace pods pass
    // from v1.35). PSA rejects a pod-level 0 even when every container overrides it, and so do we.
    evaluatePssRow(snapshot, {
      checkId: 'runAsUser',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('runAsUser', meta, spec, policy, { fixPod: (m, s) => ({ meta: m, spec: withoutPodFields(s, 'runAsUser') }) });
        if (!a) return [];
        const out: FindingDraft[] = [];
        if (a.pod) {
          const podPath = `${workload.specPath}.securityContext.runAsUser`;
          const inheriting = containersOf(spec).filter((c) => c.container.securityContext?.runAsUser === undefined);
          const names = inheriting.map((c) => `"${c.container.name}"`).join(', ');
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} sets ${podPath}=0; ` +
              (inheriting.length > 0
                ? `${inheriting.length === 1 ? 'container' : 'containers'} ${names} ${inheriting.length === 1 ? 'inherits' : 'inherit'} it and ${inheriting.length === 1 ? 'runs' : 'run'} as root`
                : 'every container overrides it, but PSA still rejects the pod-level value') +
              ` (${psaText(a.pod, policy)})`,
            evidence: [evidence(podPath, '0'), ...inheriting.map((c) => evidence(`${containerPath(workload, c)}.securityContext.runAsUser`, 'unset (inherits 0)'))],
            remediation: {
              why: WHY,
              fix: `Set ${podPath} to a non-zero UID the image supports (e.g. ${SUGGESTED_UID}) with runAsNonRoot: true, or set hostUsers: false to run in a user namespace.`,
              command: workloadPatchCommand(workload, { securityContext: { runAsUser: SUGGESTED_UID, runAsNonRoot: true } }),
            },
          });
        }
        for (const { ref: c, violation } of a.containers) {
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.runAsUser=0: it runs as root${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.runAsUser`, '0')],
            remediation: {
              why: WHY,
              fix: `Set securityContext.runAsUser of container "${c.container.name}" to a non-zero UID the image supports (e.g. ${SUGGESTED_UID}), or set hostUsers: false to run in a user namespace.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { runAsUser: SUGGESTED_UID } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Set non-zero runAsUser values.' });
      },
    }),
};
