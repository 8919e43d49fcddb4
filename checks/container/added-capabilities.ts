import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { BASELINE_CAPABILITIES } from '../../src/engine/pss/index.js';
import { attributePss, canonicalCapability, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** Capabilities that enable container escape or node takeover on their own: critical (CHECKS.md row). */
export const CRITICAL_CAPABILITIES: ReadonlySet<string> = new Set([
  'ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'BPF', 'PERFMON', 'SYS_BOOT', 'MAC_ADMIN', 'MAC_OVERRIDE',
]);

const WHY = 'Capabilities beyond the runtime\'s default set (SYS_ADMIN, SYS_PTRACE, NET_ADMIN, …) enable container escape, reading other processes\' memory, or node and network takeover.';

export const check: Check = {
  id: 'container/added-capabilities',
  layer: 'container',
  title: 'Capabilities added beyond the baseline set',
  severity: 'high',
  description:
    'Evaluates PSS baseline "capabilities_baseline" on each workload at the cluster\'s policy version: fails when securityContext.capabilities.add of an init, regular or ephemeral container ' +
    'holds a value that is not exactly one of AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT ' +
    '(case-sensitive: "CAP_"-prefixed and lower-case spellings fail, as the API server enforces). Critical for ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH, BPF, PERFMON, SYS_BOOT, MAC_ADMIN, MAC_OVERRIDE (any spelling); high otherwise.',
  remediation: 'Remove the added capabilities and re-add only what the binary needs from the baseline set, spelled in upper case without CAP_.',
  references: [
    ref.pss('baseline', 'Capabilities'), ref.cis('5.2.8'), ref.cis('5.2.9'), ref.kubescape('C-0046'), ref.trivy('KSV-0022'), ref.trivy('KSV-0005'),
    ref.trivy('KSV-0119'), ref.trivy('KSV-0120'), ref.polaris('dangerousCapabilities'),
    ref.doc('kubeaudit capabilities', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/capabilities.md'),
  ],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'capabilities_baseline',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('capabilities_baseline', meta, spec, policy);
        if (!a) return [];
        const out: FindingDraft[] = [];
        for (const { ref: c, violation } of a.containers) {
          const added = (c.container.securityContext?.capabilities?.add ?? []).map(String);
          const bad = added.filter((cap) => !BASELINE_CAPABILITIES.has(cap));
          const critical = bad.some((cap) => CRITICAL_CAPABILITIES.has(canonicalCapability(cap)));
          // Trap 8: the runtime accepts `CAP_NET_ADMIN` and `net_admin`; PSA compares exactly.
          const misspelled = bad.filter((cap) => canonicalCapability(cap) !== cap);
          const hint = misspelled.length > 0
            ? `; use the upper-case name without "CAP_" (${misspelled.map((cap) => `"${cap}" → "${canonicalCapability(cap)}"`).join(', ')}): PSA compares names exactly`
            : '';
          // Keep the allowed ones, with their spelling fixed.
          const keep = [...new Set(added.map(canonicalCapability).filter((cap) => BASELINE_CAPABILITIES.has(cap)))];
          out.push({
            subject: workloadSubject(workload, c.container.name),
            severity: critical ? 'critical' : 'high',
            message: `container "${c.container.name}" of ${describeWorkload(workload)} adds capabilities ${bad.map((cap) => `"${cap}"`).join(', ')}${injectorNote(workload, c.container.name)}${hint} (${psaText(violation, policy)})`,
            evidence: [evidence(`${containerPath(workload, c)}.securityContext.capabilities.add`, added)],
            remediation: {
              why: WHY,
              fix: keep.length > 0
                ? `Remove ${bad.map((cap) => `"${cap}"`).join(', ')} from capabilities.add of container "${c.container.name}", keeping ${keep.map((cap) => `"${cap}"`).join(', ')}.`
                : `Remove capabilities.add from container "${c.container.name}"; re-add only what the binary needs from the baseline set (e.g. NET_BIND_SERVICE), spelled exactly.`,
              command: workloadPatchCommand(workload, containerPatch(c, { securityContext: { capabilities: { add: keep.length > 0 ? keep : null } } })),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Remove the non-default capabilities from capabilities.add.' });
      },
    }),
};
