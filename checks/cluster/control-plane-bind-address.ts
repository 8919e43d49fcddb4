import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding } from '../../src/engine/control-plane.js';
import { cidrContains, parseIp } from '../../src/engine/net.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

function isLoopback(address: string): boolean {
  const ip = parseIp(address);
  return ip !== undefined && (cidrContains('127.0.0.0/8', ip) || cidrContains('::1/128', ip));
}

const PORTS: Readonly<Record<string, number>> = { 'kube-controller-manager': 10257, 'kube-scheduler': 10259 };

export const check: Check = {
  id: 'cluster/control-plane-bind-address',
  layer: 'cluster',
  title: 'Controller manager / scheduler listen on all interfaces',
  severity: 'medium',
  description:
    'Reads --bind-address (and --secure-port) of every kube-controller-manager and kube-scheduler static pod (D-CP), one finding per replica. Fails ' +
    'when the flag is absent (default 0.0.0.0) or not a loopback address (127.0.0.0/8, ::1), unless --secure-port=0 disables serving. Managed ' +
    'control planes are unable with the provider command.',
  remediation: 'Start kube-controller-manager and kube-scheduler with --bind-address=127.0.0.1.',
  references: [ref.cis('1.3.7'), ref.cis('1.4.2'), ref.kubescape('C-0150'), ref.kubescape('C-0152'), ref.trivy('KCV-0039'), ref.trivy('KCV-0041')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-controller-manager', 'kube-scheduler'], (instance) => {
    const f = instance.flags;
    if (f.number('secure-port') === 0) return { note: '--secure-port=0: no serving endpoint' };
    const bind = f.get('bind-address');
    if (bind !== undefined && isLoopback(bind.trim())) return {};
    const port = f.number('secure-port') ?? PORTS[instance.component] ?? 0;
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} listens on ${bind === undefined ? 'all interfaces (--bind-address not set, default 0.0.0.0)' : `--bind-address=${bind}`}, port ${port}`,
        evidence: [flagEvidence(instance, 'bind-address', 'absent (default 0.0.0.0)')],
        remediation: {
          why: `The ${instance.component} endpoint (health, metrics, and profiling unless disabled) is then reachable from the network; it only needs to serve the local kubelet probes.`,
          fix: 'Set --bind-address=127.0.0.1 (kubeadm\'s default) on every control-plane node; if Prometheus scrapes the metrics from outside the node, scrape through a node-local proxy instead.',
          ...controlPlaneFix(snapshot, instance, [{ flag: 'bind-address', value: '127.0.0.1' }]),
        },
      })],
    };
  }),
};
