import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf } from '../../src/files/code-check.js';
import { findAll, findFirst } from '../../src/files/ci.js';

const CHECK_ID = 'code/container-build-scan-absent';

export const BUILDS: readonly RegExp[] = [
  /\bdocker\s+(buildx\s+)?build\b/, /docker\/build-push-action/, /\bbuildah\s+(bud|build)\b/, /kaniko-project\/executor|\bkaniko\b/i, /\bko\s+(build|publish|resolve|apply)\b/,
  /\bjib(DockerBuild|BuildTar)?\b|jib-maven-plugin|:jib\b|jib:build/, /\bpodman\s+build\b/, /\bnerdctl\s+build\b/,
];
const SCANS: readonly RegExp[] = [
  /aquasecurity\/trivy-action/, /\btrivy\s+(image|fs|repo|rootfs|sbom)\b/, /anchore\/scan-action/, /\bgrype\b/, /\bsnyk\s+container\b|snyk\/actions\/docker/,
  /\bdocker\s+scout\s+(cves|quickview|recommendations)\b|docker\/scout-action/, /Jobs\/Container-Scanning|Container-Scanning\.gitlab-ci\.yml/, /\bclair(ctl)?\b/, /\bneuvector\b|prisma.*twistcli|twistcli\s+images\s+scan/i,
];

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Images built without vulnerability scan',
  severity: 'low',
  description:
    'Looks through CI configuration for image builds (docker build, docker/build-push-action, buildah, kaniko, ko build, jib, podman build) and, when the ' +
    'pipeline builds images, for a scan step (aquasecurity/trivy-action, trivy image, anchore/scan-action, grype, snyk container, docker scout cves, the GitLab ' +
    'Container-Scanning template). Fails low at the first build step when nothing scans; not applicable when the pipeline builds no image.',
  remediation: 'Scan every built image in the pipeline and fail on fixable critical and high vulnerabilities.',
  references: [ref.fourC('Container Vulnerability Scanning and OS Dependency Security'), ref.nsa('Pod security (Building secure container images)'), ref.doc('trivy-action', 'https://github.com/aquasecurity/trivy-action')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const ci = filesOf(snapshot, ['ci']);
    const builds = findAll(ci, BUILDS);
    if (builds.length === 0) return notApplicable(ci.length > 0 ? 'the CI configuration builds no container image' : 'no CI configuration in the scanned tree');
    const scan = findFirst(ci, SCANS);
    if (scan) return findings([], `image scan found in ${scan.file.path}:${scan.line}`);
    const out = new CodeFindings(CHECK_ID, 'low');
    const first = builds[0] as (typeof builds)[number];
    out.add({
      file: first.file, line: first.line,
      message: `the pipeline builds container images (${builds.length} build step(s)) but never scans them for vulnerabilities`,
      value: first.text.length > 160 ? `${first.text.slice(0, 160)}…` : first.text,
      discriminator: 'build-without-scan',
      remediation: {
        why: 'The 4C\'s page asks for container vulnerability scanning as part of the image build; an unscanned image ships its known CVEs to every cluster that runs it.',
        fix: 'Add a scan after the build that fails on fixable critical/high findings, e.g. aquasecurity/trivy-action with severity CRITICAL,HIGH, ignore-unfixed: true and exit-code: 1.',
        patch: ['      - uses: aquasecurity/trivy-action@<sha>', '        with:', '          image-ref: ${{ env.IMAGE }}', '          severity: CRITICAL,HIGH', '          ignore-unfixed: true', '          exit-code: "1"', ''].join('\n'),
      },
    });
    return findings(out.drafts, out.note());
  },
};
