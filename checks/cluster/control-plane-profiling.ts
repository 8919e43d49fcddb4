import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/control-plane-profiling',
  layer: 'cluster',
  title: 'Profiling endpoints enabled on control-plane components',
  severity: 'low',
  description:
    'Reads --profiling of every kube-apiserver, kube-controller-manager and kube-scheduler static pod (D-CP), one finding per replica. Fails when the ' +
    'flag is absent (default true) or true. A kube-scheduler started with --config ignores the flag (enableProfiling in the file decides, not ' +
    'visible). Managed control planes are unable with the provider command.',
  remediation: 'Start kube-apiserver, kube-controller-manager and kube-scheduler with --profiling=false.',
  references: [
    ref.cis('1.2.15'), ref.cis('1.3.2'), ref.cis('1.4.1'), ref.kubescape('C-0129'), ref.kubescape('C-0145'), ref.kubescape('C-0151'),
    ref.trivy('KCV-0018'), ref.trivy('KCV-0034'), ref.trivy('KCV-0040'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'], (instance) => {
    const f = instance.flags;
    if (instance.component === 'kube-scheduler' && f.has('config')) {
      // kube-scheduler honours its deprecated flags (--profiling among them) only without --config.
      return { unable: `profiling is set by enableProfiling in --config=${f.get('config') ?? ''} (default true), a file that is not visible; the --profiling flag is ignored with --config` };
    }
    const value = f.bool('profiling', true);
    if (value === false) return {};
    if (value === undefined) return { unable: `--profiling=${f.get('profiling') ?? ''} is not a boolean` };
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} serves profiling data at /debug/pprof (${f.has('profiling') ? '--profiling=true' : '--profiling not set, default true'})`,
        evidence: [flagEvidence(instance, 'profiling', 'absent (default true)')],
        remediation: {
          why: 'pprof endpoints reveal internals of the component and let any caller allowed to reach /debug/pprof run costly CPU and heap profiles against the control plane; they are only needed while debugging.',
          fix: `Set --profiling=false on ${instance.component} on every control-plane node; turn it on temporarily when you need a profile.`,
          ...controlPlaneFix(snapshot, instance, [{ flag: 'profiling', value: 'false' }]),
        },
      })],
    };
  }),
};
