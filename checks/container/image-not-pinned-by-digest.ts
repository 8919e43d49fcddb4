import { containerPatch, containerPath, containersOf, describeWorkload, evidence, findings, kindResource, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { containerStatus, digestFromImageID, parseImageReference, pinnedDigest } from '../../src/engine/images.js';
import type { Pod, PodSpec } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

export const check: Check = {
  id: 'container/image-not-pinned-by-digest',
  layer: 'container',
  title: 'Image not pinned by digest',
  severity: 'low',
  description:
    'Inspects the image reference of every init, regular and ephemeral container. Fails when it contains no "@<algorithm>:<hex>" digest ' +
    '(a tag, even a version tag, is mutable). status.containerStatuses[].imageID always holds a digest and is never treated as pinning; ' +
    'it is only used to suggest the digest for the fix (a docker-pullable:// prefix is stripped).',
  remediation: 'Reference images by digest (repository@sha256:…) and update the digest deliberately when a new version is released.',
  references: [
    ref.kubescape('C-0306'), ref.fourC('Image Signing and Enforcement'),
    ref.doc('Kubernetes: container images (image names and digests)', 'https://kubernetes.io/docs/concepts/containers/images/#image-names'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) => {
    // The live pod behind a revision, to suggest the digest it runs (CHECKS.md §7 trap 16).
    const podBySpec = new Map<PodSpec, Pod>();
    for (const pod of snapshot.list<Pod>('pods')) if (pod.spec) podBySpec.set(pod.spec, pod);

    return findings(
      visitWorkloads(snapshot, (workload, { spec }) => {
        const out: FindingDraft[] = [];
        for (const c of containersOf(spec)) {
          const image = c.container.image;
          if (image === undefined || image === '' || pinnedDigest(image)) continue;
          const { repository, tag } = parseImageReference(image);
          const status = containerStatus(podBySpec.get(spec), c.container.name);
          const running = digestFromImageID(status?.imageID);

          const ev: Evidence[] = [evidence(`${containerPath(workload, c)}.image`, image)];
          if (status?.imageID) ev.push(evidence(`status.${statusList(c.list)}[name=${c.container.name}].imageID`, status.imageID));

          const pinned = `${repository}@${running ?? '<digest>'}`;
          let cmd: string | undefined;
          if (c.list === 'ephemeralContainers') cmd = undefined; // ephemeral containers cannot be changed
          else if (workload.kind === 'Job') cmd = workloadPatchCommand(workload, containerPatch(c, { image: pinned }));
          else cmd = command`kubectl -n ${workload.namespace} set image ${`${kindResource(workload.kind)}/${workload.name}`} ${`${c.container.name}=${pinned}`}`;

          const lookup = `crane digest ${image}, or docker buildx imagetools inspect ${image}`;
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} uses image "${image}" without a digest` +
              (tag !== undefined ? ` (tag "${tag}" is mutable)` : '') +
              (running ? `; it currently runs ${running} (status imageID, not a pin)` : ''),
            evidence: ev,
            remediation: {
              why: 'Tags are mutable: whoever can push to the repository can change what runs on the next pull. Only a digest guarantees that the signed and scanned artifact is the one that runs.',
              fix: c.list === 'ephemeralContainers'
                ? 'Ephemeral (debug) containers cannot be changed; start the next one with a digest-pinned image.'
                : running
                  ? `Pin the image to ${running}, the digest this pod runs (from imageID). In mixed-architecture clusters use the multi-arch index digest from the registry instead of a per-node imageID (${lookup}).`
                  : `Look up the digest in the registry (${lookup}) and replace <digest> in the command.`,
              ...(cmd ? { command: cmd } : {}),
            },
          });
        }
        return out;
      }),
    );
  },
};

function statusList(list: 'containers' | 'initContainers' | 'ephemeralContainers'): string {
  return list === 'containers' ? 'containerStatuses' : list === 'initContainers' ? 'initContainerStatuses' : 'ephemeralContainerStatuses';
}
