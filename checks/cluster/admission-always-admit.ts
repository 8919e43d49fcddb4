import { admissionPlugin, controlPlaneFix, describeInstance, evaluateControlPlane, instanceFinding } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/admission-always-admit',
  layer: 'cluster',
  title: 'AlwaysAdmit admission plugin enabled',
  severity: 'critical',
  description:
    'Reads the admission plugin flags (--enable-admission-plugins, --disable-admission-plugins and the deprecated --admission-control) of every ' +
    'kube-apiserver static pod (D-CP), one finding per control-plane node. Fails when AlwaysAdmit is enabled. Managed control planes are unable ' +
    'with the provider command.',
  remediation: 'Remove AlwaysAdmit from the API server\'s admission plugins.',
  references: [ref.cis('1.2.10'), ref.kubescape('C-0122'), ref.trivy('KCV-0011')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const state = admissionPlugin(instance, 'AlwaysAdmit');
    if (!state.enabled) return {};
    const legacy = instance.flags.has('admission-control');
    const flag = legacy ? 'admission-control' : 'enable-admission-plugins';
    const rest = instance.flags.list(flag).filter((p) => p !== 'AlwaysAdmit');
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} enables the AlwaysAdmit admission plugin (${state.why})`,
        evidence: state.evidence,
        remediation: {
          why: 'AlwaysAdmit is a deprecated plugin that admits every request: it does not switch other plugins off, but it signals an admission chain set up to let everything through (CIS asks for it to be absent).',
          fix: `Remove AlwaysAdmit from --${flag}${legacy ? ' (better: replace the deprecated --admission-control with --enable-admission-plugins)' : ''} on every control-plane node.`,
          ...controlPlaneFix(snapshot, instance, [rest.length ? { flag, value: rest.join(',') } : { flag, remove: true }]),
        },
      })],
    };
  }),
};
