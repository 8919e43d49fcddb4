import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { clusterCoordinates, detectProvider, hasControlPlanePods, providerCommands, type ProviderInfo, type ProviderTopic } from '../../src/engine/provider.js';
import type { KubeconfigInfo, SnapshotInput } from '../../src/engine/snapshot.js';
import { FIXTURES_DIR, loadFixture } from '../helpers/fixtures.js';

const node = (name: string, providerID: string | undefined, labels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: providerID ? { providerID } : {},
});
const staticApiserver: K8sObject = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'kube-apiserver-cp-1', namespace: 'kube-system', labels: { component: 'kube-apiserver' }, annotations: { 'kubernetes.io/config.mirror': 'x' } },
  spec: { nodeName: 'cp-1', containers: [{ name: 'kube-apiserver', command: ['kube-apiserver'] }] },
};
const kubeconfig = (cluster: string, server = 'https://10.0.0.1:6443'): KubeconfigInfo => ({
  context: cluster, cluster, user: 'u', server, insecureSkipTlsVerify: false, authMethod: 'exec', serverAddresses: [],
});
const snap = (objects: K8sObject[], extra: Omit<SnapshotInput, 'lists'> = {}) => snapshotFromObjects(objects, extra).snapshot;
const version = (gitVersion: string) => ({ major: '1', minor: '33', gitVersion });

describe('detectProvider (CHECKS.md §1.6)', () => {
  it('recognises EKS by node labels and reports a managed control plane', () => {
    const p = detectProvider(snap([node('n1', 'aws:///eu-west-1a/i-1', { 'eks.amazonaws.com/nodegroup': 'general', 'topology.kubernetes.io/region': 'eu-west-1' })]));
    expect(p).toMatchObject({ id: 'aws', name: 'Amazon EKS', hosted: true, managedControlPlane: true, cluster: { region: 'eu-west-1' } });
  });

  it('recognises EKS by the -eks- version suffix alone (Fargate, Karpenter nodes)', () => {
    expect(detectProvider(snap([], { version: version('v1.33.5-eks-3cfe0ce') }))).toMatchObject({ id: 'aws', hosted: true, managedControlPlane: true });
  });

  it('treats kubeadm on EC2 as self-managed AWS', () => {
    const p = detectProvider(snap([node('cp-1', 'aws:///eu-west-1a/i-1'), staticApiserver]));
    expect(p).toMatchObject({ id: 'aws', name: 'AWS (self-managed)', hosted: false, managedControlPlane: false });
  });

  it('does not call a hosted cluster managed when its control-plane pods are visible', () => {
    expect(detectProvider(snap([node('n1', 'gce://p/z/n1', { 'cloud.google.com/gke-nodepool': 'x' }), staticApiserver])).managedControlPlane).toBe(false);
  });

  it('cannot call a cluster managed when pods were not read', () => {
    const s = snap([node('n1', 'gce://p/z/n1', { 'cloud.google.com/gke-nodepool': 'x' })], { errors: { pods: { code: 'forbidden', status: 403, message: 'missing permission: list pods' } } });
    expect(detectProvider(s)).toMatchObject({ id: 'gcp', hosted: true, managedControlPlane: false });
  });

  it('recognises GKE and reads project/location/name from the kubeconfig', () => {
    const p = detectProvider(snap([], { version: version('v1.33.5-gke.1201000'), kubeconfig: kubeconfig('gke_acme-prod_europe-west1_prod') }));
    expect(p).toMatchObject({ id: 'gcp', name: 'Google GKE', hosted: true, cluster: { project: 'acme-prod', location: 'europe-west1', name: 'prod' } });
  });

  it('recognises AKS and derives the resource group from the node resource group label', () => {
    const p = detectProvider(snap([node('aks-1', 'azure:///subscriptions/x/resourceGroups/mc_prod-rg_prod-aks_westeurope/providers/y', { 'kubernetes.azure.com/cluster': 'MC_prod-rg_prod-aks_westeurope' })], { kubeconfig: kubeconfig('prod-aks') }));
    expect(p).toMatchObject({ id: 'azure', name: 'Azure AKS', hosted: true, managedControlPlane: true, cluster: { name: 'prod-aks', resourceGroup: 'prod-rg' } });
  });

  it('handles resource groups with underscores when the cluster name is known', () => {
    const p = detectProvider(snap([node('aks-1', undefined, { 'kubernetes.azure.com/cluster': 'MC_my_rg_prod-aks_westeurope' })], { kubeconfig: kubeconfig('prod-aks') }));
    expect(p.cluster).toMatchObject({ name: 'prod-aks', resourceGroup: 'my_rg' });
  });

  it('falls back to the node resource group label when the kubeconfig cluster was renamed', () => {
    const p = detectProvider(snap([node('aks-1', undefined, { 'kubernetes.azure.com/cluster': 'MC_prod-rg_prod-aks_westeurope' })], { kubeconfig: kubeconfig('my-laptop-context') }));
    expect(p.cluster).toMatchObject({ name: 'prod-aks', resourceGroup: 'prod-rg' });
  });

  it('recognises AKS by its API host', () => {
    expect(detectProvider(snap([], { kubeconfig: kubeconfig('x', 'https://x-dns-1.hcp.westeurope.azmk8s.io:443') }))).toMatchObject({ id: 'azure', hosted: true });
  });

  it.each([
    ['v1.33.5+k3s1', 'k3s'],
    ['v1.33.5+rke2r1', 'rke2'],
  ] as const)('recognises %s as %s (not hosted)', (git, id) => {
    expect(detectProvider(snap([], { version: version(git) }))).toMatchObject({ id, hosted: false, managedControlPlane: false });
  });

  it('recognises kind and minikube without calling them hosted', () => {
    expect(detectProvider(snap([node('kind-control-plane', 'kind://docker/kind/kind-control-plane')])).id).toBe('kind');
    expect(detectProvider(snap([node('minikube', undefined, { 'minikube.k8s.io/name': 'minikube' })])).id).toBe('minikube');
  });

  it('recognises OpenShift by its kube-apiserver namespace', () => {
    const ns: K8sObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'openshift-kube-apiserver' } };
    expect(detectProvider(snap([ns, node('m1', 'aws:///us-east-1a/i-1')]))).toMatchObject({ id: 'openshift', hosted: false });
  });

  it('says unknown platform when nothing identifies it', () => {
    expect(detectProvider(snap([node('n1', undefined)]))).toMatchObject({ name: 'unknown platform', hosted: false });
  });

  it('ignores non-control-plane mirror pods (GKE kube-proxy) for D-CP', () => {
    const proxy: K8sObject = { ...staticApiserver, metadata: { ...staticApiserver.metadata, name: 'kube-proxy-n1', labels: { component: 'kube-proxy', tier: 'node' } } };
    expect(hasControlPlanePods(snap([proxy]))).toBe(false);
    expect(hasControlPlanePods(snap([staticApiserver]))).toBe(true);
  });
});

describe('clusterCoordinates', () => {
  it.each([
    ['arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu', { region: 'eu-west-1', name: 'prod-eu' }],
    ['arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/gov', { region: 'us-gov-west-1', name: 'gov' }],
    ['prod.eu-west-1.eksctl.io', { name: 'prod', region: 'eu-west-1' }],
    ['gke_acme-prod_europe-west1-b_my_cluster', { project: 'acme-prod', location: 'europe-west1-b', name: 'my_cluster' }],
    ['kubernetes', {}],
  ])('%s', (name, want) => expect(clusterCoordinates(name)).toEqual(want));
});

const STUBS = ['kubectl', 'aws', 'gcloud', 'az'].map((t) => `${t}() { printf '%s\\n' "$@" >/dev/null; }`).join('\n');
function runsInStubShell(line: string): { status: number | null; stderr: string } {
  const r = spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', `${STUBS}\n${line}`], { env: { PATH: '' }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('providerCommands (Appendix C.1)', () => {
  const TOPICS: ProviderTopic[] = ['control-plane', 'audit', 'encryption', 'kubelet', 'network-policy', 'endpoint', 'identity', 'etcd', 'authentication'];
  const base = { hosted: true, managedControlPlane: true } as const;
  const PROVIDERS: ProviderInfo[] = [
    { ...base, id: 'aws', name: 'Amazon EKS', cluster: {} },
    { ...base, id: 'aws', name: 'Amazon EKS', cluster: { name: "it's", region: 'eu-west-1' } },
    { ...base, id: 'gcp', name: 'Google GKE', cluster: {} },
    { ...base, id: 'gcp', name: 'Google GKE', cluster: { name: 'prod', location: 'europe-west1', project: 'acme' } },
    { ...base, id: 'azure', name: 'Azure AKS', cluster: {} },
    { ...base, id: 'azure', name: 'Azure AKS', cluster: { name: 'prod-aks', resourceGroup: 'prod-rg' } },
    { hosted: false, managedControlPlane: false, id: 'k3s', name: 'k3s', cluster: {} },
    { hosted: false, managedControlPlane: false, id: 'openshift', name: 'OpenShift', cluster: {} },
    { hosted: false, managedControlPlane: false, name: 'unknown platform', cluster: {} },
  ];

  it.each(PROVIDERS.flatMap((p) => TOPICS.map((t) => [`${p.id ?? 'unknown'} ${JSON.stringify(p.cluster)} ${t}`, p, t] as const)))('%s runs as one command', (_n, p, topic) => {
    for (const line of providerCommands(p, topic)) expect(runsInStubShell(line)).toEqual({ status: 0, stderr: '' });
  });

  it('quotes the placeholders it cannot fill', () => {
    expect(providerCommands(PROVIDERS[2] as ProviderInfo, 'encryption')).toEqual(["gcloud container clusters describe '<cluster>' --location '<location>' '--format=value(databaseEncryption)'"]);
    expect(providerCommands(PROVIDERS[5] as ProviderInfo, 'encryption')).toEqual(["az aks show -g 'prod-rg' -n 'prod-aks' --query 'securityProfile.azureKeyVaultKms'"]);
    expect(providerCommands(PROVIDERS[1] as ProviderInfo, 'audit')).toEqual([`aws eks describe-cluster --name 'it'\\''s' --region 'eu-west-1' --query 'cluster.logging'`]);
  });

  it('points AKS audit at the diagnostic settings', () => {
    expect(providerCommands(PROVIDERS[5] as ProviderInfo, 'audit').join('\n')).toContain('az monitor diagnostic-settings list');
  });
});

describe('the shared cluster shapes', () => {
  it.each([
    ['eks', { id: 'aws', managedControlPlane: true, cluster: { name: 'prod-eu', region: 'eu-west-1' } }],
    ['gke', { id: 'gcp', managedControlPlane: true, cluster: { name: 'prod', location: 'europe-west1', project: 'acme-prod' } }],
    ['aks', { id: 'azure', managedControlPlane: true, cluster: { name: 'prod-aks', resourceGroup: 'prod-rg' } }],
    ['k3s', { id: 'k3s', managedControlPlane: false }],
    ['kubeadm', { hosted: false, managedControlPlane: false }],
  ] as const)('%s-cluster.yaml is detected as such', (shape, want) => {
    // A fixture that only includes the shape (the file name prefix sets the expected status, unused here).
    const { snapshot } = loadFixture('cluster/x', `${FIXTURES_DIR}cluster/apiserver-anonymous-auth/${shape === 'kubeadm' ? 'unable-pods-forbidden' : shape === 'k3s' ? 'unable-k3s' : `unable-${shape}-managed`}.yaml`);
    expect(detectProvider(snapshot)).toMatchObject(want);
  });
});
