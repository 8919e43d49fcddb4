import { containerPatch, containerPath, containersOf, describeWorkload, evidence, findings, notApplicable, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Workload } from '../../src/engine/snapshot.js';
import type { Check } from '../../src/engine/types.js';
import { windowsPodReason } from './root-group.js';

export const check: Check = {
  id: 'container/writable-root-filesystem',
  layer: 'container',
  title: 'Root filesystem writable',
  severity: 'low',
  description:
    'Inspects securityContext.readOnlyRootFilesystem of every init and regular container (ephemeral debug containers are exempt). ' +
    'Fails when it is not true: unset means writable. Windows pods (spec.os.name, nodeSelector or node OS) are not applicable, ' +
    'the field is Linux-only.',
  remediation: 'Set securityContext.readOnlyRootFilesystem to true and mount emptyDir volumes for the paths the container writes.',
  references: [
    ref.nsa('Pod security (Immutable container file systems)'), ref.kubescape('C-0017'), ref.trivy('KSV-0014'), ref.polaris('notReadOnlyRootFilesystem'),
    ref.doc('kubeaudit rootfs', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/rootfs.md'),
  ],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'nodes'],
  evaluate: (snapshot) => {
    const linux = new Set<Workload>();
    const windows = new Set<Workload>();
    const drafts = visitWorkloads(snapshot, (workload, { spec }) => {
      if (windowsPodReason(snapshot, spec)) {
        windows.add(workload);
        return [];
      }
      linux.add(workload);
      return containersOf(spec)
        .filter((c) => c.list !== 'ephemeralContainers' && c.container.securityContext?.readOnlyRootFilesystem !== true)
        .map((c) => {
          const value = c.container.securityContext?.readOnlyRootFilesystem;
          const path = `${containerPath(workload, c)}.securityContext.readOnlyRootFilesystem`;
          return {
            subject: workloadSubject(workload, c.container.name),
            message: value === false
              ? `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.readOnlyRootFilesystem=false`
              : `container "${c.container.name}" of ${describeWorkload(workload)} does not set securityContext.readOnlyRootFilesystem (unset means writable)`,
            evidence: [evidence(path, value === undefined ? '<unset>' : String(value))],
            remediation: {
              why: 'A writable root filesystem lets an attacker drop tools, modify binaries or plant persistence inside the container; an immutable one confines writes to the volumes you mount.',
              fix: `Set readOnlyRootFilesystem: true on container "${c.container.name}" and mount emptyDir volumes for the paths it writes (/tmp, caches, pid files); test before rolling out.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { readOnlyRootFilesystem: true } })),
            },
          };
        });
    });
    if (drafts.length === 0 && linux.size === 0 && windows.size > 0) {
      return notApplicable(`all ${windows.size} workload(s) run Windows pods: readOnlyRootFilesystem is Linux-only`);
    }
    return findings(drafts, windows.size > 0 ? `${windows.size} Windows workload(s) not applicable` : undefined);
  },
};
