import { containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText, workloadJsonPatchCommand } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const WHY = 'A hostPort binds a port on the node\'s own addresses: traffic bypasses Services and NetworkPolicy, and the pod can only be scheduled where the port is free.';

export const check: Check = {
  id: 'container/host-ports',
  layer: 'container',
  title: 'Container uses hostPort',
  severity: 'medium',
  description:
    'Evaluates PSS baseline "hostPorts" on each workload at the cluster\'s policy version: fails for an init, regular or ephemeral container with a ports[].hostPort other than 0. ' +
    'On live pods with hostNetwork: true the API server sets hostPort to containerPort, so container/host-network usually fires too.',
  remediation: 'Remove hostPort from the container ports and expose the workload through a Service.',
  references: [ref.pss('baseline', 'Host Ports'), ref.cis('5.2.12'), ref.kubescape('C-0044'), ref.trivy('KSV-0024'), ref.polaris('hostPortSet')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'hostPorts',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('hostPorts', meta, spec, policy);
        if (!a) return [];
        const out: FindingDraft[] = [];
        for (const { ref: c, violation } of a.containers) {
          const ports = (c.container.ports ?? []).map((p, index) => ({ p, index })).filter(({ p }) => p.hostPort !== undefined && p.hostPort !== null && p.hostPort !== 0);
          const viaHostNetwork = spec.hostNetwork === true && ports.every(({ p }) => p.hostPort === p.containerPort);
          const jsonPatch = c.list === 'ephemeralContainers'
            ? undefined
            : workloadJsonPatchCommand(workload, ports.map(({ index }) => ({ op: 'remove' as const, path: `/${c.list}/${c.index}/ports/${index}/hostPort` })).reverse());
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} uses ${ports.length === 1 ? 'hostPort' : 'hostPorts'} ${ports.map(({ p }) => String(p.hostPort)).join(', ')}` +
              `${viaHostNetwork ? ' (set to containerPort because the pod uses hostNetwork; see container/host-network)' : ''}${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: ports.map(({ p, index }) => evidence(`${containerPath(workload, c)}.ports[${index}].hostPort`, String(p.hostPort))),
            remediation: {
              why: WHY,
              fix: viaHostNetwork
                ? 'Set hostNetwork to false (container/host-network); the hostPort values then disappear from new pods. Expose the workload through a Service.'
                : `Remove hostPort from the ports of container "${c.container.name}" and expose it through a Service (ClusterIP, NodePort or LoadBalancer).`,
              command: viaHostNetwork
                ? workloadPatchCommand(workload, { hostNetwork: false, dnsPolicy: 'ClusterFirst' })
                : jsonPatch ?? workloadPatchCommand(workload, { [c.list]: [{ name: c.container.name, ports: '<the ports without hostPort>' }] }),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Remove hostPort from every container port.' });
      },
    }),
};
