/**
 * The cloud layer on the demo cluster (src/demo/cluster.ts header, "Cloud"): a self-managed
 * kubeadm v1.33 cluster on EC2. Every planted cloud issue is found — public worker IPs, the
 * public API endpoint in kube-public/cluster-info, data/postgres-public and the ingress-nginx
 * load balancer, NodePort Services on public nodes, the literal AWS key of
 * analytics/event-collector, hostNetwork workloads that can use the node's IMDS credentials —
 * and the compliant counterparts are not: search/search-api (internal LB), monitoring/grafana
 * (source ranges), reporting/report-exporter (IRSA) and etcd with full TLS on loopback and
 * private addresses.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import type { ConfigMap } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { detectProvider } from '../../src/engine/provider.js';
import { runCheck } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { deepFreeze } from '../helpers/freeze.js';

const objects = demoCluster();
const clusterInfo = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.namespace === 'kube-public' && o.metadata.name === 'cluster-info') as ConfigMap;
// The demo's kubeconfig points at the embedded API server on loopback, verified with its CA.
const { snapshot } = snapshotFromObjects(objects, {
  version: DEMO_VERSION,
  clusterInfo,
  kubeconfig: {
    context: '4c-tui-demo', cluster: '4c-tui-demo', user: '4c-tui-demo', server: 'https://127.0.0.1:6443',
    insecureSkipTlsVerify: false, authMethod: 'token', serverAddresses: ['127.0.0.1'],
  },
});
deepFreeze(snapshot);

function run(id: string): { status: string; reason?: string; findings: Finding[] } {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`${id} is not registered`);
  const { result, findings } = runCheck(check, snapshot);
  return { status: result.status, ...(result.reason !== undefined ? { reason: result.reason } : {}), findings };
}

const subject = (f: Finding): string => `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}${f.subject.container ? `:${f.subject.container}` : ''}`;
const subjects = (findings: readonly Finding[]): string[] => findings.map(subject).sort();
const of = (findings: readonly Finding[], s: string): Finding | undefined => findings.find((f) => subject(f) === s);

describe('cloud checks on the demo cluster', () => {
  it('sees a self-managed control plane on AWS', () => {
    expect(detectProvider(snapshot)).toMatchObject({ id: 'aws', hosted: false, managedControlPlane: false });
  });

  it('finds the workers with public ExternalIPs, not the private control-plane nodes', () => {
    const r = run('cloud/node-public-ip');
    expect(r.status).toBe('fail');
    expect(subjects(r.findings)).toEqual(['Node//k8s-worker-1', 'Node//k8s-worker-2', 'Node//k8s-worker-3']);
    // Self-managed on EC2: the fix inspects the instances, not an EKS node group.
    expect(r.findings[0]?.remediation.command).toMatch(/^aws ec2 describe-instances --instance-ids 'i-/);
  });

  it('finds the public API endpoint named by kube-public/cluster-info', () => {
    const r = run('cloud/public-api-endpoint');
    expect(r.status).toBe('fail');
    expect(r.findings[0]?.message).toContain('203.0.113.10');
    expect(r.findings[0]?.message).toContain('provider: aws (self-managed)');
    expect(r.findings[0]?.remediation.command).not.toContain('aws eks');
  });

  it('flags data/postgres-public (5432, fail high) and ingress-nginx (warn), not the internal or source-restricted load balancers', () => {
    const r = run('cloud/loadbalancer-unrestricted-source');
    expect(r.status).toBe('fail');
    expect(subjects(r.findings)).toEqual(['Service/data/postgres-public', 'Service/ingress-nginx/ingress-nginx-controller']);
    expect(of(r.findings, 'Service/data/postgres-public')).toMatchObject({ status: 'fail', severity: 'high' });
    expect(of(r.findings, 'Service/ingress-nginx/ingress-nginx-controller')).toMatchObject({ status: 'warn', severity: 'medium' });
    expect(r.reason ?? '').toBe('');
  });

  it('warns about the NodePort Services on public nodes', () => {
    const r = run('cloud/nodeport-exposure');
    expect(r.status).toBe('warn');
    const found = subjects(r.findings);
    expect(found).toContain('Service/staging/staging-frontend');
    expect(found).toContain('Service/legacy/legacy-billing');
    expect(r.findings.every((f) => f.status === 'warn' && f.severity === 'low')).toBe(true);
  });

  it('finds the literal AWS key of analytics/event-collector without printing it', () => {
    const r = run('cloud/static-cloud-credentials');
    expect(r.status).toBe('fail');
    expect(subjects(r.findings)).toEqual(['Deployment/analytics/event-collector:collector']);
    const f = r.findings[0];
    expect(f?.severity).toBe('critical');
    expect(f?.message).toContain('AWS_ACCESS_KEY_ID (literal AWS key)');
    expect(f?.message).toContain('AWS_SECRET_ACCESS_KEY (from Secret "aws-credentials")');
    expect(JSON.stringify(r.findings)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('finds the hostNetwork application workloads that can use the node identity', () => {
    const r = run('cloud/host-network-metadata-access');
    expect(r.status).toBe('fail');
    expect(of(r.findings, 'Deployment/staging/perf-agent')).toMatchObject({ status: 'fail', severity: 'medium', scope: 'workload' });
    // node-exporter is a node agent: reported, at info.
    expect(of(r.findings, 'DaemonSet/monitoring/node-exporter')).toMatchObject({ severity: 'info' });
    // System-namespace agents are classified, not hidden.
    for (const f of r.findings.filter((x) => x.subject.namespace === 'kube-system')) expect(f).toMatchObject({ severity: 'info', scope: 'system' });
    for (const f of r.findings) expect(f.message).toContain('IMDSv2 with hop limit 1 would also block containers');
  });

  it('finds namespaces whose pods can reach the IMDS, not those with default-deny egress', () => {
    const r = run('cloud/metadata-endpoint-reachable');
    expect(r.status).toBe('fail');
    const namespaces = r.findings.map((f) => f.subject.name);
    for (const ns of ['shop', 'staging', 'analytics', 'legacy']) expect(namespaces).toContain(ns);
    for (const ns of ['payments', 'checkout', 'auth', 'data']) expect(namespaces).not.toContain(ns);
    expect(r.findings.find((f) => f.subject.name === 'kube-system')?.scope).toBe('system');
  });

  it('sees IRSA on reporting/report-exporter', () => {
    const r = run('cloud/workload-identity-not-used');
    expect(r).toMatchObject({ status: 'pass', findings: [] });
    expect(r.reason).toContain('IRSA on ServiceAccount reporting/report-exporter');
  });

  it.each(['cloud/etcd-client-tls', 'cloud/etcd-peer-tls', 'cloud/etcd-dedicated-ca', 'cloud/apiserver-etcd-tls', 'cloud/etcd-network-exposure', 'cloud/kubeconfig-insecure-tls'])(
    '%s passes: etcd has full TLS on loopback and private addresses', (id) => {
      const r = run(id);
      expect(r.status).toBe('pass');
      expect(r.findings).toEqual([]);
    });

  it('cannot verify disk encryption or node IAM, and says how (instance ids of the EC2 nodes)', () => {
    const disk = run('cloud/etcd-disk-encryption');
    expect(disk.status).toBe('unable');
    expect(disk.reason).toContain('etcd data dir /var/lib/etcd on k8s-cp-1, k8s-cp-2, k8s-cp-3');
    expect(disk.reason).toContain('aws ec2 describe-volumes');
    const iam = run('cloud/node-iam-least-privilege');
    expect(iam.status).toBe('unable');
    expect(iam.reason).toContain('aws ec2 describe-instances');
  });

  it('runs every cloud check', () => {
    const cloud = CHECKS.filter((c) => c.layer === 'cloud').map((c) => c.id);
    expect(cloud).toHaveLength(16);
    for (const id of cloud) expect(run(id).status).not.toBe('error');
  });
});
