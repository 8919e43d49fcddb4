import { admissionPlugin, controlPlaneFix, describeInstance, evaluateControlPlane, instanceFinding, type FlagChange } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, Severity } from '../../src/engine/types.js';

const CORE: readonly (readonly [plugin: string, severity: Severity, effect: string])[] = [
  ['PodSecurity', 'high', 'namespace pod-security.kubernetes.io labels have no effect'],
  ['ServiceAccount', 'medium', 'pods are not tied to existing service accounts and token mounts are not managed'],
  ['NamespaceLifecycle', 'medium', 'objects can be created in terminating or non-existent namespaces'],
];

export const check: Check = {
  id: 'cluster/admission-core-plugins-disabled',
  layer: 'cluster',
  title: 'Core admission plugins disabled',
  severity: 'medium',
  description:
    'Reads --disable-admission-plugins (and the deprecated --admission-control, which turns off every plugin it does not list) of every kube-apiserver ' +
    'static pod (D-CP), one finding per control-plane node. PodSecurity disabled is high (namespace Pod Security labels have no effect); ' +
    'ServiceAccount or NamespaceLifecycle disabled is medium. Managed control planes are unable with the provider command.',
  remediation: 'Remove PodSecurity, ServiceAccount and NamespaceLifecycle from --disable-admission-plugins.',
  references: [ref.cis('1.2.12'), ref.cis('1.2.13'), ref.kubescape('C-0125'), ref.kubescape('C-0126'), ref.trivy('KCV-0014'), ref.trivy('KCV-0015')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const off = CORE.filter(([plugin]) => !admissionPlugin(instance, plugin).enabled);
    if (off.length === 0) return {};
    const severity = off.some(([, s]) => s === 'high') ? 'high' : 'medium';
    const legacy = instance.flags.has('admission-control');
    let change: FlagChange;
    const names = off.map(([p]) => p);
    if (legacy) {
      change = { flag: 'admission-control', value: [...instance.flags.list('admission-control'), ...names].join(',') };
    } else {
      const rest = instance.flags.list('disable-admission-plugins').filter((p) => !names.includes(p));
      change = rest.length ? { flag: 'disable-admission-plugins', value: rest.join(',') } : { flag: 'disable-admission-plugins', remove: true };
    }
    const ev: Evidence[] = [...(admissionPlugin(instance, names[0] ?? '').evidence)];
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} disables core admission plugins: ${off.map(([p, , effect]) => `${p} (${effect})`).join('; ')}`,
        severity,
        evidence: ev,
        remediation: {
          why: 'These plugins are on by default because the API\'s security model depends on them: PodSecurity enforces the namespace Pod Security Standards, ServiceAccount ties pods to real accounts, NamespaceLifecycle protects namespace deletion.',
          fix: legacy
            ? 'Add the plugins back to the deprecated --admission-control list, or better replace it with --enable-admission-plugins (which keeps the default set on).'
            : 'Remove them from --disable-admission-plugins on every control-plane node; if pods must be exempt from Pod Security, use namespace labels or AdmissionConfiguration exemptions instead.',
          ...controlPlaneFix(snapshot, instance, [change]),
        },
      })],
    };
  }),
};
