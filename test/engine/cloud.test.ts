import { describe, expect, it } from 'vitest';
import { awsImdsCommand, awsInstanceId, CLOUD_CREDENTIAL_VARS, etcdUnavailable, gceInstance, metadataAddresses, metadataPlatform, nodePool, publicNodes, sample } from '../../src/engine/cloud.js';
import type { K8sObject, Node } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import type { ProviderInfo } from '../../src/engine/provider.js';

const provider = (id: ProviderInfo['id']): ProviderInfo => ({ ...(id ? { id } : {}), name: id ?? 'unknown platform', hosted: false, managedControlPlane: false, cluster: {} });
const node = (name: string, over: Partial<Node> = {}): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, ...over });

describe('metadata platform and addresses', () => {
  it('knows which platforms have an IMDS', () => {
    for (const id of ['aws', 'gcp', 'azure', 'oci', 'openstack', 'alibaba', 'ibm'] as const) expect(metadataPlatform(provider(id))).toBe('cloud');
    for (const id of ['kind', 'minikube', 'vsphere'] as const) expect(metadataPlatform(provider(id))).toBe('none');
    for (const id of [undefined, 'k3s', 'rke2', 'openshift'] as const) expect(metadataPlatform(provider(id))).toBe('unknown');
  });

  it('targets the provider\'s addresses, all of them when unknown', () => {
    expect(metadataAddresses(provider('aws'))).toEqual(['169.254.169.254', 'fd00:ec2::254']);
    expect(metadataAddresses(provider('alibaba'))).toEqual(['100.100.100.200']);
    expect(metadataAddresses(provider('gcp'))).toEqual(['169.254.169.254']);
    expect(metadataAddresses(provider(undefined))).toEqual(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);
  });
});

describe('node facts', () => {
  it('finds public ExternalIPs only (InternalIP and private ExternalIPs do not count)', () => {
    const nodes: K8sObject[] = [
      node('a', { status: { addresses: [{ type: 'InternalIP', address: '52.1.2.3' }, { type: 'ExternalIP', address: '10.0.0.5' }] } }),
      node('b', { status: { addresses: [{ type: 'ExternalIP', address: '2a05:d018::1' }, { type: 'ExternalIP', address: '100.64.0.9' }] } }),
    ];
    const { snapshot } = snapshotFromObjects(nodes);
    expect(publicNodes(snapshot)).toEqual([{ name: 'b', ips: ['2a05:d018::1'] }]);
  });

  it('parses instance ids and pools', () => {
    expect(awsInstanceId(node('n', { spec: { providerID: 'aws:///eu-west-1a/i-0abc123def4567890' } }))).toBe('i-0abc123def4567890');
    expect(awsInstanceId(node('n', { spec: { providerID: 'aws:///eu-west-1a/fargate-ip-10-0-1-2' } }))).toBeUndefined();
    expect(gceInstance(node('n', { spec: { providerID: 'gce://acme/europe-west1-b/gke-x-1' } }))).toEqual({ project: 'acme', zone: 'europe-west1-b', name: 'gke-x-1' });
    expect(nodePool(node('n', { metadata: { name: 'n', labels: { 'cloud.google.com/gke-nodepool': 'default-pool' } } }))).toBe('default-pool');
    expect(nodePool(node('n'))).toBeUndefined();
  });

  it('quotes every instance id in the IMDS command', () => {
    expect(awsImdsCommand(["i-1'; rm -rf ~; '"], 'eu-west-1')).toBe(`aws ec2 describe-instances --instance-ids 'i-1'\\''; rm -rf ~; '\\''' --region 'eu-west-1' --query 'Reservations[].Instances[].[InstanceId,MetadataOptions]'`);
    expect(awsImdsCommand([])).toContain("'<instance-id>'");
  });

  it('samples long lists', () => {
    expect(sample(['a', 'b'])).toBe('a, b');
    expect(sample(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
  });
});

describe('cloud credential variables', () => {
  it('recognises key formats', () => {
    expect(CLOUD_CREDENTIAL_VARS['AWS_ACCESS_KEY_ID']?.format?.test('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(CLOUD_CREDENTIAL_VARS['AWS_ACCESS_KEY_ID']?.format?.test('ASIAY34FZKBOKMUTVV7A')).toBe(true);
    expect(CLOUD_CREDENTIAL_VARS['AWS_ACCESS_KEY_ID']?.format?.test('changeme')).toBe(false);
    expect(CLOUD_CREDENTIAL_VARS['AWS_SECRET_ACCESS_KEY']?.format?.test('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(true);
    expect(CLOUD_CREDENTIAL_VARS['GOOGLE_APPLICATION_CREDENTIALS']?.path).toBe(true);
  });
});

describe('etcdUnavailable', () => {
  const mirror = (component: string, command: string[]): K8sObject => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${component}-cp-1`, namespace: 'kube-system', labels: { component, tier: 'control-plane' }, annotations: { 'kubernetes.io/config.mirror': 'x' } },
    spec: { nodeName: 'cp-1', containers: [{ name: component, command }] },
  });

  it('is undefined when an etcd static pod is visible', () => {
    const { snapshot } = snapshotFromObjects([mirror('etcd', ['etcd', '--cert-file=/x'])]);
    expect(etcdUnavailable(snapshot)).toBeUndefined();
  });

  it('names external etcd from the API server flags', () => {
    const { snapshot } = snapshotFromObjects([mirror('kube-apiserver', ['kube-apiserver', '--etcd-servers=https://10.0.5.1:2379,https://10.0.5.2:2379'])]);
    expect(etcdUnavailable(snapshot)).toMatchObject({ status: 'unable', reason: expect.stringContaining('external etcd (kube-apiserver --etcd-servers=https://10.0.5.1:2379, https://10.0.5.2:2379') });
  });

  it('is unable (never pass/fail) when nothing is visible', () => {
    const { snapshot } = snapshotFromObjects([]);
    expect(etcdUnavailable(snapshot)?.status).toBe('unable');
  });
});
