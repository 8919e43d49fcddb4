import { expandVariables, globalArgDefaults, parseDockerfile } from '../../src/engine/dockerfile.js';
import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf } from '../../src/files/code-check.js';

const CHECK_ID = 'code/dockerfile-unpinned-base-image';
const WHY = 'A tag is a moving pointer: the same Dockerfile builds different, unreviewed base layers over time, and a compromised or re-pushed tag reaches your image silently.';

/** `name[:tag][@digest]` of an image reference. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const name = tag !== undefined ? rest.slice(0, colon) : rest;
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Base image not pinned',
  severity: 'medium',
  description:
    'Inspects every FROM of every Dockerfile/Containerfile (ARG defaults resolved; scratch and references to earlier stages skipped). ' +
    'Fails medium when the base image has no tag or the tag latest, and low when it has a tag but no @sha256: digest. ' +
    'Warns when the image comes from a build argument without default.',
  remediation: 'Pin base images as image:tag@sha256:digest and let Dependabot or Renovate update the digests.',
  references: [ref.trivy('DS-0001'), ref.kubescape('C-0075'), ref.fourC('Image Signing and Enforcement')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const dockerfiles = filesOf(snapshot, ['docker']);
    if (dockerfiles.length === 0) return notApplicable('no Dockerfile or Containerfile in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'medium');
    for (const file of dockerfiles) {
      const parsed = parseDockerfile(file.text);
      const globals = globalArgDefaults(parsed);
      const names = new Set<string>();
      for (const stage of parsed.stages) {
        const image = expandVariables(stage.image, globals);
        const fix = (shown: string) => ({ why: WHY, fix: `Pin the digest: FROM ${shown}@sha256:<digest> (docker buildx imagetools inspect ${shown} prints it), and let Dependabot or Renovate update it.` });
        if (image === undefined || image.trim() === '') {
          out.add({ file, line: stage.from.line, status: 'warn', severity: 'low', message: `FROM ${stage.image} depends on a build argument without default: the base image is decided outside the file`, value: stage.from.original, remediation: { why: WHY, fix: 'Give the build argument a pinned default (image:tag@sha256:digest).' } });
        } else {
          const lower = image.toLowerCase();
          const isStage = names.has(lower) || (/^\d+$/.test(image) && Number(image) < stage.index);
          if (!isStage && lower !== 'scratch') {
            const { name, tag, digest } = splitImage(image);
            if (!digest?.startsWith('sha256:')) {
              if (tag === undefined || tag === 'latest') {
                out.add({ file, line: stage.from.line, severity: 'medium', message: `base image "${image}" has ${tag ? 'the tag latest' : 'no tag (means latest)'} and no digest`, value: stage.from.original, remediation: fix(`${name}:<version>`) });
              } else {
                out.add({ file, line: stage.from.line, severity: 'low', message: `base image "${image}" is pinned by tag only, not by digest`, value: stage.from.original, remediation: fix(image) });
              }
            }
          }
        }
        if (stage.name) names.add(stage.name);
      }
    }
    return findings(out.drafts, out.note());
  },
};
