import { containerPath, containersOf, describeWorkload, evidence, findings, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { exposedSensitivePaths, normalizeHostPath } from '../../src/engine/host-paths.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

export { exposedSensitivePaths, normalizeHostPath, RUNTIME_SOCKETS, SENSITIVE_PATHS } from '../../src/engine/host-paths.js';

function summarize(hostPath: string, exposed: { paths: string[]; sockets: string[] }): string {
  const p = normalizeHostPath(hostPath);
  const all = [...exposed.paths, ...exposed.sockets];
  if (all.length === 1 && all[0] === p) return exposed.sockets.length ? 'a container-runtime socket' : 'a sensitive host path';
  const shown = all.filter((x) => x !== p).slice(0, 4);
  const more = all.length - (all.includes(p) ? 1 : 0) - shown.length;
  return `${all.includes(p) ? 'a sensitive host path that also ' : ''}exposes ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

export const check: Check = {
  id: 'container/sensitive-hostpath-mount',
  layer: 'container',
  title: 'Sensitive host path or runtime socket mounted',
  severity: 'critical',
  description:
    'Inspects spec.volumes[].hostPath.path (normalized: "//" collapsed, trailing "/" removed) and the volumeMounts that use it. ' +
    'Fails when the path equals or is an ancestor of /, /etc, /root, /home, /boot, /dev, /proc, /sys, /var/lib/kubelet(/pki), ' +
    '/etc/kubernetes(/manifests), /var/lib/etcd, /var/lib/docker, /var/lib/containerd, /var/log or a container-runtime socket; ' +
    'descendants such as /var/log/pods are left to container/hostpath-volume. Critical when a runtime socket is exposed or any mount is writable; ' +
    'high when every mount is readOnly. A volume no container mounts is still reported.',
  remediation: 'Remove the hostPath volume, or mount only a specific, non-sensitive subdirectory read-only.',
  references: [
    ref.kubescape('C-0045'), ref.kubescape('C-0074'), ref.trivy('KSV-0006'), ref.trivy('KSV-0121'),
    ref.doc('kubeaudit mounts', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/mounts.md'), ref.nsa('Pod security'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) => {
    // Many pods share the same host paths: classify each distinct path once.
    const classified = new Map<string, { paths: string[]; sockets: string[] }>();
    const classify = (path: string) => {
      let hit = classified.get(path);
      if (!hit) classified.set(path, (hit = exposedSensitivePaths(path)));
      return hit;
    };
    return findings(
      visitWorkloads(snapshot, (workload, { spec }) => {
        const out: FindingDraft[] = [];
        for (const volume of spec.volumes ?? []) {
          const hostPath = volume.hostPath?.path;
          if (hostPath === undefined) continue;
          const exposed = classify(hostPath);
          if (exposed.paths.length === 0 && exposed.sockets.length === 0) continue;

          const mounts = containersOf(spec).flatMap((c) =>
            (c.container.volumeMounts ?? []).filter((m) => m.name === volume.name).map((mount) => ({ c, mount })));
          const writable = mounts.filter(({ mount }) => mount.readOnly !== true);
          const isSocket = exposed.sockets.length > 0;
          const severity = isSocket || writable.length > 0 ? 'critical' : 'high';

          const volumePath = `${workload.specPath}.volumes[name=${volume.name}].hostPath.path`;
          const ev: Evidence[] = [evidence(volumePath, hostPath)];
          for (const { c, mount } of mounts) {
            ev.push(evidence(`${containerPath(workload, c)}.volumeMounts[name=${volume.name}].readOnly`, mount.readOnly === true ? 'true' : 'false (unset)'));
          }

          let how: string;
          if (mounts.length === 0) how = 'declared but not mounted by any container';
          else if (writable.length > 0) how = `mounted writable in ${writable.map(({ c }) => `container "${c.container.name}"`).join(', ')}`;
          else how = `mounted read-only in ${mounts.map(({ c }) => `container "${c.container.name}"`).join(', ')}`;

          // Strategic merge: delete the volume (merge key name) and its mounts (merge key mountPath).
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
            severity,
            message: `${describeWorkload(workload)} mounts host path "${hostPath}" (volume "${volume.name}"), ${summarize(hostPath, exposed)}; ${how}`,
            evidence: ev,
            remediation: {
              why: isSocket
                ? 'The container-runtime API starts privileged containers and reads every container\'s files: access to its socket is root on the node, even through a read-only mount.'
                : 'These host paths hold node credentials, kubelet and etcd data, static-pod manifests or host devices: write access gives node root, read access leaks credentials.',
              fix: 'Remove the volume; if the workload really needs host data (e.g. a log shipper), mount only the specific subdirectory it needs (/var/log/pods, /var/log/containers) with readOnly: true, and run it in a dedicated namespace.',
              command: workloadPatchCommand(workload, patch),
            },
          });
        }
        return out;
      }),
    );
  },
};
