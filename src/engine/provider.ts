/**
 * Provider detection (CHECKS.md §1.6, Appendix C.1) and the provider commands that `unable`
 * results quote. Order: node `spec.providerID`, node labels, the `/version` gitVersion suffix,
 * then the API server host name. A hosted control plane (EKS, GKE, AKS) is only "managed"
 * when no control-plane static pods are visible: kubeadm on EC2 is AWS but self-managed.
 */
import type { Namespace, Node, Pod } from './k8s.js';
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
  /** Azure resource group of the AKS cluster (not the node resource group `MC_…`). */
  readonly resourceGroup?: string;
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

const detected = new WeakMap<Snapshot, ProviderInfo>();

/** Memoised per snapshot: two dozen checks ask, and the detection reads every node and pod. */
export function detectProvider(snapshot: Snapshot): ProviderInfo {
  let info = detected.get(snapshot);
  if (!info) {
    info = detect(snapshot);
    detected.set(snapshot, info);
  }
  return info;
}

function detect(snapshot: Snapshot): ProviderInfo {
  const git = snapshot.version?.gitVersion ?? '';
  const host = hostName(snapshot.kubeconfig?.server);
  let cluster = clusterCoordinates(snapshot.kubeconfig?.cluster);
  let id: ProviderId | undefined;
  let hosted = false;
  let evidence: string | undefined;

  const nodes = snapshot.list<Node>('nodes');
  for (const node of nodes) {
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
  // OpenShift runs its control plane as operator-managed pods outside kube-system (Appendix C.1
  // detects it by the config.openshift.io API group; without discovery, its namespaces and node labels).
  const openshift = snapshot.list<Namespace>('namespaces').some((ns) => ns.metadata?.name === 'openshift-kube-apiserver')
    || snapshot.list<Pod>('pods').some((p) => p.metadata?.namespace === 'openshift-kube-apiserver')
    || nodes.some((n) => n.metadata?.labels?.['node.openshift.io/os_id'] !== undefined);
  if (openshift) [id, hosted, evidence] = ['openshift', false, 'openshift-kube-apiserver namespace or node.openshift.io labels'];
  else if (git.includes('-eks-')) [id, hosted, evidence] = ['aws', true, `version ${git}`];
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
  if (hosted) cluster = withNodeCoordinates(cluster, id, nodes, snapshot.kubeconfig?.cluster);
  const name = id === undefined ? 'unknown platform' : hosted ? NAMES[id][0] : id === 'aws' || id === 'gcp' || id === 'azure' || id === 'oci' ? `${NAMES[id][1]} (self-managed)` : NAMES[id][1];
  return { ...(id !== undefined ? { id } : {}), name, hosted, managedControlPlane, ...(evidence !== undefined ? { evidence } : {}), cluster };
}

/**
 * Fill what the kubeconfig name did not give from node labels: the EKS region
 * (`topology.kubernetes.io/region`), the eksctl cluster name, and for AKS the cluster name
 * (`az aks get-credentials` names the kubeconfig cluster after it) plus the resource group
 * from the node resource group label `MC_<resource-group>_<cluster>_<location>`.
 */
function withNodeCoordinates(cluster: ClusterCoordinates, id: ProviderId | undefined, nodes: readonly Node[], kubeconfigCluster: string | undefined): ClusterCoordinates {
  const label = (key: string): string | undefined => nodes.map((n) => n.metadata?.labels?.[key]).find((v) => v !== undefined && v !== '');
  if (id === 'aws') {
    const name = cluster.name ?? label('alpha.eksctl.io/cluster-name');
    const region = cluster.region ?? label('topology.kubernetes.io/region');
    return { ...cluster, ...(name !== undefined ? { name } : {}), ...(region !== undefined ? { region } : {}) };
  }
  if (id === 'azure') {
    const mc = label('kubernetes.azure.com/cluster') ?? '';
    const name = cluster.name ?? (kubeconfigCluster && /^[A-Za-z0-9_-]+$/.test(kubeconfigCluster) ? kubeconfigCluster : undefined);
    const at = name !== undefined ? mc.toLowerCase().lastIndexOf(`_${name}_`.toLowerCase()) : -1;
    if (/^MC_/i.test(mc) && at > 3) return { ...cluster, name: name as string, resourceGroup: mc.slice(3, at) };
    // The kubeconfig name is not the AKS name (renamed context): trust the label when it splits unambiguously.
    const parts = mc.split('_');
    if (parts.length === 4 && /^MC$/i.test(parts[0] ?? '')) return { ...cluster, resourceGroup: parts[1] as string, name: parts[2] as string };
    return { ...cluster, ...(name !== undefined ? { name } : {}) };
  }
  return cluster;
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
export type ProviderTopic = 'control-plane' | 'audit' | 'encryption' | 'kubelet' | 'network-policy' | 'endpoint' | 'identity' | 'etcd' | 'authentication';

/**
 * The provider command(s) that let the user verify what the Kubernetes API cannot show
 * (Appendix C.1). Every value is shell-quoted, including the `<cluster>`-style placeholders
 * used when the cluster coordinates are unknown, so each line runs as one command.
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
        authentication: 'cluster.accessConfig',
      };
      return [command`aws eks describe-cluster --name ${name}` + region + command` --query ${query[topic]}`];
    }
    case 'gcp': {
      const where = command` --location ${c.location ?? '<location>'}` + (c.project ? command` --project ${c.project}` : '');
      const fields: Record<ProviderTopic, string> = {
        'control-plane': 'json', audit: 'value(loggingConfig)', encryption: 'value(databaseEncryption)', kubelet: 'value(nodePoolDefaults,nodeConfig)',
        'network-policy': 'value(networkConfig.datapathProvider,networkPolicy)', endpoint: 'value(privateClusterConfig,masterAuthorizedNetworksConfig)',
        identity: 'value(workloadIdentityConfig)', etcd: 'value(databaseEncryption)', authentication: 'value(anonymousAuthenticationConfig)',
      };
      return [command`gcloud container clusters describe ${name}` + where + command` ${`--format=${fields[topic]}`}`];
    }
    case 'azure': {
      const show = command`az aks show -g ${c.resourceGroup ?? '<resource-group>'} -n ${name}`;
      if (topic === 'audit') {
        // AKS audit logs are a diagnostic setting on the cluster resource (categories kube-audit / kube-audit-admin).
        return [show + ' --query id -o tsv', command`az monitor diagnostic-settings list --resource ${'<aks-resource-id>'}`];
      }
      const query: Record<ProviderTopic, string> = {
        'control-plane': '', audit: '', encryption: 'securityProfile.azureKeyVaultKms', kubelet: 'agentPoolProfiles',
        'network-policy': 'networkProfile.networkPolicy', endpoint: 'apiServerAccessProfile', identity: 'securityProfile.workloadIdentity', etcd: 'securityProfile.azureKeyVaultKms',
        authentication: 'aadProfile',
      };
      return [show + (query[topic] ? command` --query ${query[topic]}` : '')];
    }
    case 'k3s':
      return ['# k3s runs the control plane in-process: check /etc/rancher/k3s/config.yaml or the k3s server flags on the server nodes'];
    case 'rke2':
      return ['# RKE2: check /etc/rancher/rke2/config.yaml (kube-apiserver-arg, kube-controller-manager-arg, kube-scheduler-arg) on the server nodes'];
    case 'openshift':
      return ['kubectl -n openshift-kube-apiserver get configmap config -o yaml'];
    default:
      return ['# check the control-plane configuration with your distribution or provider'];
  }
}
