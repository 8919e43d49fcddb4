import { containerPath, containersOf, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { exposedSensitivePaths } from '../../src/engine/host-paths.js';
import { evaluateCheck } from '../../src/engine/pss/index.js';
import { evaluatePssRow, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

export const check: Check = {
  id: 'container/hostpath-volume',
  layer: 'container',
  title: 'hostPath volume',
  severity: 'high',
  description:
    'Evaluates PSS baseline "hostPathVolumes" on each workload at the cluster\'s policy version: fails for every spec.volumes[] entry with a hostPath source, ' +
    'one finding per volume with the volumeMounts that use it. Volumes whose path is (or is an ancestor of) a sensitive host path or a runtime socket are ' +
    'left to container/sensitive-hostpath-mount, so no volume is reported twice.',
  remediation: 'Replace the hostPath volume with an emptyDir, a PersistentVolumeClaim or a CSI volume, or move the node agent to a dedicated privileged namespace.',
  references: [ref.pss('baseline', 'HostPath Volumes'), ref.cis('5.2.11'), ref.kubescape('C-0048'), ref.trivy('KSV-0023'), ref.polaris('hostPathSet')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'hostPathVolumes',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        if (!evaluateCheck('hostPathVolumes', meta, spec, policy.version)) return [];
        const out: FindingDraft[] = [];
        for (const volume of spec.volumes ?? []) {
          // PSA's own verdict for this one volume.
          const violation = evaluateCheck('hostPathVolumes', meta, { ...spec, volumes: [volume] }, policy.version);
          if (!violation) continue;
          const hostPath = volume.hostPath?.path ?? '';
          const exposed = exposedSensitivePaths(hostPath);
          if (exposed.paths.length > 0 || exposed.sockets.length > 0) continue; // container/sensitive-hostpath-mount reports it
          const mounts = containersOf(spec).flatMap((c) =>
            (c.container.volumeMounts ?? []).filter((m) => m.name === volume.name).map((mount) => ({ c, mount })));
          const writable = mounts.filter(({ mount }) => mount.readOnly !== true);
          const ev: Evidence[] = [evidence(`${workload.specPath}.volumes[name=${volume.name}].hostPath.path`, hostPath)];
          for (const { c, mount } of mounts) {
            ev.push(evidence(`${containerPath(workload, c)}.volumeMounts[name=${volume.name}].readOnly`, mount.readOnly === true ? 'true' : 'false (unset)'));
          }
          let how: string;
          if (mounts.length === 0) how = 'declared but not mounted by any container';
          else if (writable.length > 0) how = `mounted writable in ${writable.map(({ c }) => `container "${c.container.name}"`).join(', ')}`;
          else how = `mounted read-only in ${mounts.map(({ c }) => `container "${c.container.name}"`).join(', ')}`;
          const patch: Record<string, unknown> = { volumes: [{ name: volume.name, $patch: 'delete' }] };
          for (const list of ['initContainers', 'containers'] as const) {
            const entries = mounts
              .filter(({ c, mount }) => c.list === list && mount.mountPath !== undefined)
              .map(({ c, mount }) => ({ name: c.container.name, volumeMounts: [{ mountPath: mount.mountPath, $patch: 'delete' }] }));
            if (entries.length > 0) patch[list] = entries;
          }
          out.push({
            subject: workloadSubject(workload),
            discriminator: volume.name,
            message: `${describeWorkload(workload)} mounts host path "${hostPath}" (volume "${volume.name}"), ${how} (${psaText(violation, policy)})`,
            evidence: ev,
            remediation: {
              why: 'A hostPath volume gives the pod direct access to the node\'s file system: it breaks isolation, can leak data of other pods and persists across pods.',
              fix: 'Replace the volume with an emptyDir, a PersistentVolumeClaim or a CSI volume; node agents that truly need host files belong in a dedicated privileged namespace.',
              command: workloadPatchCommand(workload, patch),
            },
          });
        }
        // Every hostPath volume here is sensitive: reported by container/sensitive-hostpath-mount only.
        return out;
      },
    }),
};
