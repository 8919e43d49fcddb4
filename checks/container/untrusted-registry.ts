import { containerPatch, containerPath, containersOf, describeWorkload, evidence, findings, kindResource, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject, type ContainerRef } from '../../src/engine/helpers.js';
import { imagePath, imageRegistry, parseImageReference, trustedBy } from '../../src/engine/images.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Workload } from '../../src/engine/snapshot.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** The frozen legacy Kubernetes registry; its successor. */
const LEGACY_K8S = 'k8s.gcr.io';
const K8S_REGISTRY = 'registry.k8s.io';

/** `k8s.gcr.io/pause:3.2` → `registry.k8s.io/pause:3.2` (same paths on the new registry). */
export function legacyReplacement(image: string): string {
  return `${K8S_REGISTRY}${image.trim().slice(LEGACY_K8S.length)}`;
}

function isLegacy(image: string): boolean {
  return imageRegistry(image) === LEGACY_K8S;
}

/** The image re-homed under an allowlist entry, for the mirror suggestion (`harbor.acme.io/docker.io/library/nginx:1.27`). */
function mirrored(entry: string, image: string): string {
  const base = entry.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^\*\./, '').replace(/\/+$/, '');
  const { tag, digest } = parseImageReference(image.trim());
  return `${base}/${imageRegistry(image)}/${imagePath(image)}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
}

function setImage(workload: Workload, c: ContainerRef, image: string): string | undefined {
  if (c.list === 'ephemeralContainers') return undefined; // ephemeral containers cannot be changed
  if (workload.kind === 'Job') return workloadPatchCommand(workload, containerPatch(c, { image }));
  return command`kubectl -n ${workload.namespace} set image ${`${kindResource(workload.kind)}/${workload.name}`} ${`${c.container.name}=${image}`}`;
}

export const check: Check = {
  id: 'container/untrusted-registry',
  layer: 'container',
  title: 'Image from untrusted registry',
  severity: 'medium',
  description:
    'Inspects the image reference of every init, regular and ephemeral container. The registry is the first path component when it contains ' +
    '"." or ":" or equals "localhost", else docker.io. Fails when the settings list trustedRegistries is configured and no entry covers the registry ' +
    '(suffix match on the host, optional port and repository-path prefix). Not applicable when no allowlist is configured (the registries in use are listed). ' +
    'Any image from the frozen k8s.gcr.io registry warns regardless.',
  remediation: 'Mirror images into an approved registry, reference them from there and enforce the allowlist at admission.',
  references: [
    ref.fourC('Image Signing and Enforcement'), ref.kubescape('C-0078'), ref.kubescape('C-0001'), ref.kubescape('C-0253'),
    ref.trivy('KSV-0125'), ref.trivy('KSV-0032'), ref.trivy('KSV-0033'), ref.trivy('KSV-0034'), ref.trivy('KSV-0035'),
    ref.doc('registry.k8s.io replaces k8s.gcr.io', 'https://kubernetes.io/blog/2023/03/10/image-registry-redirect/'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) => {
    const allowlist = snapshot.config.trustedRegistries.filter((e) => e.trim() !== '');
    const inUse = new Map<string, number>();
    const drafts = visitWorkloads(snapshot, (workload, { spec }) => {
      const out: FindingDraft[] = [];
      for (const c of containersOf(spec)) {
        const image = c.container.image?.trim();
        if (!image) continue;
        const registry = imageRegistry(image);
        inUse.set(registry, (inUse.get(registry) ?? 0) + 1);
        const legacy = isLegacy(image);
        const trusted = allowlist.length === 0 ? undefined : trustedBy(allowlist, image);
        const untrusted = allowlist.length > 0 && trusted === undefined;
        if (!legacy && !untrusted) continue;

        const who = `container "${c.container.name}" of ${describeWorkload(workload)}`;
        const parts: string[] = [];
        if (untrusted) parts.push(`pulls "${image}" from registry "${registry}", which is not in trustedRegistries (${allowlist.join(', ')})`);
        if (legacy) parts.push(`${untrusted ? 'and ' : `pulls "${image}" from `}k8s.gcr.io, the frozen legacy registry (no new versions or fixes since April 2023); use registry.k8s.io`);
        const target = legacy ? legacyReplacement(image) : mirrored(allowlist[0] ?? '', image);
        const cmd = setImage(workload, c, target);
        out.push({
          subject: workloadSubject(workload, c.container.name),
          status: untrusted ? 'fail' : 'warn',
          message: `${who} ${parts.join(' ')}`,
          evidence: [evidence(`${containerPath(workload, c)}.image`, image), evidence('registry', registry)],
          remediation: {
            why: legacy && !untrusted
              ? 'k8s.gcr.io is frozen: it receives no new images or security fixes, and pulls may stop working. registry.k8s.io serves the same paths.'
              : 'Images from unvetted registries bypass your scanning, signing and provenance controls; anyone who controls that registry or repository controls what runs.',
            fix: legacy
              ? `Switch the image to ${legacyReplacement(image)} (same path on registry.k8s.io)${untrusted ? ' and add registry.k8s.io to trustedRegistries or mirror it' : ''}.`
              : `Mirror the image into a trusted registry (e.g. crane copy ${image} ${target}), reference it from there, and enforce the allowlist at admission (see container/image-signature-enforcement-absent). The command assumes the mirror layout <entry>/<source registry>/<path>.`,
            ...(cmd ? { command: cmd } : {}),
          },
        });
      }
      return out;
    });
    const registries = [...inUse.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([r, n]) => `${r} (${n} ${n === 1 ? 'container' : 'containers'})`).join(', ');
    if (allowlist.length === 0) {
      return {
        findings: drafts,
        status: 'not-applicable',
        reason: `no trusted registries configured (add them to the settings list trustedRegistries, e.g. "registry.example.com" or "ghcr.io/acme"); registries in use: ${registries || 'none'}`,
      };
    }
    return findings(drafts, `every image comes from ${allowlist.join(', ')}; registries in use: ${registries || 'none'}`);
  },
};
