import { describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { evaluateCheck } from '../../src/engine/pss/index.js';
import { evaluatePssRow, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'Sysctls outside the safe, namespaced set change kernel settings of the whole node (or need the kubelet\'s --allowed-unsafe-sysctls), affecting every pod on it.';

export const check: Check = {
  id: 'container/unsafe-sysctls',
  layer: 'container',
  title: 'Unsafe sysctls set',
  severity: 'high',
  description:
    'Evaluates PSS baseline "sysctls" on each workload at the cluster\'s policy version: fails when spec.securityContext.sysctls[].name is outside the safe set of that version ' +
    '(v1.0: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range; more net.ipv4 names ' +
    'from v1.27, v1.29, v1.32 and v1.37). Names are compared verbatim; values are not checked. Not applicable when only Windows pods run.',
  remediation: 'Remove the unsafe sysctls from the pod, or tune the node with a node-level mechanism instead.',
  references: [ref.pss('baseline', 'Sysctls'), ref.trivy('KSV-0026'), ref.kubescape('C-0211')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'sysctls',
      linuxOnly: true,
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const violation = evaluateCheck('sysctls', meta, spec, policy.version);
        if (!violation) return [];
        const all = spec.securityContext?.sysctls ?? [];
        // PSA's verdict for each sysctl on its own.
        const bad = all.map((s, index) => ({ s, index })).filter(({ s }) =>
          evaluateCheck('sysctls', meta, { ...spec, securityContext: { ...spec.securityContext, sysctls: [s] } }, policy.version) !== undefined);
        const out: FindingDraft[] = [];
        if (bad.length > 0) {
          const safe = all.filter((_, i) => !bad.some((b) => b.index === i));
          out.push({
            subject: workloadSubject(workload),
            message: `${describeWorkload(workload)} sets unsafe ${bad.length === 1 ? 'sysctl' : 'sysctls'} ${bad.map(({ s }) => `"${s.name}"`).join(', ')} (${psaText(violation, policy)})`,
            evidence: bad.map(({ s }) => evidence(`${workload.specPath}.securityContext.sysctls[name=${s.name}].value`, s.value ?? '')),
            remediation: {
              why: WHY,
              fix: safe.length > 0
                ? `Remove ${bad.map(({ s }) => `"${s.name}"`).join(', ')} from ${workload.specPath}.securityContext.sysctls, keeping the safe ones; tune the node itself (node image or bootstrap configuration) if the setting is needed.`
                : `Remove ${workload.specPath}.securityContext.sysctls; tune the node itself (node image or bootstrap configuration) if the setting is needed.`,
              command: workloadPatchCommand(workload, { securityContext: { sysctls: safe.length > 0 ? safe : null } }),
            },
          });
        }
        return orWorkloadFinding(out, workload, violation, policy, { why: WHY, fix: 'Remove the unsafe sysctls.' });
      },
    }),
};
