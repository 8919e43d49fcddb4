import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf } from '../../src/files/code-check.js';
import { findAll, findFirst } from '../../src/files/ci.js';

const CHECK_ID = 'code/image-signing-absent';

const PUSHES: readonly RegExp[] = [
  /\b(docker|podman|buildah|nerdctl)\s+push\b/, /\bdocker\s+buildx\s+build\b[^\n]*--push\b/, /^\s*push:\s*["']?true\b/, /\bcrane\s+(push|copy|cp)\b/,
  /\bko\s+(build|publish|resolve|apply)\b/, /kaniko-project\/executor/, /\bjib(:build)?\b[^\n]*(:build|jib\s*$)|jib:build/, /\bskopeo\s+copy\b/,
];
const SIGNS: readonly RegExp[] = [
  /\bcosign\s+(sign|attest)\b/, /sigstore\/cosign-installer/, /\bnotation\s+sign\b/, /notaryproject\/notation-action/, /\bdocker\s+trust\s+sign\b/,
  /actions\/attest-build-provenance|actions\/attest\b/, /DOCKER_CONTENT_TRUST\s*[:=]\s*["']?1/,
];

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Images pushed without signing',
  severity: 'low',
  description:
    'Looks through CI configuration for image pushes (docker push, build-push-action with push: true, buildx --push, crane push, ko build, kaniko) and, ' +
    'when the pipeline pushes images, for signing or attestation (cosign sign, sigstore/cosign-installer, notation sign, docker trust sign, ' +
    'actions/attest-build-provenance). Fails low at the first push when nothing signs; not applicable when the pipeline pushes no image.',
  remediation: 'Sign images by digest in CI (cosign, keyless or with a KMS key) and enforce signatures at admission.',
  references: [ref.fourC('Image Signing and Enforcement'), ref.kubescape('C-0237'), ref.doc('Sigstore cosign: signing containers', 'https://docs.sigstore.dev/cosign/signing/signing_with_containers/')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const ci = filesOf(snapshot, ['ci']);
    const pushes = findAll(ci, PUSHES);
    if (pushes.length === 0) return notApplicable(ci.length > 0 ? 'the CI configuration pushes no container image' : 'no CI configuration in the scanned tree');
    const sign = findFirst(ci, SIGNS);
    if (sign) return findings([], `image signing found in ${sign.file.path}:${sign.line}`);
    const out = new CodeFindings(CHECK_ID, 'low');
    const first = pushes[0] as (typeof pushes)[number];
    out.add({
      file: first.file, line: first.line,
      message: `the pipeline pushes container images (${pushes.length} push step(s)) but never signs or attests them`,
      value: first.text.length > 160 ? `${first.text.slice(0, 160)}…` : first.text,
      discriminator: 'push-without-sign',
      remediation: {
        why: 'Without a signature a cluster cannot tell your image from one an attacker pushed with stolen registry credentials; admission policies need a signature to enforce.',
        fix: 'Install cosign in the pipeline and sign the pushed digest (keyless with the workflow identity, or a KMS key), then enforce it with container/image-signature-enforcement-absent\'s policy.',
        patch: ['      - uses: sigstore/cosign-installer@<sha>', '      - run: cosign sign --yes "$IMAGE@$DIGEST"', ''].join('\n'),
      },
    });
    return findings(out.drafts, out.note());
  },
};
