/**
 * Provider detection (CHECKS.md §1.6, Appendix C.1) and the provider commands that `unable`
 * results quote. Order: node `spec.providerID`, node labels, the `/version` gitVersion suffix,
 * then the API server host name. A hosted control plane (EKS, GKE, AKS) is only "managed"
 * when no control-plane static pods are visible: kubeadm on EC2 is AWS but self-managed.
 */
import type { Node, Pod } from './k8s.js';
import { command } from './shell.js';
import type { Snapshot } from './snapshot.js';

export type ProviderId =
  | 'aws' | 'gcp' | 'azure' | 'oci' | 'openstack' | 'ibm' | 'vsphere' | 'alibaba'
  | 'kind' | 'minikube' | 'k3s' | 'rke2' | 'openshift';

export interface ProviderInfo {
  /** undefined when nothing identified the platform. */
  readonly id?: ProviderId;
  /** Display name, e.g. `Amazon EKS` or `AWS (self-managed)`. */
  readonly name: string;
  /** The platform is a hosted Kubernetes offering (EKS/GKE/AKS markers, not just a cloud VM). */
  readonly hosted: boolean;
  /** Hosted and no control-plane static pods are visible: control-plane checks are `unable`. */
  readonly managedControlPlane: boolean;
  /** What identified it, for messages: `node providerID aws://…`. */
  readonly evidence?: string;
  /** Cluster coordinates parsed from the kubeconfig cluster name, when it carries them. */
  readonly cluster: ClusterCoordinates;
}

export interface ClusterCoordinates {
  readonly name?: string;
  readonly region?: string;
  readonly project?: string;
  readonly location?: string;
}

const PROVIDER_ID_PREFIXES: readonly (readonly [string, ProviderId])[] = [
  ['aws://', 'aws'], ['gce://', 'gcp'], ['azure://', 'azure'], ['openstack://', 'openstack'], ['ibm://', 'ibm'],
  ['ocid1.', 'oci'], ['oci://', 'oci'], ['vsphere://', 'vsphere'], ['kind://', 'kind'], ['alicloud://', 'alibaba'], ['k3s://', 'k3s'],
];

const CONTROL_PLANE_COMPONENTS = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']);

/** D-CP is non-empty: a mirror pod in kube-system labelled as a control-plane component. */
export function hasControlPlanePods(snapshot: Snapshot): boolean {
  return snapshot.list<Pod>('pods').some((p) => {
    const meta = p.metadata;
    if (meta?.namespace !== 'kube-system') return false;
    const mirror = meta.annotations?.['kubernetes.io/config.mirror'] !== undefined || meta.ownerReferences?.some((r) => r.kind === 'Node') === true;
    return mirror && CONTROL_PLANE_COMPONENTS.has(meta.labels?.['component'] ?? '');
  });
}

/** Cluster coordinates from kubeconfig cluster names: EKS ARN / eksctl, GKE `gke_<project>_<location>_<name>`. */
export function clusterCoordinates(kubeconfigCluster: string | undefined): ClusterCoordinates {
  const name = kubeconfigCluster ?? '';
  const arn = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):\d+:cluster\/(.+)$/.exec(name);
  if (arn) return { region: arn[1], name: arn[2] };
  const eksctl = /^([^.]+)\.([a-z0-9-]+)\.eksctl\.io$/.exec(name);
  if (eksctl) return { name: eksctl[1], region: eksctl[2] };
  const gke = /^gke_([^_]+)_([^_]+)_(.+)$/.exec(name);
  if (gke) return { project: gke[1], location: gke[2], name: gke[3] };
  return {};
}

const NAMES: Readonly<Record<ProviderId, readonly [hosted: string, cloud: string]>> = {
  aws: ['Amazon EKS', 'AWS'], gcp: ['Google GKE', 'Google Cloud'], azure: ['Azure AKS', 'Azure'], oci: ['Oracle OKE', 'Oracle Cloud'],
  openstack: ['OpenStack', 'OpenStack'], ibm: ['IBM Cloud Kubernetes Service', 'IBM Cloud'], vsphere: ['vSphere', 'vSphere'],
  alibaba: ['Alibaba ACK', 'Alibaba Cloud'], kind: ['kind', 'kind'], minikube: ['minikube', 'minikube'], k3s: ['k3s', 'k3s'],
  rke2: ['RKE2', 'RKE2'], openshift: ['OpenShift', 'OpenShift'],
};

export function detectProvider(snapshot: Snapshot): ProviderInfo {
  const git = snapshot.version?.gitVersion ?? '';
  const host = hostName(snapshot.kubeconfig?.server);
  const cluster = clusterCoordinates(snapshot.kubeconfig?.cluster);
  let id: ProviderId | undefined;
  let hosted = false;
  let evidence: string | undefined;

  for (const node of snapshot.list<Node>('nodes')) {
    const pid = node.spec?.providerID ?? '';
    const labels = node.metadata?.labels ?? {};
    const byLabel: ProviderId | undefined =
      labels['eks.amazonaws.com/nodegroup'] !== undefined || labels['eks.amazonaws.com/compute-type'] !== undefined ? 'aws'
        : labels['cloud.google.com/gke-nodepool'] !== undefined ? 'gcp'
          : labels['kubernetes.azure.com/cluster'] !== undefined ? 'azure'
            : labels['minikube.k8s.io/name'] !== undefined ? 'minikube' : undefined;
    if (byLabel && byLabel !== 'minikube') {
      id = byLabel;
      hosted = true;
      evidence = `node ${node.metadata?.name ?? ''} labels`;
      break;
    }
    const prefix = PROVIDER_ID_PREFIXES.find(([p]) => pid.startsWith(p));
    if (!id && prefix) {
      id = prefix[1];
      evidence = `node ${node.metadata?.name ?? ''} providerID ${pid.slice(0, 60)}`;
    } else if (!id && byLabel) {
      id = byLabel;
      evidence = `node ${node.metadata?.name ?? ''} labels`;
    }
  }
  if (git.includes('-eks-')) [id, hosted, evidence] = ['aws', true, `version ${git}`];
  else if (git.includes('-gke.')) [id, hosted, evidence] = ['gcp', true, `version ${git}`];
  else if (git.includes('+k3s')) [id, evidence] = ['k3s', `version ${git}`];
  else if (git.includes('+rke2')) [id, evidence] = ['rke2', `version ${git}`];
  if (!hosted) {
    if (host.endsWith('.eks.amazonaws.com')) [id, hosted, evidence] = ['aws', true, `API host ${host}`];
    else if (host.endsWith('.azmk8s.io')) [id, hosted, evidence] = ['azure', true, `API host ${host}`];
  }
  if (!hosted && (cluster.region !== undefined || cluster.project !== undefined) && (id === undefined || id === 'aws' || id === 'gcp')) {
    const fromName: ProviderId = cluster.project !== undefined ? 'gcp' : 'aws';
    if (id === undefined || id === fromName) [id, hosted, evidence] = [fromName, true, `kubeconfig cluster ${snapshot.kubeconfig?.cluster ?? ''}`];
  }
  const managedControlPlane = hosted && snapshot.has('pods') && !hasControlPlanePods(snapshot);
  const name = id === undefined ? 'unknown platform' : hosted ? NAMES[id][0] : id === 'aws' || id === 'gcp' || id === 'azure' || id === 'oci' ? `${NAMES[id][1]} (self-managed)` : NAMES[id][1];
  return { ...(id !== undefined ? { id } : {}), name, hosted, managedControlPlane, ...(evidence !== undefined ? { evidence } : {}), cluster };
}

function hostName(server: string | undefined): string {
  if (!server) return '';
  try {
    return new URL(server).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return '';
  }
}

/** What a managed-cluster `unable` message asks the user to look at. */
export type ProviderTopic = 'control-plane' | 'audit' | 'encryption' | 'kubelet' | 'network-policy' | 'endpoint' | 'identity' | 'etcd';

/**
 * The provider command(s) that let the user verify what the Kubernetes API cannot show
 * (Appendix C.1), every value quoted. Unknown names become `<cluster>` placeholders.
 */
export function providerCommands(provider: ProviderInfo, topic: ProviderTopic): string[] {
  const c = provider.cluster;
  const name = c.name ?? '<cluster>';
  switch (provider.id) {
    case 'aws': {
      const region = c.region ? command` --region ${c.region}` : '';
      const query: Record<ProviderTopic, string> = {
        'control-plane': 'cluster', audit: 'cluster.logging', encryption: 'cluster.encryptionConfig', kubelet: 'cluster',
        'network-policy': 'cluster.kubernetesNetworkConfig', endpoint: 'cluster.resourcesVpcConfig', identity: 'cluster.identity', etcd: 'cluster.encryptionConfig',
      };
      return [command`aws eks describe-cluster --name ${name}` + region + command` --query ${query[topic]}`];
    }
    case 'gcp': {
      const where = c.location ? command` --location ${c.location}` + (c.project ? command` --project ${c.project}` : '') : ` --location=<location>`;
      const fields: Record<ProviderTopic, string> = {
        'control-plane': 'json', audit: 'value(loggingConfig)', encryption: 'value(databaseEncryption)', kubelet: 'value(nodePoolDefaults,nodeConfig)',
        'network-policy': 'value(networkConfig.datapathProvider,networkPolicy)', endpoint: 'value(privateClusterConfig,masterAuthorizedNetworksConfig)',
        identity: 'value(workloadIdentityConfig)', etcd: 'value(databaseEncryption)',
      };
      return [command`gcloud container clusters describe ${name}` + where + command` ${`--format=${fields[topic]}`}`];
    }
    case 'azure': {
      const query: Record<ProviderTopic, string> = {
        'control-plane': '', audit: 'addonProfiles', encryption: 'securityProfile.azureKeyVaultKms', kubelet: 'agentPoolProfiles',
        'network-policy': 'networkProfile.networkPolicy', endpoint: 'apiServerAccessProfile', identity: 'securityProfile.workloadIdentity', etcd: 'securityProfile.azureKeyVaultKms',
      };
      const q = query[topic] ? command` --query ${query[topic]}` : '';
      return [command`az aks show -g ${'<resource-group>'} -n ${name}` + q];
    }
    case 'k3s':
      return ['# k3s runs the control plane in-process: check /etc/rancher/k3s/config.yaml or the k3s server flags on the server nodes'];
    case 'rke2':
      return ['# RKE2: check /etc/rancher/rke2/config.yaml on the server nodes'];
    case 'openshift':
      return ['oc get configmap config -n openshift-kube-apiserver -o yaml'];
    default:
      return ['# check the control-plane configuration with your distribution or provider'];
  }
}
