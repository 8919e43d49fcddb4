import { admissionPlugin, controlPlaneFix, controlPlaneInstances, describeInstance, evaluateControlPlane, instanceFinding, withAdmissionPlugin } from '../../src/engine/control-plane.js';
import { evidence, findings } from '../../src/engine/helpers.js';
import type { Service } from '../../src/engine/k8s.js';
import { detectProvider } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import type { Check, CheckOutcome, FindingDraft } from '../../src/engine/types.js';

function serviceFindings(snapshot: Snapshot): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const svc of snapshot.list<Service>('services')) {
    const ips = svc.spec?.externalIPs ?? [];
    if (ips.length === 0) continue;
    const ns = svc.metadata?.namespace ?? '';
    const name = svc.metadata?.name ?? '';
    out.push({
      subject: { kind: 'Service', namespace: ns, name },
      message: `Service "${ns}/${name}" sets spec.externalIPs ${ips.join(', ')}: traffic any pod or node sends to ${ips.length === 1 ? 'that address' : 'those addresses'} is redirected to this Service (CVE-2020-8554)`,
      evidence: [evidence('spec.externalIPs', ips)],
      remediation: {
        why: 'kube-proxy captures traffic to a Service\'s externalIPs on every node: whoever can create or edit such a Service can intercept connections to any address, including other tenants\' and external services (CVE-2020-8554).',
        fix: 'Remove externalIPs (expose the Service through a LoadBalancer, NodePort or Ingress instead); if externalIPs are required, allow only approved addresses with an admission policy.',
        command: command`kubectl -n ${ns} patch service ${name} --type=json -p ${'[{"op":"remove","path":"/spec/externalIPs"}]'}`,
      },
    });
  }
  return out;
}

export const check: Check = {
  id: 'cluster/service-external-ips',
  layer: 'cluster',
  title: 'Services with externalIPs / DenyServiceExternalIPs missing',
  severity: 'medium',
  description:
    'Fails (medium) for every Service with a non-empty spec.externalIPs (CVE-2020-8554: whoever can create such a Service can intercept traffic to ' +
    'that address); this part works on any cluster. On a self-managed control plane it also reads the admission plugin flags of every kube-apiserver ' +
    'static pod (D-CP) and fails (low) per control-plane node where DenyServiceExternalIPs is not enabled. On a managed control plane the plugin is ' +
    'not visible and only the Services are judged.',
  remediation: 'Remove externalIPs from Services and enable the DenyServiceExternalIPs admission plugin (or a policy allowing only approved addresses).',
  references: [ref.cis('1.2.3'), ref.kubescape('C-0283'), ref.trivy('KCV-0003'), ref.trivy('KSV-0108')],
  needs: ['services'],
  optionalNeeds: ['pods', 'nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => {
    const services = serviceFindings(snapshot);
    const servicesNote = services.length === 0 ? 'no Service sets spec.externalIPs' : undefined;
    const plugin: CheckOutcome = evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
      const state = admissionPlugin(instance, 'DenyServiceExternalIPs');
      if (state.enabled) return {};
      return {
        findings: [instanceFinding(instance, {
          message: `${describeInstance(instance)} does not enable the DenyServiceExternalIPs admission plugin (${state.why}): anyone who may create Services can set externalIPs`,
          severity: 'low',
          evidence: state.evidence,
          remediation: {
            why: 'Without the plugin (or an equivalent policy) any user who can create or update a Service can use externalIPs to intercept traffic (CVE-2020-8554).',
            fix: 'Remove externalIPs from existing Services first (the plugin rejects updates that keep them), then add DenyServiceExternalIPs to the admission plugins on every control-plane node; use a ValidatingAdmissionPolicy instead if some Services legitimately need approved externalIPs.',
            ...controlPlaneFix(snapshot, instance, [withAdmissionPlugin(instance, 'DenyServiceExternalIPs')]),
          },
        })],
      };
    });
    const drafts = [...services, ...plugin.findings];
    if (plugin.status === 'unable') {
      const hosted = snapshot.has('pods') && controlPlaneInstances(snapshot, 'kube-apiserver').length === 0 && detectProvider(snapshot).managedControlPlane;
      // The plugin part only applies to self-managed API servers: on a managed control plane the Services decide.
      if (hosted) {
        const note = `${detectProvider(snapshot).name} manages the API server, so its admission plugins (DenyServiceExternalIPs) are not visible and not judged; a ValidatingAdmissionPolicy can reject spec.externalIPs on any cluster`;
        return findings(drafts, [servicesNote, note].filter(Boolean).join('; '));
      }
      if (drafts.length > 0) return { findings: drafts, reason: `DenyServiceExternalIPs not judged: ${plugin.reason ?? ''}` };
      return { findings: [], status: 'unable', reason: [servicesNote, plugin.reason].filter(Boolean).join('; ') };
    }
    return { findings: drafts, reason: [servicesNote, plugin.reason].filter(Boolean).join('; ') };
  },
};
