import { describeWorkload, evidence, WORKLOAD_OWNERS, workloadSubject } from '../../src/engine/helpers.js';
import { evaluateCheck } from '../../src/engine/pss/index.js';
import { RESTRICTED_VOLUME_SOURCES } from '../../src/engine/pss/check-restricted-volumes.js';
import { evaluatePssRow, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const ALLOWED = 'configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret';

export const check: Check = {
  id: 'container/restricted-volume-types',
  layer: 'container',
  title: 'Volume types outside the restricted set',
  severity: 'low',
  description:
    'Evaluates PSS restricted "restrictedVolumes" on each workload at the cluster\'s policy version: fails for every spec.volumes[] entry that is not configMap, csi, downwardAPI, ' +
    'emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret — except hostPath, reported by container/hostpath-volume and container/sensitive-hostpath-mount. ' +
    'One finding per volume; gitRepo is high (deprecated in-tree plugin with command-execution CVEs such as CVE-2024-10220).',
  remediation: 'Move in-tree network volumes behind PersistentVolumeClaims or CSI, and replace gitRepo with an init container that clones into an emptyDir.',
  references: [ref.pss('restricted', 'Volume Types'), ref.trivy('KSV-0028'), ref.doc('CVE-2024-10220 (gitRepo volume)', 'https://github.com/kubernetes/kubernetes/issues/128885')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'restrictedVolumes',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        if (!evaluateCheck('restrictedVolumes', meta, spec, policy.version)) return [];
        const out: FindingDraft[] = [];
        for (const volume of spec.volumes ?? []) {
          const violation = evaluateCheck('restrictedVolumes', meta, { ...spec, volumes: [volume] }, policy.version);
          if (!violation) continue;
          const type = RESTRICTED_VOLUME_SOURCES.find((k) => volume[k] !== undefined && volume[k] !== null) ?? 'unknown';
          if (type === 'hostPath') continue; // container/hostpath-volume or container/sensitive-hostpath-mount
          const gitRepo = type === 'gitRepo';
          out.push({
            subject: workloadSubject(workload),
            discriminator: volume.name,
            severity: gitRepo ? 'high' : 'low',
            message: `${describeWorkload(workload)} uses ${type === 'unknown' ? 'a volume type outside the restricted set' : `a ${type} volume`} ("${volume.name}")` +
              `${gitRepo ? ': gitRepo is a deprecated in-tree plugin that runs git on the node (CVE-2024-10220)' : ''} (${psaText(violation, policy)})`,
            evidence: [evidence(`${workload.specPath}.volumes[name=${volume.name}].${type === 'unknown' ? '' : type}`.replace(/\.$/, ''), type === 'unknown' ? volume : volume[type])],
            remediation: {
              why: gitRepo
                ? 'The gitRepo volume runs git as root on the node with attacker-influenced input; it is deprecated and has had command-execution vulnerabilities.'
                : 'Inline in-tree volume sources bypass the PersistentVolume layer where storage access is administered, and many of them are deprecated.',
              fix: gitRepo
                ? `Replace volume "${volume.name}" with an emptyDir and an init container that clones the repository into it.`
                : `Replace volume "${volume.name}" with a PersistentVolumeClaim (backed by a PersistentVolume or a CSI driver) or a CSI inline volume; allowed types are ${ALLOWED}.`,
            },
          });
        }
        // Only hostPath volumes violate: reported by the hostPath rows.
        return out;
      },
    }),
};
