import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Severity } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/apiserver-authorization-mode',
  layer: 'cluster',
  title: 'Authorization mode unsafe',
  severity: 'critical',
  description:
    'Reads --authorization-mode and --authorization-config of every kube-apiserver static pod (D-CP), one finding per control-plane node. With ' +
    '--authorization-config the authorizer chain lives in a file that is not visible (unable). Otherwise: flag absent (default AlwaysAllow) or ' +
    'containing AlwaysAllow is critical, a chain without RBAC is high, a chain without Node is medium. Managed control planes are unable ' +
    '(providers run Node,RBAC and usually Webhook).',
  remediation: 'Run the API server with --authorization-mode=Node,RBAC (plus Webhook if an external authorizer is used).',
  references: [
    ref.cis('1.2.6'), ref.cis('1.2.7'), ref.cis('1.2.8'), ref.kubescape('C-0118'), ref.kubescape('C-0119'), ref.kubescape('C-0120'), ref.kubescape('C-0088'),
    ref.trivy('KCV-0007'), ref.trivy('KCV-0008'), ref.trivy('KCV-0009'), ref.nsa('AuthN/AuthZ (Role-based access control)'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const f = instance.flags;
    if (f.has('authorization-config')) {
      return { unable: `the authorizer chain is configured by --authorization-config=${f.get('authorization-config') ?? ''}, a file that is not visible` };
    }
    const modes = f.has('authorization-mode') ? f.list('authorization-mode') : ['AlwaysAllow'];
    const problems: { severity: Severity; text: string }[] = [];
    if (modes.includes('AlwaysAllow')) {
      problems.push({ severity: 'critical', text: f.has('authorization-mode') ? 'includes AlwaysAllow: every authenticated request is allowed' : 'is not set, so the default AlwaysAllow allows every authenticated request' });
    }
    if (!modes.includes('RBAC')) problems.push({ severity: 'high', text: 'lacks RBAC' });
    if (!modes.includes('Node')) problems.push({ severity: 'medium', text: 'lacks Node (kubelets are not limited to their own node\'s objects)' });
    if (problems.length === 0) return {};
    const severity = problems[0]?.severity ?? 'critical';
    const wanted = ['Node', 'RBAC', ...modes.filter((m) => m !== 'AlwaysAllow' && m !== 'Node' && m !== 'RBAC')];
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)}: --authorization-mode ${problems.map((p) => p.text).join('; ')}`,
        severity,
        evidence: [flagEvidence(instance, 'authorization-mode', 'absent (default AlwaysAllow)')],
        remediation: {
          why: 'The authorizer chain decides what every authenticated identity may do: AlwaysAllow makes every user and service account cluster-admin, without RBAC no role limits anyone, and without Node a stolen kubelet credential reaches every node\'s Secrets and pods.',
          fix: `Set --authorization-mode=${wanted.join(',')} on every control-plane node, and make sure the RBAC bindings your users and controllers need exist before the restart.`,
          ...controlPlaneFix(snapshot, instance, [{ flag: 'authorization-mode', value: wanted.join(',') }]),
        },
      })],
    };
  }),
};
