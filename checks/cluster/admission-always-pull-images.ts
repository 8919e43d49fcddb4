import { admissionPlugin, applicationNamespaces, controlPlaneFix, describeInstance, evaluateControlPlane, instanceFinding, withAdmissionPlugin } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/admission-always-pull-images',
  layer: 'cluster',
  title: 'AlwaysPullImages admission plugin not enabled',
  severity: 'low',
  description:
    'Reads the admission plugin flags of every kube-apiserver static pod (D-CP), one finding per control-plane node. Fails (low) when AlwaysPullImages ' +
    'is not enabled on a multi-tenant cluster (more than one application namespace: non-system namespaces, default only when pods run there); ' +
    'info on single-tenant clusters. Managed control planes are unable with the provider command.',
  remediation: 'Enable the AlwaysPullImages admission plugin (or the kubelet\'s image-pull credential verification) on multi-tenant clusters.',
  references: [ref.cis('1.2.11'), ref.kubescape('C-0123'), ref.trivy('KCV-0012')],
  needs: ['pods'],
  optionalNeeds: ['namespaces', 'nodes', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => {
    const tenants = applicationNamespaces(snapshot);
    const multi = tenants.names.length > 1;
    return evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
      const state = admissionPlugin(instance, 'AlwaysPullImages');
      if (state.enabled) return {};
      const sample = tenants.names.slice(0, 5).join(', ') + (tenants.names.length > 5 ? ', …' : '');
      return {
        findings: [instanceFinding(instance, {
          message: multi
            ? `${describeInstance(instance)} does not enable AlwaysPullImages (${state.why}) while ${tenants.names.length} application namespaces (${sample}) share the nodes`
            : `${describeInstance(instance)} does not enable AlwaysPullImages (${state.why}); single-tenant cluster${tenants.partial ? ' as far as visible' : ''}, so cached private images are not shared across tenants`,
          severity: multi ? 'low' : 'info',
          status: multi ? 'fail' : 'warn',
          evidence: [...state.evidence, { path: 'namespaces', value: `${tenants.names.length} application namespace(s)${tenants.names.length ? `: ${sample}` : ''}` }],
          remediation: {
            why: 'A private image pulled once is cached on the node: without AlwaysPullImages any pod scheduled there can start it by name, without the pull secret that protects it.',
            fix: 'Add AlwaysPullImages to the admission plugins on every control-plane node (every pod start then contacts the registry: make sure it is highly available), or use the kubelet\'s ensure-secret-pulled-images feature where available.',
            ...controlPlaneFix(snapshot, instance, [withAdmissionPlugin(instance, 'AlwaysPullImages')]),
          },
        })],
      };
    });
  },
};
