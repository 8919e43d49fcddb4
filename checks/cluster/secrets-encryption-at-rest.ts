import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

const ENC_DIR = '/etc/kubernetes/enc';
const ENC_CONFIG = [
  'apiVersion: apiserver.config.k8s.io/v1',
  'kind: EncryptionConfiguration',
  'resources:',
  '- resources: ["secrets"]',
  '  providers:',
  '  - kms:',
  '      apiVersion: v2',
  '      name: <kms-plugin-name>',
  '      endpoint: unix:///var/run/kmsplugin/socket.sock',
  '  # or, without a KMS: - aescbc: {keys: [{name: key1, secret: "<base64 of 32 random bytes>"}]}',
  '  - identity: {}',
].join('\n');

export const check: Check = {
  id: 'cluster/secrets-encryption-at-rest',
  layer: 'cluster',
  title: 'Secrets not encrypted at rest in etcd',
  severity: 'high',
  description:
    'Reads --encryption-provider-config of every kube-apiserver static pod (D-CP), one finding per control-plane node. Fails (high) when the flag is ' +
    'absent: Secrets are stored in etcd and its backups in base64 only. When it is set, the providers file is not visible: pass with the note to ' +
    'verify that the first provider for secrets is kms (v2), aescbc, aesgcm or secretbox, not identity. The secondary evidence from API server ' +
    'metrics (D-METRICS) is an opt-in this version does not collect. Managed control planes are unable with the provider command.',
  remediation: 'Encrypt Secrets at rest with a KMS v2 (or aescbc) provider in an EncryptionConfiguration, then rewrite the existing Secrets.',
  references: [
    ref.fourC('Application secrets management (encrypting them in etcd at rest)'), ref.cis('1.2.27'), ref.cis('1.2.28'),
    ref.kubescape('C-0066'), ref.kubescape('C-0141'), ref.kubescape('C-0142'), ref.kubescape('C-0244'), ref.trivy('KCV-0030'),
    ref.nsa('Network separation (Encryption)'),
    ref.doc('Kubernetes: Encrypting Confidential Data at Rest', 'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const f = instance.flags;
    const file = (f.get('encryption-provider-config') ?? '').trim();
    if (file) {
      const reload = f.bool('encryption-provider-config-automatic-reload', false) === true ? ', automatic reload on' : '';
      return { note: `--encryption-provider-config=${file}${reload}: the providers file is not visible — verify that the first provider for secrets is kms (v2), aescbc, aesgcm or secretbox, not identity` };
    }
    const rcp = controlPlaneFix(snapshot, instance, [{ flag: 'encryption-provider-config', value: `${ENC_DIR}/encryption.yaml` }], {
      files: [{ path: `${ENC_DIR}/encryption.yaml`, content: ENC_CONFIG }],
      mounts: [{ name: 'encryption-config', hostPath: ENC_DIR, mountPath: ENC_DIR, readOnly: true }],
    });
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} stores Secrets unencrypted in etcd: --encryption-provider-config is not set`,
        evidence: [flagEvidence(instance, 'encryption-provider-config')],
        remediation: {
          why: 'Without an encryption provider, etcd and every etcd backup or snapshot hold Secrets in base64 only: anyone with etcd or backup access reads every credential of the cluster.',
          fix: 'Write an EncryptionConfiguration with a KMS v2 provider (or aescbc with a random 32-byte key) first and identity last, mount it, set --encryption-provider-config on every control-plane node, then rewrite existing Secrets so they are stored encrypted.',
          command: [
            rcp.command,
            '# 4. once every API server runs with the flag: rewrite existing Secrets so they are stored encrypted',
            'kubectl get secrets -A -o json | kubectl replace -f -',
          ].join('\n'),
          patch: rcp.patch,
        },
      })],
    };
  }, {
    topic: 'encryption',
    passNote: 'API server metrics (D-METRICS, apiserver_storage_transformation_operations_total) are an opt-in this version does not collect',
    unavailableNote: (p) => (p.id === 'aws' ? 'recent EKS versions also apply default envelope encryption with an AWS-owned key; a customer-managed KMS key is optional' : undefined),
  }),
};
