import { describe, expect, it } from 'vitest';
import { detectCni, flagValue, imageRepository } from '../../src/engine/cni.js';
import type { Container, K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';

function ds(namespace: string, name: string, containers: Partial<Container>[]): K8sObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace },
    spec: { template: { spec: { containers: containers.map((c, i) => ({ name: `c${i}`, ...c })) } } },
  };
}

const calico = ds('kube-system', 'calico-node', [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.2' }]);
const flannel = ds('kube-flannel', 'kube-flannel-ds', [{ name: 'kube-flannel', image: 'docker.io/flannel/flannel:v0.25.6' }]);
const awsNode = (agent?: Partial<Container>) => ds('kube-system', 'aws-node', [
  { name: 'aws-node', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.5-eksbuild.1' },
  ...(agent ? [{ name: 'aws-eks-nodeagent', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.3-eksbuild.1', ...agent }] : []),
]);
const vpcCniConfig = (value: string): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' }, data: { 'enable-network-policy-controller': value } });

describe('imageRepository', () => {
  it.each([
    ['docker.io/calico/node:v3.28.2', 'calico/node'],
    ['calico/node', 'calico/node'],
    ['quay.io/cilium/cilium:v1.16.1@sha256:abc', 'cilium/cilium'],
    ['localhost:5000/flannel/flannel:v1', 'flannel/flannel'],
    ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.5', 'amazon-k8s-cni'],
  ])('%s → %s', (image, repo) => expect(imageRepository(image)).toBe(repo));
});

describe('flagValue', () => {
  it.each<[string[], string | undefined]>([
    [['--enable-network-policy=true'], 'true'],
    [['--enable-network-policy', 'false'], 'false'],
    [['--enable-network-policy'], 'true'],
    [['--enable-network-policy=false', '--enable-network-policy=true'], 'true'],
    [['--other=1'], undefined],
  ])('%o', (args, expected) => expect(flagValue({ name: 'c', args }, '--enable-network-policy')).toBe(expected));
});

describe('detectCni (Appendix C.2)', () => {
  it.each<[string, K8sObject[], string, boolean | 'unknown']>([
    ['Calico', [calico], 'Calico', true],
    ['Calico by image in calico-system', [ds('calico-system', 'node', [{ image: 'quay.io/calico/node:v3.29.0' }])], 'Calico', true],
    ['canal', [ds('kube-system', 'canal', [{ image: 'calico/node:v3.28' }, { image: 'flannel/flannel:v0.25' }])], 'Canal (flannel + Calico policy)', true],
    ['RKE2 canal', [ds('kube-system', 'rke2-canal', [{ image: 'rancher/hardened-calico:v3.28' }, { image: 'rancher/hardened-flannel:v0.25' }])], 'Canal (flannel + Calico policy)', true],
    ['flannel alone', [flannel], 'flannel', false],
    ['flannel next to Calico', [flannel, calico], 'Calico + flannel', true],
    ['Cilium', [ds('kube-system', 'cilium', [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16.1' }])], 'Cilium', true],
    ['Cilium policy disabled', [ds('kube-system', 'cilium', [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16.1', args: ['--enable-policy=never'] }])], 'Cilium', false],
    ['GKE Dataplane V2', [ds('kube-system', 'anetd', [{ image: 'gke.gcr.io/cilium/cilium:v1.14' }]), ds('kube-system', 'netd', [{ image: 'gke.gcr.io/netd:v0.3' }])], 'Cilium + GKE netd', true],
    ['GKE netd alone', [ds('kube-system', 'netd', [{ image: 'gke.gcr.io/netd:v0.3' }])], 'GKE netd', false],
    ['Antrea', [ds('kube-system', 'antrea-agent', [{ image: 'antrea/antrea-agent-ubuntu:v2.1.0' }])], 'Antrea', true],
    ['kube-router', [ds('kube-system', 'kube-router', [{ image: 'docker.io/cloudnativelabs/kube-router:v2.2', args: ['--run-router=true', '--run-firewall=true'] }])], 'kube-router', true],
    ['kube-router without firewall', [ds('kube-system', 'kube-router', [{ image: 'cloudnativelabs/kube-router:v2.2', args: ['--run-firewall=false'] }])], 'kube-router', false],
    ['OVN-Kubernetes', [ds('openshift-ovn-kubernetes', 'ovnkube-node', [{ image: 'quay.io/openshift/ovn-kubernetes:4.16' }])], 'OVN-Kubernetes', true],
    ['Weave with npc', [ds('kube-system', 'weave-net', [{ name: 'weave', image: 'weaveworks/weave-kube:2.8.1' }, { name: 'weave-npc', image: 'weaveworks/weave-npc:2.8.1' }])], 'Weave Net (archived project)', true],
    ['Weave without npc', [ds('kube-system', 'weave-net', [{ name: 'weave', image: 'weaveworks/weave-kube:2.8.1' }])], 'Weave Net (archived project)', false],
    ['Azure CNI alone', [ds('kube-system', 'azure-cns', [{ image: 'mcr.microsoft.com/containernetworking/azure-cns:v1.6' }])], 'Azure CNI', false],
    ['Azure CNI + NPM', [ds('kube-system', 'azure-cns', [{ image: 'mcr.microsoft.com/containernetworking/azure-cns:v1.6' }]), ds('kube-system', 'azure-npm', [{ image: 'mcr.microsoft.com/containernetworking/azure-npm:v1.5' }])], 'Azure Network Policy Manager + Azure CNI', true],
    ['AWS VPC CNI without agent', [awsNode()], 'AWS VPC CNI', false],
    ['AWS VPC CNI, agent disabled', [awsNode({ args: ['--enable-network-policy=false'] })], 'AWS VPC CNI', false],
    ['AWS VPC CNI, agent flag unset', [awsNode({ args: ['--enable-ipv6=false'] })], 'AWS VPC CNI', false],
    ['AWS VPC CNI, agent enabled', [awsNode({ args: ['--enable-network-policy=true', '--enable-cloudwatch-logs=false'] })], 'AWS VPC CNI', true],
    ['AWS VPC CNI, agent enabled, controller on', [awsNode({ args: ['--enable-network-policy=true'] }), vpcCniConfig('true')], 'AWS VPC CNI', true],
    ['AWS VPC CNI, agent enabled, controller off', [awsNode({ args: ['--enable-network-policy=true'] }), vpcCniConfig('false')], 'AWS VPC CNI', false],
    ['AWS VPC CNI with Calico policy engine', [awsNode(), calico], 'Calico + AWS VPC CNI', true],
    ['kindnet', [ds('kube-system', 'kindnet', [{ image: 'docker.io/kindest/kindnetd:v20240813-c6f155d6' }])], 'kindnet', 'unknown'],
    ['nothing', [ds('kube-system', 'kube-proxy', [{ image: 'registry.k8s.io/kube-proxy:v1.33.4' }])], 'unknown', 'unknown'],
  ])('%s', (_name, objects, cni, enforces) => {
    const { snapshot } = snapshotFromObjects(objects);
    const result = detectCni(snapshot);
    expect({ cni: result.cni, enforces: result.enforces }).toEqual({ cni, enforces });
    if (enforces !== 'unknown' || result.components.length > 0) expect(result.evidence.length).toBeGreaterThan(0);
  });

  it('says k3s runs its CNI in-process', () => {
    const { snapshot } = snapshotFromObjects([], { version: { major: '1', minor: '33', gitVersion: 'v1.33.4+k3s1' } });
    expect(detectCni(snapshot)).toMatchObject({ cni: 'k3s embedded (flannel)', enforces: 'unknown' });
  });

  it('names the decisive evidence for aws-node', () => {
    const { snapshot } = snapshotFromObjects([awsNode({ args: ['--enable-network-policy=false'] })]);
    const result = detectCni(snapshot);
    expect(result.summary).toContain('--enable-network-policy=false');
    expect(result.evidence.map((e) => e.path)).toContain('daemonsets[namespace=kube-system,name=aws-node].spec.template.spec.containers[name=aws-eks-nodeagent].args');
  });
});
