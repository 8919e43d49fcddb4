import { findings, unable } from '../../src/engine/helpers.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { resourceInfo, rbacResource, type ResourceName } from '../../src/engine/resources.js';
import type { Check } from '../../src/engine/types.js';

interface Integration {
  readonly product: string;
  readonly need: ResourceName;
  /** What its objects are called, for the detail. */
  readonly objects: string;
}

const INTEGRATIONS: readonly Integration[] = [
  { product: 'External Secrets Operator', need: 'externalsecrets', objects: 'ExternalSecret' },
  { product: 'Secrets Store CSI driver', need: 'secretproviderclasses', objects: 'SecretProviderClass' },
  { product: 'Sealed Secrets', need: 'sealedsecrets', objects: 'SealedSecret' },
];

/** HashiCorp Vault's agent injector registers this mutating webhook configuration (Helm chart default name). */
const VAULT_WEBHOOK = 'vault-agent-injector-cfg';

export const check: Check = {
  id: 'cluster/external-secret-store-absent',
  layer: 'cluster',
  title: 'No external secret store integration',
  severity: 'info',
  description:
    'Looks for an integration that keeps secret values outside the cluster or out of manifests: External Secrets Operator ' +
    '(externalsecrets.external-secrets.io served), the Secrets Store CSI driver (secretproviderclasses.secrets-store.csi.x-k8s.io), Sealed Secrets ' +
    '(sealedsecrets.bitnami.com) or the Vault agent injector (webhook configuration vault-agent-injector-cfg). A served API counts as installed ' +
    '(a 403 too); an API the cluster does not serve counts as absent. Warns (info) when none is found: CIS 5.4.2 is a manual recommendation.',
  remediation: 'Consider an external secret store: External Secrets Operator, the Secrets Store CSI driver or Vault agent injection.',
  references: [
    ref.cis('5.4.2'), ref.kubescape('C-0208'), ref.kubescape('C-0234'), ref.nsa('Network separation (Secrets)'),
    ref.fourC('Application secrets management (and encrypting them in etcd at rest)'),
    ref.doc('External Secrets Operator', 'https://external-secrets.io/'),
    ref.doc('Secrets Store CSI Driver', 'https://secrets-store-csi-driver.sigs.k8s.io/'),
  ],
  needs: ['mutatingwebhookconfigurations'],
  optionalNeeds: ['validatingwebhookconfigurations', ...INTEGRATIONS.map((i) => i.need)],
  evaluate: (snapshot) => {
    const found: string[] = [];
    const unreadable: string[] = [];
    for (const i of INTEGRATIONS) {
      const resource = rbacResource(resourceInfo(i.need));
      if (snapshot.has(i.need)) {
        const n = snapshot.list(i.need).length;
        found.push(`${i.product} (${resource} served, ${n} ${i.objects}${n === 1 ? '' : 's'})`);
        continue;
      }
      const error = snapshot.error(i.need);
      if (error?.code === 'forbidden' || error?.code === 'unauthorized') found.push(`${i.product} (${resource} served but not readable: ${error.message})`);
      else if (error && error.code !== 'not-served') unreadable.push(`${resource}: ${error.message}`);
    }
    const webhooks = [
      ...snapshot.list<K8sObject>('mutatingwebhookconfigurations'),
      ...(snapshot.has('validatingwebhookconfigurations') ? snapshot.list<K8sObject>('validatingwebhookconfigurations') : []),
    ];
    if (webhooks.some((w) => w.metadata?.name === VAULT_WEBHOOK)) found.push(`Vault agent injector (webhook configuration ${VAULT_WEBHOOK})`);

    if (found.length > 0) return findings([], `external secret store integration found: ${found.join('; ')}`);
    if (unreadable.length > 0) return unable(`no external secret store found, but some APIs could not be checked: ${unreadable.join('; ')}`);
    const name = snapshot.kubeconfig?.cluster || 'cluster';
    return findings([{
      subject: { kind: 'Cluster', name },
      status: 'warn',
      scope: 'workload',
      message: 'no external secret store integration detected (External Secrets Operator, Secrets Store CSI driver, Sealed Secrets and the Vault agent injector are all absent): consider an external secret store; CIS 5.4.2 is a manual recommendation',
      evidence: [
        ...INTEGRATIONS.map((i) => ({ path: rbacResource(resourceInfo(i.need)), value: 'not served' })),
        { path: `mutatingwebhookconfigurations[name=${VAULT_WEBHOOK}]`, value: 'absent' },
      ],
      remediation: {
        why: 'Kubernetes Secrets are only base64-encoded in manifests and live in etcd; an external store (cloud secret manager, Vault) keeps values out of Git and etcd backups, centralises rotation and audit, and lets Secrets be synced or mounted on demand.',
        fix: 'Adopt External Secrets Operator (sync from AWS Secrets Manager, GCP Secret Manager, Azure Key Vault or Vault into Secrets; e.g. helm install external-secrets external-secrets/external-secrets -n external-secrets --create-namespace from https://charts.external-secrets.io), the Secrets Store CSI driver (mount secrets as files without Secret objects), Sealed Secrets (encrypted Secrets safe to commit) or Vault agent injection.',
      },
    }]);
  },
};
