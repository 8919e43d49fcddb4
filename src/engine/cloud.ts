/**
 * Cloud-layer facts shared by checks/cloud/* (CHECKS.md §2, §1.6, Appendix C.1): which
 * platforms have an instance metadata service, public node addresses, node pools and instance
 * ids, the cloud credential variable names, and the `unable` outcomes of the etcd checks
 * (managed control plane, external etcd). Pure; provider detection itself is provider.ts.
 */
import { controlPlaneInstances, controlPlaneUnavailable } from './control-plane.js';
import { unable } from './helpers.js';
import type { Node, Pod } from './k8s.js';
import { isPublicAddress } from './net.js';
import { detectProvider, providerCommands, type ProviderId, type ProviderInfo } from './provider.js';
import { command } from './shell.js';
import type { Snapshot } from './snapshot.js';
import type { CheckOutcome } from './types.js';

/** Platforms whose nodes run an instance metadata service that hands out cloud credentials. */
const IMDS_PLATFORMS: ReadonlySet<ProviderId> = new Set(['aws', 'gcp', 'azure', 'oci', 'openstack', 'alibaba', 'ibm']);
/** Platforms known to have none (local clusters, vSphere). */
const NO_IMDS_PLATFORMS: ReadonlySet<ProviderId> = new Set(['kind', 'minikube', 'vsphere']);

/**
 * `cloud`: the nodes run on a cloud with an IMDS; `none`: a platform without one;
 * `unknown`: nothing identified the platform, or a distribution (k3s, RKE2, OpenShift) that may run anywhere.
 */
export function metadataPlatform(provider: ProviderInfo): 'cloud' | 'none' | 'unknown' {
  if (provider.id === undefined) return 'unknown';
  if (IMDS_PLATFORMS.has(provider.id)) return 'cloud';
  if (NO_IMDS_PLATFORMS.has(provider.id)) return 'none';
  return 'unknown';
}

/** `169.254.169.254`, plus `fd00:ec2::254` on AWS, `100.100.100.200` on Alibaba; every address when the platform is unknown. */
export function metadataAddresses(provider: ProviderInfo): string[] {
  switch (provider.id) {
    case 'aws': return ['169.254.169.254', 'fd00:ec2::254'];
    case 'alibaba': return ['100.100.100.200'];
    case 'gcp': case 'azure': case 'oci': case 'openstack': case 'ibm': return ['169.254.169.254'];
    default: return ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'];
  }
}

export const AWS_IMDS_NOTE = 'IMDSv2 with hop limit 1 would also block containers; IMDS options are not visible through the Kubernetes API';

/** Public `ExternalIP` addresses of a node (CHECKS.md §2 private-address test). */
export function publicAddressesOf(node: Node): string[] {
  return (node.status?.addresses ?? []).filter((a) => a.type === 'ExternalIP' && isPublicAddress(a.address)).map((a) => a.address);
}

/** Nodes with at least one public ExternalIP. */
export function publicNodes(snapshot: Snapshot): { readonly name: string; readonly ips: readonly string[] }[] {
  return snapshot.list<Node>('nodes')
    .map((n) => ({ name: n.metadata?.name ?? '', ips: publicAddressesOf(n) }))
    .filter((n) => n.ips.length > 0);
}

/** Node-pool labels, in order of preference. */
export const POOL_LABELS: readonly string[] = ['eks.amazonaws.com/nodegroup', 'cloud.google.com/gke-nodepool', 'kubernetes.azure.com/agentpool', 'agentpool'];

export function nodePool(node: Node): string | undefined {
  const labels = node.metadata?.labels ?? {};
  for (const label of POOL_LABELS) if (labels[label]) return labels[label];
  return undefined;
}

/** EC2 instance id from `aws:///eu-west-1a/i-0abc…`. */
export function awsInstanceId(node: Node): string | undefined {
  const id = node.spec?.providerID ?? '';
  const m = /^aws:\/\/\/?[^/]*\/(i-[0-9a-f]+)$/.exec(id);
  return m?.[1];
}

/** GCE `{project, zone, instance}` from `gce://project/zone/instance`. */
export function gceInstance(node: Node): { project: string; zone: string; name: string } | undefined {
  const m = /^gce:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(node.spec?.providerID ?? '');
  return m ? { project: m[1] as string, zone: m[2] as string, name: m[3] as string } : undefined;
}

/** `3 nodes: a, b, c and 4 more` style list. */
export function sample(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * Cloud credential environment variables (CHECKS.md cloud/static-cloud-credentials). `path`:
 * the value names a key file rather than holding the key.
 */
export const CLOUD_CREDENTIAL_VARS: Readonly<Record<string, { readonly cloud: string; readonly path?: boolean; readonly format?: RegExp }>> = {
  AWS_ACCESS_KEY_ID: { cloud: 'AWS', format: /^(AKIA|ASIA)[A-Z0-9]{16}$/ },
  AWS_SECRET_ACCESS_KEY: { cloud: 'AWS', format: /^[A-Za-z0-9/+=]{40}$/ },
  AWS_SESSION_TOKEN: { cloud: 'AWS' },
  AZURE_CLIENT_SECRET: { cloud: 'Azure', format: /^[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}$/ },
  AZURE_CLIENT_CERTIFICATE_PATH: { cloud: 'Azure', path: true },
  ARM_CLIENT_SECRET: { cloud: 'Azure', format: /^[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}$/ },
  GOOGLE_APPLICATION_CREDENTIALS: { cloud: 'Google Cloud', path: true },
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: { cloud: 'Alibaba Cloud', format: /^[A-Za-z0-9]{30}$/ },
  ALICLOUD_SECRET_KEY: { cloud: 'Alibaba Cloud', format: /^[A-Za-z0-9]{30}$/ },
  OCI_CLI_KEY_FILE: { cloud: 'Oracle Cloud', path: true },
  DIGITALOCEAN_ACCESS_TOKEN: { cloud: 'DigitalOcean', format: /^dop_v1_[a-f0-9]{64}$/ },
};

/**
 * The `unable` outcome of an etcd check when no etcd static pod is visible: external etcd
 * (kube-apiserver `--etcd-servers` set, no etcd pod), managed control plane (provider
 * command), k3s/embedded, or missing permissions. undefined when etcd pods are visible.
 */
export function etcdUnavailable(snapshot: Snapshot): CheckOutcome | undefined {
  if (controlPlaneInstances(snapshot, 'etcd').length > 0) return undefined;
  if (!snapshot.has('pods')) return controlPlaneUnavailable(snapshot, 'etcd');
  const external = controlPlaneInstances(snapshot, 'kube-apiserver')
    .map((i) => ({ node: i.node || i.podName, servers: i.flags.get('etcd-servers') }))
    .filter((i): i is { node: string; servers: string } => (i.servers ?? '').trim() !== '');
  if (external.length > 0) {
    const servers = [...new Set(external.flatMap((e) => e.servers.split(',').map((s) => s.trim()).filter(Boolean)))];
    return unable(`external etcd (kube-apiserver --etcd-servers=${sample(servers, 3)}, no etcd static pod in kube-system): check the flags/config file on the etcd hosts`);
  }
  const provider = detectProvider(snapshot);
  const outcome = controlPlaneUnavailable(snapshot, 'etcd', 'control-plane') ?? unable('no etcd static pod is visible in kube-system');
  if (provider.managedControlPlane) {
    return unable(`${outcome.reason ?? ''}; etcd is operated by the provider and not reachable from workloads`);
  }
  return outcome;
}

/** Provider commands as one `; `-joined line for `unable` reasons. */
export function providerHint(provider: ProviderInfo, topic: Parameters<typeof providerCommands>[1]): string {
  return providerCommands(provider, topic).join('; ');
}

/** Pods on a node (live ones), for per-node facts. */
export function podsOnNode(snapshot: Snapshot, node: string): Pod[] {
  return snapshot.list<Pod>('pods').filter((p) => p.spec?.nodeName === node && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

/** `aws ec2 describe-instances` for IMDS options of the given instances (Appendix C.1). */
export function awsImdsCommand(instanceIds: readonly string[], region?: string): string {
  const ids = instanceIds.length > 0 ? instanceIds.slice(0, 10) : ['<instance-id>'];
  return `${command`aws ec2 describe-instances --instance-ids`} ${ids.map((i) => command`${i}`).join(' ')}${region ? command` --region ${region}` : ''}${command` --query ${'Reservations[].Instances[].[InstanceId,MetadataOptions]'}`}`;
}
