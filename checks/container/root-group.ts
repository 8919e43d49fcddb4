import { containerPath, containersOf, describeWorkload, evidence, findings, notApplicable, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { Node, PodSpec } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import type { Snapshot, Workload } from '../../src/engine/snapshot.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

/** The GID suggested in fixes (Appendix A's restricted example). */
const SUGGESTED_GID = 10001;

/**
 * Why a pod spec is a Windows pod, or undefined (CHECKS.md §7 trap 5): `spec.os.name: windows`,
 * a `kubernetes.io/os: windows` nodeSelector, or a live pod scheduled on a Windows node.
 * Linux-only, non-PSS rows return N/A for these pods instead of a finding.
 */
export function windowsPodReason(snapshot: Snapshot, spec: PodSpec): string | undefined {
  if (spec.os?.name === 'windows') return 'spec.os.name=windows';
  const selector = spec['nodeSelector'] as Readonly<Record<string, string>> | undefined;
  if (selector?.['kubernetes.io/os'] === 'windows') return 'nodeSelector kubernetes.io/os=windows';
  if (spec.nodeName !== undefined) {
    const node = snapshot.list<Node>('nodes').find((n) => n.metadata?.name === spec.nodeName);
    if (node?.metadata?.labels?.['kubernetes.io/os'] === 'windows' || node?.status?.nodeInfo?.operatingSystem === 'windows') {
      return `runs on Windows node "${spec.nodeName}"`;
    }
  }
  return undefined;
}

export const check: Check = {
  id: 'container/root-group',
  layer: 'container',
  title: 'Root group as primary or supplementary group',
  severity: 'low',
  description:
    'Inspects spec.securityContext.runAsGroup, fsGroup and supplementalGroups[] and the runAsGroup of every init, regular and ephemeral container ' +
    '(a container-level runAsGroup overrides the pod-level one). Fails when any effective group ID is 0: processes then own root-group files ' +
    '(not part of PSS). Unset runAsGroup is not reported (the image decides). Pods in a user namespace (spec.hostUsers: false) are reported at info; ' +
    'Windows pods (spec.os.name, nodeSelector or node OS) are not applicable.',
  remediation: 'Set runAsGroup, fsGroup and supplementalGroups to non-zero group IDs.',
  references: [ref.trivy('KSV-0116'), ref.trivy('KSV-0021'), ref.nsa('Pod security (Non-root containers)')],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'nodes'],
  evaluate: (snapshot) => {
    const linux = new Set<Workload>();
    const windows = new Set<Workload>();
    const drafts = visitWorkloads(snapshot, (workload, { spec }) => {
      if (windowsPodReason(snapshot, spec)) {
        windows.add(workload);
        return [];
      }
      linux.add(workload);
      const pod = spec.securityContext;
      const ev: Evidence[] = [];
      const causes: string[] = [];
      const podPatch: Record<string, unknown> = {};
      if (pod?.fsGroup === 0) {
        ev.push(evidence(`${workload.specPath}.securityContext.fsGroup`, '0'));
        causes.push(`${workload.specPath}.securityContext.fsGroup=0`);
        podPatch['fsGroup'] = SUGGESTED_GID;
      }
      const supplemental = pod?.supplementalGroups ?? [];
      if (supplemental.includes(0)) {
        ev.push(evidence(`${workload.specPath}.securityContext.supplementalGroups`, supplemental));
        causes.push(`${workload.specPath}.securityContext.supplementalGroups contains 0`);
        const rest = supplemental.filter((g) => g !== 0);
        podPatch['supplementalGroups'] = rest.length > 0 ? rest : null;
      }
      // Effective runAsGroup per container: its own value, else the pod's.
      const inheriting: string[] = [];
      const ownEv: Evidence[] = [];
      const ownCauses: string[] = [];
      const own: Record<string, { name: string; securityContext: { runAsGroup: number } }[]> = {};
      for (const c of containersOf(spec)) {
        const value = c.container.securityContext?.runAsGroup;
        if (value === 0) {
          ownEv.push(evidence(`${containerPath(workload, c)}.securityContext.runAsGroup`, '0'));
          ownCauses.push(`container "${c.container.name}" sets securityContext.runAsGroup=0`);
          if (c.list !== 'ephemeralContainers') (own[c.list] ??= []).push({ name: c.container.name, securityContext: { runAsGroup: SUGGESTED_GID } });
        } else if (value === undefined && pod?.runAsGroup === 0) {
          inheriting.push(c.container.name);
        }
      }
      if (inheriting.length > 0) {
        ev.push(evidence(`${workload.specPath}.securityContext.runAsGroup`, '0'));
        causes.push(`${workload.specPath}.securityContext.runAsGroup=0 (inherited by ${inheriting.map((n) => `"${n}"`).join(', ')})`);
        podPatch['runAsGroup'] = SUGGESTED_GID;
      }
      ev.push(...ownEv);
      causes.push(...ownCauses);
      if (causes.length === 0) return [];

      const userns = spec.hostUsers === false;
      const patch: Record<string, unknown> = { ...own, ...(Object.keys(podPatch).length > 0 ? { securityContext: podPatch } : {}) };
      const draft: FindingDraft = {
        subject: workloadSubject(workload),
        message: `${describeWorkload(workload)} runs with group ID 0: ${causes.join('; ')}` +
          (userns ? ' (spec.hostUsers: false — GID 0 is mapped to an unprivileged host group, reported for information)' : ''),
        evidence: ev,
        remediation: {
          why: 'Group 0 is root\'s group: processes in it can read and write every file the image and mounted volumes give to gid 0, which eases privilege escalation after an escape.',
          fix: `Use non-zero group IDs the image supports (e.g. ${SUGGESTED_GID}) for runAsGroup and fsGroup, and drop 0 from supplementalGroups.`,
          ...(Object.keys(patch).length > 0 ? { command: workloadPatchCommand(workload, patch) } : {}),
        },
        ...(userns ? { severity: 'info' as const } : {}),
      };
      return [draft];
    });
    if (drafts.length === 0 && linux.size === 0 && windows.size > 0) {
      return notApplicable(`all ${windows.size} workload(s) run Windows pods: runAsGroup, fsGroup and supplementalGroups are Linux-only`);
    }
    return findings(drafts, windows.size > 0 ? `${windows.size} Windows workload(s) not applicable` : undefined);
  },
};
