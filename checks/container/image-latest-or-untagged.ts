import { containerPatch, containerPath, containersOf, describeWorkload, evidence, findings, kindResource, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { Pod, PodSpec } from '../../src/engine/k8s.js';
import { digestFromImageID as repoDigest, mutableReason, parseImageReference } from '../../src/engine/images.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

// The parsing lives in src/engine/images.ts (shared by the image checks); re-exported for existing callers.
export { mutableReason, parseImageReference, type ImageReference } from '../../src/engine/images.js';

export const check: Check = {
  id: 'container/image-latest-or-untagged',
  layer: 'container',
  title: 'Image uses latest or no tag',
  severity: 'medium',
  description:
    'Inspects the image reference of every init, regular and ephemeral container (and imagePullPolicy). ' +
    'Fails when the reference has no digest and either no tag or the tag "latest". The tag is the text after the last ":" ' +
    'that follows the last "/" ("registry:5000/app" has no tag). status.containerStatuses[].imageID is never treated as pinning.',
  remediation: 'Reference images by a version tag or, better, by digest, and update them deliberately.',
  references: [
    ref.fourC('Image Signing and Enforcement'), ref.kubescape('C-0075'), ref.trivy('KSV-0013'), ref.polaris('tagNotSpecified'),
    ref.polaris('pullPolicyNotAlways'), ref.doc('kubeaudit image', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/image.md'),
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
          if (image === undefined) continue;
          const reason = mutableReason(image);
          if (!reason) continue;
          const { repository } = parseImageReference(image);
          const pod = podBySpec.get(spec);
          const statuses = [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? [])];
          const running = repoDigest(statuses.find((s) => s.name === c.container.name)?.imageID);
          const pullPolicy = c.container.imagePullPolicy;

          const ev: Evidence[] = [evidence(`${containerPath(workload, c)}.image`, image)];
          if (pullPolicy !== undefined) ev.push(evidence(`${containerPath(workload, c)}.imagePullPolicy`, pullPolicy));
          if (running) ev.push(evidence(`status.containerStatuses[name=${c.container.name}].imageID`, running));

          const pinned = running ? `${repository}@${running}` : `${repository}:<version>`;
          const policyNote = pullPolicy === 'IfNotPresent' || pullPolicy === 'Never'
            ? `; with imagePullPolicy ${pullPolicy} each node keeps whichever "latest" it pulled first, so replicas can run different code`
            : '';
          let cmd: string | undefined;
          if (c.list === 'ephemeralContainers') cmd = undefined; // ephemeral containers cannot be changed
          else if (workload.kind === 'Job') cmd = workloadPatchCommand(workload, containerPatch(c, { image: pinned }));
          else cmd = command`kubectl -n ${workload.namespace} set image ${`${kindResource(workload.kind)}/${workload.name}`} ${`${c.container.name}=${pinned}`}`;

          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} uses image "${image}" (${reason}): the version it runs is unknown and changes on restart${policyNote}`,
            evidence: ev,
            remediation: {
              why: 'A mutable tag means the running version is unknown and may change on any restart or reschedule; rollbacks and provenance checks become impossible.',
              fix: c.list === 'ephemeralContainers'
                ? 'Ephemeral (debug) containers cannot be changed; start the next one with a pinned image, e.g. `kubectl debug --image=busybox:1.36`.'
                : running
                  ? `Pin the image to the digest the pod runs now (${running}, from status.containerStatuses[].imageID) or to a version tag, and update it deliberately.`
                  : 'Pin the image to a version tag or digest (replace <version>) and update it deliberately.',
              ...(cmd ? { command: cmd } : {}),
            },
          });
        }
        return out;
      }),
    );
  },
};
