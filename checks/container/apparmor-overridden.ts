import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { ObjectMeta } from '../../src/engine/k8s.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText, withoutPodFields } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const WHY = 'AppArmor confines what a container may do on the node (mounts, raw sockets, /proc writes); an Unconfined profile removes that layer of defence.';

function withoutAppArmorAnnotations(meta: ObjectMeta): ObjectMeta {
  const annotations = Object.fromEntries(Object.entries(meta.annotations ?? {}).filter(([k]) => !k.startsWith(ANNOTATION_PREFIX)));
  return { ...meta, annotations };
}

export const check: Check = {
  id: 'container/apparmor-overridden',
  layer: 'container',
  title: 'AppArmor profile disabled or overridden',
  severity: 'medium',
  description:
    'Evaluates PSS baseline "appArmorProfile" on each workload at the cluster\'s policy version: fails when spec.securityContext.appArmorProfile.type or an init, regular or ephemeral ' +
    'container\'s securityContext.appArmorProfile.type is not RuntimeDefault or Localhost (e.g. Unconfined), or a container.apparmor.security.beta.kubernetes.io/* annotation is not empty, ' +
    'runtime/default or localhost/*. Not applicable when only Windows pods run.',
  remediation: 'Set appArmorProfile.type to RuntimeDefault (or a Localhost profile) and remove the deprecated AppArmor annotations.',
  references: [
    ref.pss('baseline', 'AppArmor'), ref.kubescape('C-0055'), ref.trivy('KSV-0002'), ref.polaris('linuxHardening'),
    ref.doc('kubeaudit apparmor', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/apparmor.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'appArmorProfile',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('appArmorProfile', meta, spec, policy, {
          fixPod: (m, s) => ({ meta: withoutAppArmorAnnotations(m), spec: withoutPodFields(s, 'appArmorProfile') }),
        });
        if (!a) return [];
        const out: FindingDraft[] = [];
        if (a.pod) {
          const ev: Evidence[] = [];
          const podType = spec.securityContext?.appArmorProfile?.type;
          const podBad = spec.securityContext?.appArmorProfile !== undefined && podType !== 'RuntimeDefault' && podType !== 'Localhost';
          if (podBad) ev.push(evidence(`${workload.specPath}.securityContext.appArmorProfile.type`, podType ?? ''));
          const metaPath = workload.specPath.replace(/spec$/, 'metadata');
          const badAnnotations = Object.entries(meta.annotations ?? {}).filter(([k, v]) =>
            k.startsWith(ANNOTATION_PREFIX) && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/')));
          for (const [k, v] of badAnnotations) ev.push(evidence(`${metaPath}.annotations["${k}"]`, v));
          out.push({
            subject: workloadSubject(workload),
            discriminator: 'pod',
            message: `${describeWorkload(workload)} ${[
              podBad ? `sets ${workload.specPath}.securityContext.appArmorProfile.type="${podType ?? ''}"` : '',
              badAnnotations.length > 0 ? `has AppArmor ${badAnnotations.length === 1 ? 'annotation' : 'annotations'} ${badAnnotations.map(([k, v]) => `${k}="${v}"`).join(', ')}` : '',
            ].filter(Boolean).join(' and ')} (${psaText(a.pod, policy)})`,
            evidence: ev,
            remediation: {
              why: WHY,
              fix: `Set ${workload.specPath}.securityContext.appArmorProfile.type to RuntimeDefault${badAnnotations.length > 0 ? ` and remove the annotations ${badAnnotations.map(([k]) => k).join(', ')} from ${metaPath}` : ''}.`,
              command: workloadPatchCommand(workload, { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }),
            },
          });
        }
        for (const { ref: c, violation } of a.containers) {
          const type = c.container.securityContext?.appArmorProfile?.type ?? '';
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets securityContext.appArmorProfile.type="${type}"${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.appArmorProfile.type`, type)],
            remediation: {
              why: WHY,
              fix: `Set appArmorProfile.type of container "${c.container.name}" to RuntimeDefault (or Localhost with a profile loaded on every node).`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Use the RuntimeDefault AppArmor profile.' });
      },
    }),
};
