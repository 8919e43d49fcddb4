import { parse } from 'yaml';
import { evidence, findings, unable } from '../../src/engine/helpers.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { hostOf, isIpAddress, isPublicAddress } from '../../src/engine/net.js';
import { clusterCoordinates, detectProvider, type ClusterCoordinates, type ProviderInfo } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence } from '../../src/engine/types.js';

type Provider = 'aws' | 'gcp' | 'azure';

const ACL_NOTE = 'network ACLs / authorized networks are not visible through the Kubernetes API — verify them';

interface EndpointSlice extends K8sObject {
  readonly endpoints?: readonly { readonly addresses?: readonly string[] }[];
}

/** `clusters[].cluster.server` of the kube-public/cluster-info kubeconfig; a malformed one yields nothing. */
export function clusterInfoServers(kubeconfigText: string | undefined): string[] {
  if (!kubeconfigText) return [];
  try {
    const doc = parse(kubeconfigText) as { clusters?: { cluster?: { server?: unknown } }[] } | null;
    if (!doc || !Array.isArray(doc.clusters)) return [];
    return doc.clusters.map((c) => c?.cluster?.server).filter((s): s is string => typeof s === 'string' && s !== '');
  } catch {
    return [];
  }
}

/**
 * R-API-NET for the detected hosted providers (all three when unknown), every value quoted.
 * `coordinates` (from provider detection) name the cluster; else they come from the kubeconfig cluster name.
 */
export function apiNetworkCommands(providers: readonly Provider[], kubeconfigCluster: string, coordinates?: ClusterCoordinates): string[] {
  const c = coordinates ?? clusterCoordinates(kubeconfigCluster);
  const lines: string[] = [];
  const all = providers.length === 0;
  if (all || providers.includes('aws')) {
    const name = c.name ?? (providers.includes('aws') ? kubeconfigCluster : '<cluster>');
    const region = c.region ? command` --region ${c.region}` : '';
    lines.push(
      '# Amazon EKS',
      command`aws eks describe-cluster --name ${name}` + region + ' --query cluster.resourcesVpcConfig',
      command`aws eks update-cluster-config --name ${name}` + region + command` --resources-vpc-config ${'endpointPrivateAccess=true,endpointPublicAccess=true,publicAccessCidrs=<admin-cidr>'}`,
    );
  }
  if (all || providers.includes('gcp')) {
    const name = c.name ?? (providers.includes('gcp') ? kubeconfigCluster : '<cluster>');
    const where = command` --location ${c.location ?? '<location>'}` + (c.project ? command` --project ${c.project}` : '');
    lines.push(
      '# Google GKE',
      command`gcloud container clusters describe ${name}` + where + command` ${'--format=value(privateClusterConfig,masterAuthorizedNetworksConfig)'}`,
      command`gcloud container clusters update ${name}` + where + command` --enable-master-authorized-networks ${'--master-authorized-networks=<admin-cidr>'}`,
    );
  }
  if (all || providers.includes('azure')) {
    const name = c.name ?? (providers.includes('azure') ? kubeconfigCluster : '<cluster>');
    const rg = c.resourceGroup ?? '<resource-group>';
    lines.push(
      '# Azure AKS',
      command`az aks show -g ${rg} -n ${name} --query apiServerAccessProfile`,
      command`az aks update -g ${rg} -n ${name} --api-server-authorized-ip-ranges ${'<admin-cidr>'}`,
    );
  }
  if (all) lines.push('# self-managed: allow 6443 only from admin networks, a VPN or a bastion in the cloud firewall');
  return lines;
}

/** Self-managed control plane (kubeadm on EC2, GCE, Azure VMs or elsewhere): the firewall in front of 6443. */
function selfManagedCommands(provider: ProviderInfo): string[] {
  const lines = [`# self-managed control plane (${provider.name}): allow 6443 only from admin networks, a VPN or a bastion`];
  switch (provider.id) {
    case 'aws':
      lines.push(command`aws ec2 describe-security-groups --filters ${'Name=ip-permission.to-port,Values=6443'} --query ${'SecurityGroups[].[GroupId,GroupName,IpPermissions]'}`);
      break;
    case 'gcp':
      lines.push(command`gcloud compute firewall-rules list ${'--filter=allowed[].ports:6443'} ${'--format=table(name,sourceRanges.list(),allowed[].map().firewall_rule().list())'}`);
      break;
    case 'azure':
      lines.push(command`az network nsg list --query ${"[].securityRules[?destinationPortRange=='6443'].[name,sourceAddressPrefix,access]"}`);
      break;
    default:
      lines.push('# check the firewall or load balancer in front of the API server');
  }
  return lines;
}

export const check: Check = {
  id: 'cloud/public-api-endpoint',
  layer: 'cloud',
  title: 'API server endpoint has a public address',
  severity: 'high',
  description:
    'Inspects the API server address of the kubeconfig context (literal IP or its DNS answers) and the servers in the kube-public/cluster-info ' +
    'kubeconfig (literal IPs; host names there are not resolved). Fails when any address is public (outside 10/8, 172.16/12, 192.168/16, ' +
    '100.64/10, 127/8, 169.254/16, ::1, fc00::/7, fe80::/10). The default/kubernetes EndpointSlice addresses are evidence only. ' +
    'Network ACLs and authorized networks are not visible through the Kubernetes API.',
  remediation: 'Make the API endpoint private, or restrict its public endpoint to admin networks with the provider\'s authorized networks or a firewall.',
  references: [
    ref.fourC('Network access to API Server'), ref.nsa('Network separation (Control plane hardening)'), ref.kubescape('C-0227'),
    ref.kubescape('C-0228'), ref.kubescape('C-0247'), ref.kubescape('C-0252'),
  ],
  needs: ['kubeconfig'],
  optionalNeeds: ['cluster-info', 'endpointslices', 'nodes', 'version'],
  evaluate: (snapshot) => {
    const kc = snapshot.kubeconfig;
    if (!kc) return unable('the kubeconfig context is not available');
    const host = hostOf(kc.server);
    const provider = detectProvider(snapshot);
    const hosted = provider.hosted && (provider.id === 'aws' || provider.id === 'gcp' || provider.id === 'azure') ? [provider.id] : [];
    const commands = hosted.length > 0 ? apiNetworkCommands(hosted, kc.cluster, provider.cluster)
      : provider.id !== undefined ? selfManagedCommands(provider) : apiNetworkCommands([], kc.cluster);
    const providerText = provider.id === undefined ? 'provider not detected; commands for EKS, GKE and AKS'
      : `provider: ${provider.id}${provider.hosted ? '' : ' (self-managed)'}`;

    const ev: Evidence[] = [];
    const publicAddresses: string[] = [];
    for (const address of kc.serverAddresses) {
      const isPublic = isPublicAddress(address);
      if (isPublic) publicAddresses.push(address);
      ev.push(evidence(`kubeconfig.clusters[${kc.cluster}].server`, `${kc.server} → ${address} (${isPublic ? 'public' : 'private'}${isIpAddress(host) ? '' : ', DNS'})`));
    }
    const unresolved: string[] = [];
    for (const server of clusterInfoServers(snapshot.clusterInfo?.data?.kubeconfig)) {
      const h = hostOf(server);
      if (isIpAddress(h)) {
        const isPublic = isPublicAddress(h);
        if (isPublic && !publicAddresses.includes(h)) publicAddresses.push(h);
        ev.push(evidence('kube-public/cluster-info.data.kubeconfig.clusters[].cluster.server', `${server} (${isPublic ? 'public' : 'private'})`));
      } else {
        if (h !== host) unresolved.push(h);
        ev.push(evidence('kube-public/cluster-info.data.kubeconfig.clusters[].cluster.server', `${server} (host name not resolved)`));
      }
    }
    for (const slice of snapshot.list<EndpointSlice>('endpointslices')) {
      if (slice.metadata?.namespace !== 'default' || slice.metadata.labels?.['kubernetes.io/service-name'] !== 'kubernetes') continue;
      const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
      if (addresses.length > 0) ev.push(evidence('default/kubernetes EndpointSlice addresses (evidence only)', addresses));
    }
    const unresolvedText = unresolved.length > 0 ? `; cluster-info names ${unresolved.map((h) => `"${h}"`).join(', ')}, which was not resolved` : '';

    const verify = commands.filter((l) => !l.startsWith('#') && !/ update(-cluster-config)? /.test(l)).join('; ');
    if (publicAddresses.length > 0) {
      return findings([{
        // The host names the endpoint: the port (random for the demo) and scheme stay out of the finding key; the message keeps the URL.
        subject: { kind: 'APIServer', name: host },
        message: `the API server of context "${kc.context}" (${kc.server}) has public address ${publicAddresses.join(', ')}${unresolvedText}; ${ACL_NOTE} (${providerText})`,
        evidence: ev,
        remediation: {
          why: 'A reachable API server is the first target for credential stuffing, stolen tokens and API-server CVEs; the 4C\'s page says control-plane access should not be public and should be limited to admin IP ranges.',
          fix: `Use a private endpoint, or keep the public endpoint but restrict it to admin CIDRs (authorized networks); self-managed: firewall 6443 to admin networks, a VPN or a bastion. ${ACL_NOTE[0]?.toUpperCase()}${ACL_NOTE.slice(1)}.`,
          command: commands.join('\n'),
        },
      }]);
    }
    if (kc.serverAddresses.length === 0) {
      return unable(`could not resolve the API server host "${host}"${kc.dnsError ? `: ${kc.dnsError}` : ''}${unresolvedText}; ${ACL_NOTE} (${providerText}): ${verify || 'check the firewall in front of port 6443'}`);
    }
    return findings([], `API server addresses are private (${kc.serverAddresses.join(', ')})${unresolvedText}; ${ACL_NOTE} (${providerText})${verify ? `: ${verify}` : ''}`);
  },
};
