import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, canonicalCapability, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'Without dropping ALL, the runtime\'s default set stays in effect, including NET_RAW (packet spoofing) and the file-ownership capabilities that help an attacker after a compromise.';

export const check: Check = {
  id: 'container/capabilities-not-dropped',
  layer: 'container',
  title: 'Capabilities not dropped (restricted)',
  severity: 'medium',
  description:
    'Evaluates PSS restricted "capabilities_restricted" (policy v1.22+) on each workload at the cluster\'s policy version: fails for an init, regular or ephemeral container ' +
    'without securityContext.capabilities, whose drop list does not contain exactly "ALL", or whose add list holds anything but "NET_BIND_SERVICE". ' +
    'Windows pods (spec.os.name: windows) are exempt from policy v1.25.',
  remediation: 'Drop ALL capabilities in every container and add back only NET_BIND_SERVICE when the process binds ports below 1024.',
  references: [
    ref.pss('restricted', 'Capabilities (v1.22+)'), ref.cis('5.2.8'), ref.cis('5.2.9'), ref.kubescape('C-0201'), ref.kubescape('C-0200'),
    ref.trivy('KSV-0003'), ref.trivy('KSV-0106'), ref.polaris('insecureCapabilities'),
    ref.doc('kubeaudit capabilities', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/capabilities.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'capabilities_restricted',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('capabilities_restricted', meta, spec, policy);
        if (!a) return [];
        const out: FindingDraft[] = [];
        for (const { ref: c, violation } of a.containers) {
          const caps = c.container.securityContext?.capabilities;
          const drop = (caps?.drop ?? []).map(String);
          const add = (caps?.add ?? []).map(String);
          const problems: string[] = [];
          if (!caps) problems.push('sets no securityContext.capabilities');
          else if (!drop.includes('ALL')) {
            const near = drop.filter((d) => canonicalCapability(d) === 'ALL');
            problems.push(near.length > 0
              ? `drops ${near.map((d) => `"${d}"`).join(', ')} instead of exactly "ALL" (PSA compares exactly)`
              : 'does not drop "ALL"');
          }
          const extra = add.filter((x) => x !== 'NET_BIND_SERVICE');
          if (extra.length > 0) problems.push(`adds ${extra.map((x) => `"${x}"`).join(', ')} (only "NET_BIND_SERVICE" is allowed${extra.some((x) => canonicalCapability(x) === 'NET_BIND_SERVICE') ? ', spelled exactly' : ''})`);
          const keepNbs = add.some((x) => canonicalCapability(x) === 'NET_BIND_SERVICE');
          const capsPatch: Record<string, unknown> = { drop: ['ALL'] };
          if (extra.length > 0) capsPatch.add = keepNbs ? ['NET_BIND_SERVICE'] : null;
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} ${problems.join(' and ') || 'does not drop capabilities'}${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: [
              evidence(`${containerPath(workload, c)}.securityContext.capabilities.drop`, caps?.drop ? drop : 'unset'),
              ...(add.length > 0 ? [evidence(`${containerPath(workload, c)}.securityContext.capabilities.add`, add)] : []),
            ],
            remediation: {
              why: WHY,
              fix: `Set capabilities.drop to ["ALL"] in container "${c.container.name}"${extra.length > 0 ? (keepNbs ? ' and keep only "NET_BIND_SERVICE" in capabilities.add' : ' and remove capabilities.add') : ''}; add back NET_BIND_SERVICE only if it binds ports below 1024.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { capabilities: capsPatch } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Drop ALL capabilities in every container.' });
      },
    }),
};
