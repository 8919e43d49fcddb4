import { admissionPlugin, controlPlaneFix, describeInstance, evaluateControlPlane, instanceFinding, withAdmissionPlugin } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/admission-node-restriction',
  layer: 'cluster',
  title: 'NodeRestriction admission plugin not enabled',
  severity: 'high',
  description:
    'Reads the admission plugin flags (--enable-admission-plugins, --disable-admission-plugins and the deprecated --admission-control) of every ' +
    'kube-apiserver static pod (D-CP), one finding per control-plane node. Fails when NodeRestriction is not enabled (it is not in the default set, ' +
    'so it must be listed). Managed control planes are unable with the provider command.',
  remediation: 'Add NodeRestriction to --enable-admission-plugins, together with Node in --authorization-mode.',
  references: [ref.cis('1.2.14'), ref.kubescape('C-0127'), ref.trivy('KCV-0016')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const state = admissionPlugin(instance, 'NodeRestriction');
    if (state.enabled) return {};
    const change = withAdmissionPlugin(instance, 'NodeRestriction');
    const disabled = instance.flags.list('disable-admission-plugins').includes('NodeRestriction');
    const changes = disabled
      ? [change, instance.flags.list('disable-admission-plugins').length > 1
        ? { flag: 'disable-admission-plugins', value: instance.flags.list('disable-admission-plugins').filter((p) => p !== 'NodeRestriction').join(',') }
        : { flag: 'disable-admission-plugins', remove: true }]
      : [change];
    const nodeAuthz = instance.flags.list('authorization-mode').includes('Node');
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} does not enable the NodeRestriction admission plugin (${state.why})`,
        evidence: state.evidence,
        remediation: {
          why: 'Without NodeRestriction a compromised kubelet can modify other nodes\' Node objects and any pod, and set node labels that steer workloads (node-restriction.kubernetes.io/) onto nodes it controls.',
          fix: `Add NodeRestriction to the admission plugins on every control-plane node${nodeAuthz ? '' : ' and add Node to --authorization-mode (the plugin relies on the Node authorizer)'}.`,
          ...controlPlaneFix(snapshot, instance, changes),
        },
      })],
    };
  }),
};
