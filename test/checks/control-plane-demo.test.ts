/**
 * The control-plane flag checks on the demo cluster (src/demo/control-plane.ts): a kubeadm
 * v1.33 HA control plane on EC2 whose planted problems are no audit policy/log, no
 * encryption-provider-config, --profiling and --anonymous-auth at their defaults, no
 * --kubelet-certificate-authority, admission plugins only NodeRestriction, kube-scheduler on
 * k8s-cp-3 with --bind-address=0.0.0.0 and a legacy Service with externalIPs. Every check must
 * find exactly those, per node, and nothing else — except two kubeadm defaults that CHECKS.md
 * reports on any kubeadm cluster (cipher suites not restricted: warn low; token expiration
 * extension not disabled: low).
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { detectProvider } from '../../src/engine/provider.js';
import { runCheck } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { deepFreeze } from '../helpers/freeze.js';

const { snapshot } = snapshotFromObjects(demoCluster(), { version: DEMO_VERSION });
deepFreeze(snapshot);

const NODES = ['k8s-cp-1', 'k8s-cp-2', 'k8s-cp-3'];
const pod = (component: string, node: string): string => `Pod/kube-system/${component}-${node}:${component}`;
const apiservers = NODES.map((n) => pod('kube-apiserver', n));

function run(id: string): { status: string; reason?: string; findings: Finding[] } {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`${id} is not registered`);
  const { result, findings } = runCheck(check, snapshot);
  return { status: result.status, ...(result.reason !== undefined ? { reason: result.reason } : {}), findings };
}

const subjects = (findings: readonly Finding[]): string[] =>
  findings.map((f) => `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}${f.subject.container ? `:${f.subject.container}` : ''}`).sort();

/** check id → expected status, subjects (sorted), severity of every finding. */
const EXPECTED: readonly (readonly [id: string, status: string, subjects: readonly string[], severity?: string])[] = [
  ['cluster/apiserver-anonymous-auth', 'fail', apiservers, 'medium'],
  ['cluster/static-token-auth-file', 'pass', []],
  ['cluster/apiserver-tls', 'warn', apiservers, 'low'],
  ['cluster/apiserver-kubelet-tls', 'fail', apiservers, 'medium'],
  ['cluster/service-account-token-settings', 'fail', apiservers, 'low'],
  ['cluster/apiserver-authorization-mode', 'pass', []],
  ['cluster/admission-always-admit', 'pass', []],
  ['cluster/admission-node-restriction', 'pass', []],
  ['cluster/admission-core-plugins-disabled', 'pass', []],
  ['cluster/service-external-ips', 'fail', [...apiservers, 'Service/legacy/legacy-billing-ext'].sort()],
  ['cluster/admission-event-rate-limit', 'fail', apiservers, 'low'],
  ['cluster/admission-always-pull-images', 'fail', apiservers, 'low'],
  ['cluster/control-plane-profiling', 'fail', NODES.flatMap((n) => ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => pod(c, n))).sort(), 'low'],
  ['cluster/control-plane-bind-address', 'fail', [pod('kube-scheduler', 'k8s-cp-3')], 'medium'],
  ['cluster/audit-logging', 'fail', apiservers, 'medium'],
  ['cluster/secrets-encryption-at-rest', 'fail', apiservers, 'high'],
];

describe('control-plane checks on the demo cluster', () => {
  it('sees a self-managed control plane on AWS', () => {
    const provider = detectProvider(snapshot);
    expect(provider).toMatchObject({ id: 'aws', hosted: false, managedControlPlane: false });
  });

  it.each(EXPECTED.map((e) => [e[0], e] as const))('%s', (_id, [id, status, expected, severity]) => {
    const result = run(id);
    expect(result.status).toBe(status);
    expect(subjects(result.findings)).toEqual([...expected].sort());
    if (severity) for (const f of result.findings) expect(f.severity).toBe(severity);
    for (const f of result.findings) {
      // Real findings about the control plane, never collapsed as infrastructure noise.
      expect(f.scope).toBe('workload');
      expect(f.message).not.toMatch(/\n/);
      expect(f.remediation.command ?? '').not.toBe('');
    }
  });

  it('names the planted flags in the messages', () => {
    expect(run('cluster/apiserver-anonymous-auth').findings[0]?.message).toContain('does not set --anonymous-auth (default true)');
    expect(run('cluster/apiserver-kubelet-tls').findings[0]?.message).toContain('no --kubelet-certificate-authority');
    expect(run('cluster/control-plane-bind-address').findings[0]?.message).toContain('--bind-address=0.0.0.0');
    expect(run('cluster/audit-logging').findings[0]?.message).toContain('no --audit-policy-file');
    expect(run('cluster/secrets-encryption-at-rest').findings[0]?.message).toContain('--encryption-provider-config is not set');
    const ext = run('cluster/service-external-ips').findings;
    expect(ext.find((f) => f.subject.kind === 'Service')).toMatchObject({ severity: 'medium', message: expect.stringContaining('198.51.100.21') });
    expect(ext.filter((f) => f.subject.kind === 'Pod').every((f) => f.severity === 'low' && f.message.includes('DenyServiceExternalIPs'))).toBe(true);
  });

  it('reports only the kubeadm defaults CHECKS.md asks for besides the planted problems', () => {
    // Not planted in the demo, but CHECKS.md rows report them on any kubeadm cluster.
    expect(run('cluster/apiserver-tls').findings.every((f) => f.status === 'warn' && f.message.includes('--tls-cipher-suites is not set'))).toBe(true);
    expect(run('cluster/service-account-token-settings').findings.every((f) => f.message.includes('--service-account-extend-token-expiration'))).toBe(true);
  });

  it('says what the file-based parts cannot see', () => {
    expect(run('cluster/apiserver-anonymous-auth').reason).toContain('D-PROBE');
    expect(run('cluster/secrets-encryption-at-rest').reason).toContain('D-METRICS');
  });

  it('gives the kubeadm R-CP fix for the drifting scheduler on its own node', () => {
    const [finding] = run('cluster/control-plane-bind-address').findings;
    expect(finding?.remediation.command).toContain('# 1. on node k8s-cp-3: edit /etc/kubernetes/manifests/kube-scheduler.yaml (set --bind-address=127.0.0.1)');
    expect(finding?.remediation.command).toContain('(k8s-cp-1, k8s-cp-2 already run with it)');
    expect(finding?.remediation.command).not.toContain('every other control-plane node');
    expect(finding?.remediation.patch).toContain('scheduler:\n  extraArgs:\n  - name: "bind-address"\n    value: "127.0.0.1"');
  });
});
