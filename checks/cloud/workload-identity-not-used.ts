import { evidence, findings, notApplicable } from '../../src/engine/helpers.js';
import type { K8sObject, Node, Pod, Workloadish } from '../../src/engine/k8s.js';
import { detectProvider } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Remediation } from '../../src/engine/types.js';

const IRSA = 'eks.amazonaws.com/role-arn';
const GKE_METADATA = 'iam.gke.io/gke-metadata-server-enabled';
const GKE_SA = 'iam.gke.io/gcp-service-account';
const AZURE_CLIENT_ID = 'azure.workload.identity/client-id';
const AZURE_USE = 'azure.workload.identity/use';

const name = (o: K8sObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const WHY = 'Without workload identity every pod that needs cloud access inherits the node\'s identity, which must then be broad; least privilege per workload needs IRSA/EKS Pod Identity, GKE Workload Identity or Azure Workload Identity.';

export const check: Check = {
  id: 'cloud/workload-identity-not-used',
  layer: 'cloud',
  title: 'Cluster has no per-workload cloud identity',
  severity: 'low',
  description:
    'Looks for workload identity on the detected cloud. AWS: ServiceAccounts annotated eks.amazonaws.com/role-arn (IRSA), pods with ' +
    'AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity) or the eks-pod-identity-agent DaemonSet. GCP: nodes labelled ' +
    'iam.gke.io/gke-metadata-server-enabled=true (GKE Workload Identity). Azure: ServiceAccounts annotated azure.workload.identity/client-id or ' +
    'pods labelled azure.workload.identity/use=true. Warns when none is found (the cluster may not call cloud APIs at all). Not applicable elsewhere.',
  remediation: 'Enable workload identity and give each workload that calls cloud APIs its own narrowly scoped cloud role.',
  references: [ref.fourC('Kubernetes access to Cloud Provider API'), ref.nsa('Network separation (Protecting sensitive cloud infrastructure)'), ref.kubescape('C-0225'), ref.kubescape('C-0239')],
  needs: ['nodes', 'serviceaccounts'],
  optionalNeeds: ['pods', 'daemonsets', 'version', 'kubeconfig'],
  evaluate: (snapshot) => {
    const provider = detectProvider(snapshot);
    const c = provider.cluster;
    const cluster = c.name ?? '<cluster>';
    const sas = snapshot.list<K8sObject>('serviceaccounts');
    const pods = snapshot.list<Pod>('pods');
    const partial = [!snapshot.has('pods') ? 'pods' : '', !snapshot.has('daemonsets') ? 'daemonsets' : ''].filter(Boolean);
    const partialText = partial.length > 0 ? ` (${partial.join(', ')} not readable: not searched)` : '';
    let found: string[] = [];
    let fix: Remediation;
    switch (provider.id) {
      case 'aws': {
        found = [
          ...sas.filter((s) => (s.metadata?.annotations?.[IRSA] ?? '') !== '').map((s) => `IRSA on ServiceAccount ${name(s)}`),
          ...snapshot.list<Workloadish>('daemonsets').filter((d) => d.metadata?.name === 'eks-pod-identity-agent').map((d) => `EKS Pod Identity agent DaemonSet ${name(d)}`),
          ...pods.filter((p) => [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])].some((ct) => (ct.env ?? []).some((e) => e.name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI'))).slice(0, 3).map((p) => `EKS Pod Identity credentials in pod ${name(p)}`),
        ];
        fix = {
          why: WHY,
          fix: 'Use EKS Pod Identity (install the eks-pod-identity-agent add-on, then associate a role per ServiceAccount) or IRSA (an OIDC provider plus the eks.amazonaws.com/role-arn annotation), and remove cloud permissions from the node role.',
          command: [
            command`aws eks create-addon --cluster-name ${cluster} --addon-name eks-pod-identity-agent` + (c.region ? command` --region ${c.region}` : ''),
            command`aws eks create-pod-identity-association --cluster-name ${cluster} --namespace ${'<namespace>'} --service-account ${'<sa>'} --role-arn ${'<role-arn>'}` + (c.region ? command` --region ${c.region}` : ''),
          ].join('\n'),
        };
        if (!provider.hosted) fix = { ...fix, fix: 'On self-managed clusters on AWS use IRSA: publish the service-account issuer as an IAM OIDC provider, run the amazon-eks-pod-identity-webhook, annotate ServiceAccounts with eks.amazonaws.com/role-arn, and remove cloud permissions from the instance profile.', command: command`kubectl -n ${'<namespace>'} annotate serviceaccount ${'<sa>'} ${`${IRSA}=arn:aws:iam::<account-id>:role/<role>`}` };
        break;
      }
      case 'gcp': {
        found = snapshot.list<Node>('nodes').filter((n) => n.metadata?.labels?.[GKE_METADATA] === 'true').map((n) => `GKE metadata server on node ${n.metadata?.name ?? ''}`).slice(0, 3);
        const annotated = sas.filter((s) => (s.metadata?.annotations?.[GKE_SA] ?? '') !== '').map((s) => `ServiceAccount ${name(s)} annotated ${GKE_SA}`);
        if (found.length === 0 && annotated.length > 0) found = []; // the annotation does nothing without the metadata server
        const where = command` --location ${c.location ?? '<location>'}` + (c.project ? command` --project ${c.project}` : '');
        fix = {
          why: WHY,
          fix: 'Enable Workload Identity Federation for GKE on the cluster and switch node pools to the GKE metadata server, then bind Kubernetes ServiceAccounts to IAM roles.',
          command: [
            command`gcloud container clusters update ${cluster}` + where + command` ${`--workload-pool=${c.project ?? '<project>'}.svc.id.goog`}`,
            command`gcloud container node-pools update ${'<pool>'} --cluster ${cluster}` + where + ' --workload-metadata=GKE_METADATA',
          ].join('\n'),
        };
        if (found.length === 0 && annotated.length > 0) {
          return findings([{ subject: { kind: 'Cluster', name: cluster }, status: 'warn', message: `${sample3(annotated)} but no node runs the GKE metadata server (label ${GKE_METADATA}=true), so the annotation has no effect and pods use the node's service account${partialText}`, evidence: [evidence(`nodes[].metadata.labels["${GKE_METADATA}"]`, 'absent')], remediation: fix }]);
        }
        break;
      }
      case 'azure': {
        found = [
          ...sas.filter((s) => (s.metadata?.annotations?.[AZURE_CLIENT_ID] ?? '') !== '').map((s) => `Azure Workload Identity on ServiceAccount ${name(s)}`),
          ...pods.filter((p) => p.metadata?.labels?.[AZURE_USE] === 'true').slice(0, 3).map((p) => `pod ${name(p)} labelled ${AZURE_USE}=true`),
        ];
        fix = {
          why: WHY,
          fix: 'Enable the OIDC issuer and Azure Workload Identity, create a federated credential per ServiceAccount, annotate it with azure.workload.identity/client-id and label its pods azure.workload.identity/use=true.',
          command: command`az aks update -g ${c.resourceGroup ?? '<resource-group>'} -n ${cluster} --enable-oidc-issuer --enable-workload-identity`,
        };
        break;
      }
      default:
        return notApplicable(`no AWS, GCP or Azure cloud detected (${provider.name}): workload identity checks do not apply`);
    }
    if (found.length > 0) return findings([], `${provider.name}: ${sample3(found)}`);
    return findings([{
      subject: { kind: 'Cluster', name: cluster },
      status: 'warn',
      message: `${provider.name}: no workload identity in use (${provider.id === 'aws' ? 'no IRSA annotation, no EKS Pod Identity' : provider.id === 'gcp' ? 'no node runs the GKE metadata server' : 'no Azure Workload Identity ServiceAccount or pod'}); pods that call cloud APIs use the node's identity${partialText}`,
      evidence: provider.id === 'gcp'
        ? [evidence(`nodes[].metadata.labels["${GKE_METADATA}"]`, 'absent')]
        : [evidence(`serviceaccounts[].metadata.annotations["${provider.id === 'aws' ? IRSA : AZURE_CLIENT_ID}"]`, `absent on all ${sas.length}`)],
      remediation: fix,
    }]);
  },
};

function sample3(items: readonly string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more` : items.join(', ');
}
