import { awsInstanceId, metadataPlatform, nodePool, sample } from '../../src/engine/cloud.js';
import { notApplicable, unable } from '../../src/engine/helpers.js';
import type { Node } from '../../src/engine/k8s.js';
import { detectProvider } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cloud/node-iam-least-privilege',
  layer: 'cloud',
  title: 'Node cloud permissions cannot be verified',
  severity: 'info',
  description:
    'Always unable on cloud providers: the IAM role, service account or managed identity of nodes and control plane is outside the Kubernetes ' +
    'API. Lists the node pools (eks.amazonaws.com/nodegroup, cloud.google.com/gke-nodepool, kubernetes.azure.com/agentpool) or instances and the ' +
    'provider commands that show their identity. Not applicable when no cloud provider is detected (bare metal, kind, minikube).',
  remediation: 'Grant nodes only the cloud permissions they need and move workload permissions to workload identity.',
  references: [ref.fourC('Kubernetes access to Cloud Provider API'), ref.kubescape('C-0223'), ref.kubescape('C-0250')],
  needs: ['nodes'],
  optionalNeeds: ['pods', 'version', 'kubeconfig'],
  evaluate: (snapshot) => {
    const provider = detectProvider(snapshot);
    if (metadataPlatform(provider) !== 'cloud') {
      return notApplicable(`no cloud provider detected (${provider.name}): node cloud identities do not apply`);
    }
    const nodes = snapshot.list<Node>('nodes');
    const pools = [...new Set(nodes.map(nodePool).filter((p): p is string => p !== undefined))];
    const c = provider.cluster;
    const cluster = c.name ?? '<cluster>';
    const lines: string[] = [];
    switch (provider.id) {
      case 'aws':
        if (provider.hosted) {
          for (const ng of pools.length > 0 ? pools.slice(0, 5) : ['<nodegroup>']) {
            lines.push(command`aws eks describe-nodegroup --cluster-name ${cluster} --nodegroup-name ${ng}` + (c.region ? command` --region ${c.region}` : '') + ' --query nodegroup.nodeRole');
          }
        } else {
          const ids = nodes.map(awsInstanceId).filter((i): i is string => i !== undefined).slice(0, 10);
          lines.push(`${command`aws ec2 describe-instances --instance-ids`} ${(ids.length > 0 ? ids : ['<instance-id>']).map((i) => command`${i}`).join(' ')} --query ${command`${'Reservations[].Instances[].[InstanceId,IamInstanceProfile.Arn]'}`}`);
        }
        lines.push(command`aws iam list-attached-role-policies --role-name ${'<role>'}` + (provider.hosted
          ? ' (expect only the EKS worker, CNI (or IRSA for it) and ECR read-only policies)'
          : ' (expect only what the kubelet, the cloud provider integration and the CNI need; no admin or wildcard policies)'));
        break;
      case 'gcp':
        for (const pool of pools.length > 0 ? pools.slice(0, 5) : ['<pool>']) {
          lines.push(command`gcloud container node-pools describe ${pool} --cluster ${cluster} --location ${c.location ?? '<location>'}` + (c.project ? command` --project ${c.project}` : '') + command` ${'--format=value(config.serviceAccount,config.oauthScopes)'}`);
        }
        lines.push('flag the default compute service account and the cloud-platform scope');
        break;
      case 'azure':
        lines.push(command`az aks show -g ${c.resourceGroup ?? '<resource-group>'} -n ${cluster} --query identityProfile`, 'then az role assignment list --assignee <kubelet-identity-object-id> --all');
        break;
      default:
        lines.push(`inspect the instance identity of the nodes in the ${provider.name} console or CLI`);
    }
    const where = pools.length > 0 ? `node pools ${sample(pools)}` : `nodes ${sample(nodes.map((n) => n.metadata?.name ?? ''))}`;
    return unable(`${provider.name}: the cloud permissions of ${where} (and of the control plane) are outside the Kubernetes API; verify: ${lines.join('; ')}`);
  },
};
