import { awsInstanceId } from '../../src/engine/cloud.js';
import { evidence, findings } from '../../src/engine/helpers.js';
import type { Node } from '../../src/engine/k8s.js';
import { isPublicAddress } from '../../src/engine/net.js';
import { detectProvider, type ProviderInfo } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

type Provider = 'aws' | 'gcp' | 'azure' | 'other';

/** Node-pool labels (CHECKS.md row), in order of preference. */
const POOL_LABELS: readonly { readonly label: string; readonly provider: Provider }[] = [
  { label: 'eks.amazonaws.com/nodegroup', provider: 'aws' },
  { label: 'cloud.google.com/gke-nodepool', provider: 'gcp' },
  { label: 'kubernetes.azure.com/agentpool', provider: 'azure' },
];

/** CHECKS.md §1.6 from one node: providerID prefix, then labels. */
function providerOf(node: Node): Provider {
  const id = node.spec?.providerID ?? '';
  const labels = node.metadata?.labels ?? {};
  if (id.startsWith('aws://') || labels['eks.amazonaws.com/nodegroup'] !== undefined || labels['eks.amazonaws.com/compute-type'] !== undefined) return 'aws';
  if (id.startsWith('gce://') || labels['cloud.google.com/gke-nodepool'] !== undefined) return 'gcp';
  if (id.startsWith('azure://') || labels['kubernetes.azure.com/cluster'] !== undefined || labels['kubernetes.azure.com/agentpool'] !== undefined) return 'azure';
  return 'other';
}

function fixFor(provider: Provider, pool: string | undefined, info: ProviderInfo, instances: readonly string[]): { fix: string; command?: string } {
  const cluster = info.cluster.name ?? '<cluster>';
  switch (provider) {
    case 'gcp':
      return {
        fix: 'Move the workloads to a node pool with private nodes (egress through Cloud NAT), then delete this pool; firewall 10250 and the NodePort range meanwhile.',
        command: command`gcloud container node-pools create ${`${pool ?? 'pool'}-private`} --cluster ${cluster}` + (info.cluster.location ? command` --location ${info.cluster.location}` : '') + ' --enable-private-nodes',
      };
    case 'aws':
      if (!info.hosted || pool === undefined) {
        const ids = instances.length > 0 ? instances : ['<instance-id>'];
        return {
          fix: 'Move the instances to private subnets (egress through a NAT gateway), disable auto-assign public IPv4 on those subnets and release the public addresses; restrict 10250 and the NodePort range in the security groups meanwhile.',
          command: `${command`aws ec2 describe-instances --instance-ids`} ${ids.map((i) => command`${i}`).join(' ')}${command` --query ${'Reservations[].Instances[].[InstanceId,PublicIpAddress,SubnetId,SecurityGroups]'}`}`,
        };
      }
      return {
        fix: 'Run the node group in private subnets (egress through a NAT gateway) and disable auto-assign public IPv4 on those subnets; restrict 10250 and the NodePort range in the security groups meanwhile.',
        command: command`aws eks describe-nodegroup --cluster-name ${cluster} --nodegroup-name ${pool}` + (info.cluster.region ? command` --region ${info.cluster.region}` : '') + ' --query nodegroup.subnets',
      };
    case 'azure':
      return {
        fix: 'AKS nodes have no public IP unless the pool was created with --enable-node-public-ip: recreate the pool without it; restrict 10250 and the NodePort range in the NSG meanwhile.',
        command: command`az aks nodepool show --resource-group ${info.cluster.resourceGroup ?? '<resource-group>'} --cluster-name ${cluster} --name ${pool ?? '<pool>'} --query enableNodePublicIp`,
      };
    default:
      return { fix: 'Put the nodes on private networks (egress through NAT) or firewall them so only the control plane and the load balancers can reach them (10250, NodePort range, SSH).' };
  }
}

export const check: Check = {
  id: 'cloud/node-public-ip',
  layer: 'cloud',
  title: 'Nodes have public IP addresses',
  severity: 'medium',
  description:
    'Inspects status.addresses[type=ExternalIP] of every node. Fails when an ExternalIP is public (outside 10/8, 172.16/12, 192.168/16, ' +
    '100.64/10, 127/8, 169.254/16, ::1, fc00::/7, fe80::/10). One finding per node pool (eks.amazonaws.com/nodegroup, ' +
    'cloud.google.com/gke-nodepool, kubernetes.azure.com/agentpool), else per node. Cloud firewalls are not visible through the API.',
  remediation: 'Run nodes on private networks with egress through NAT and expose workloads only through load balancers or ingress.',
  references: [
    ref.fourC('Network access to Nodes'), ref.nsa('Network separation (Worker node segmentation)'), ref.kubescape('C-0229'), ref.kubescape('C-0248'),
  ],
  needs: ['nodes'],
  evaluate: (snapshot) => {
    interface Group { kind: 'NodePool' | 'Node'; name: string; provider: Provider; pool?: string; nodes: { name: string; ips: string[]; instance?: string }[] }
    const info = detectProvider(snapshot);
    const groups = new Map<string, Group>();
    for (const node of snapshot.list<Node>('nodes')) {
      const ips = (node.status?.addresses ?? []).filter((a) => a.type === 'ExternalIP' && isPublicAddress(a.address)).map((a) => a.address);
      if (ips.length === 0) continue;
      const name = node.metadata?.name ?? '';
      const labels = node.metadata?.labels ?? {};
      const poolLabel = POOL_LABELS.find((p) => labels[p.label] !== undefined);
      const pool = poolLabel ? labels[poolLabel.label] : undefined;
      const key = poolLabel ? `pool:${poolLabel.label}=${pool}` : `node:${name}`;
      const group = groups.get(key) ?? {
        kind: poolLabel ? 'NodePool' : 'Node', name: pool ?? name, provider: providerOf(node), ...(pool !== undefined ? { pool } : {}), nodes: [],
      };
      const instance = awsInstanceId(node);
      group.nodes.push({ name, ips, ...(instance ? { instance } : {}) });
      groups.set(key, group);
    }

    const out: FindingDraft[] = [];
    for (const g of groups.values()) {
      const shown = g.nodes.slice(0, 5).map((n) => `${n.name} (${n.ips.join(', ')})`).join(', ');
      const more = g.nodes.length > 5 ? ` and ${g.nodes.length - 5} more` : '';
      const ev: Evidence[] = g.nodes.slice(0, 20).flatMap((n) => n.ips.map((ip) => evidence(`nodes[name=${n.name}].status.addresses[type=ExternalIP].address`, ip)));
      const { fix, command: cmd } = fixFor(g.provider, g.pool, info, g.nodes.map((n) => n.instance).filter((i): i is string => i !== undefined).slice(0, 10));
      out.push({
        subject: { kind: g.kind, name: g.name },
        message: g.kind === 'NodePool'
          ? `node pool "${g.name}" has ${g.nodes.length} ${g.nodes.length === 1 ? 'node' : 'nodes'} with a public ExternalIP: ${shown}${more}`
          : `Node "${g.name}" has a public ExternalIP: ${g.nodes[0]?.ips.join(', ') ?? ''}`,
        evidence: ev,
        remediation: {
          why: 'A node on the public internet exposes the kubelet (10250), every NodePort and SSH to scanning; nodes should accept connections only from the control plane and load balancers.',
          fix: `${fix} Cloud firewall rules are not visible through the Kubernetes API — verify them.`,
          ...(cmd ? { command: cmd } : {}),
        },
      });
    }
    return findings(out);
  },
};
