import { containerPatch, containerPath, describeWorkload, evidence, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { Container } from '../../src/engine/k8s.js';
import { attributePss, evaluatePssRow, injectorNote, orWorkloadFinding, psaText } from '../../src/engine/pss-rows.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

const WHY = 'The kubelet runs probes and lifecycle hooks from the node, so a host field makes the node connect to any address the pod names: node-local services, the cloud metadata endpoint, other tenants.';

type Handler = { readonly httpGet?: { readonly host?: unknown }; readonly tcpSocket?: { readonly host?: unknown } } | undefined;

/** Every handler with a non-empty host: its field path (relative to the container), and the strategic patch that removes it. */
function hostedHandlers(container: Container): { path: string; host: string; patch: Record<string, unknown> }[] {
  const lifecycle = container.lifecycle as { postStart?: Handler; preStop?: Handler } | undefined;
  const handlers: [string, Handler, (inner: Record<string, unknown>) => Record<string, unknown>][] = [
    ['livenessProbe', container.livenessProbe as Handler, (x) => ({ livenessProbe: x })],
    ['readinessProbe', container.readinessProbe as Handler, (x) => ({ readinessProbe: x })],
    ['startupProbe', container.startupProbe as Handler, (x) => ({ startupProbe: x })],
    ['lifecycle.postStart', lifecycle?.postStart, (x) => ({ lifecycle: { postStart: x } })],
    ['lifecycle.preStop', lifecycle?.preStop, (x) => ({ lifecycle: { preStop: x } })],
  ];
  const out: { path: string; host: string; patch: Record<string, unknown> }[] = [];
  for (const [name, handler, wrap] of handlers) {
    for (const action of ['httpGet', 'tcpSocket'] as const) {
      const host = handler?.[action]?.host;
      if (host !== undefined && host !== null && host !== '') out.push({ path: `${name}.${action}.host`, host: String(host), patch: wrap({ [action]: { host: null } }) });
    }
  }
  return out;
}

/** Deep-merges the small patches of one container. */
function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(source)) {
    const t = target[k];
    target[k] = t && v && typeof t === 'object' && typeof v === 'object' ? merge(t as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return target;
}

export const check: Check = {
  id: 'container/probe-or-lifecycle-host',
  layer: 'container',
  title: 'Probe or lifecycle hook targets another host',
  severity: 'medium',
  description:
    'Evaluates PSS baseline "hostProbesAndHostLifecycle" (policy v1.34+; not applicable to older clusters) on each workload: fails for an init, regular or ephemeral container whose ' +
    'livenessProbe, readinessProbe, startupProbe, lifecycle.postStart or lifecycle.preStop sets a non-empty httpGet.host or tcpSocket.host (127.0.0.1 included).',
  remediation: 'Remove the host field from probes and lifecycle hooks, and send an httpHeaders Host header when a name-based virtual host is needed.',
  references: [ref.pss('baseline', 'Host Probes / Lifecycle Hooks (v1.34+)')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    evaluatePssRow(snapshot, {
      checkId: 'hostProbesAndHostLifecycle',
      visit: ({ workload, revision: { meta, spec }, policy }) => {
        const a = attributePss('hostProbesAndHostLifecycle', meta, spec, policy);
        if (!a) return [];
        const out: FindingDraft[] = [];
        for (const { ref: c, violation } of a.containers) {
          const hosted = hostedHandlers(c.container);
          const ev: Evidence[] = hosted.map((h) => evidence(`${containerPath(workload, c)}.${h.path}`, h.host));
          const fields = hosted.reduce<Record<string, unknown>>((acc, h) => merge(acc, h.patch), {});
          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} makes the kubelet connect to ${hosted.map((h) => `"${h.host}" (${h.path})`).join(', ')}${injectorNote(workload, c.container.name)} (${psaText(violation, policy)})`,
            evidence: ev,
            remediation: {
              why: WHY,
              fix: `Remove the host field${hosted.length === 1 ? '' : 's'} from container "${c.container.name}" (the probe then targets the pod IP); for a name-based virtual host send an httpHeaders entry "Host" instead.`,
              command: workloadPatchCommand(workload, containerPatch(c, fields)),
            },
          });
        }
        return orWorkloadFinding(out, workload, a.violation, policy, { why: WHY, fix: 'Remove host from probes and lifecycle hooks.' });
      },
    }),
};
