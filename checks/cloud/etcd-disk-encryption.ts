import { awsInstanceId, etcdUnavailable, gceInstance, sample } from '../../src/engine/cloud.js';
import { controlPlaneInstances } from '../../src/engine/control-plane.js';
import { unable } from '../../src/engine/helpers.js';
import type { Node } from '../../src/engine/k8s.js';
import { detectProvider, providerCommands } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check } from '../../src/engine/types.js';

const SECRETS_NOTE = 'cluster/secrets-encryption-at-rest covers envelope encryption of Secrets';

export const check: Check = {
  id: 'cloud/etcd-disk-encryption',
  layer: 'cloud',
  title: 'etcd storage encryption cannot be verified',
  severity: 'info',
  description:
    'Always unable: disk encryption of the etcd data volume is not visible through the Kubernetes API. Self-managed (etcd static pods in D-CP): ' +
    'names the etcd nodes, their --data-dir (default /var/lib/etcd) and the cloud or LUKS command that shows whether the volume is encrypted. ' +
    'Managed control planes: the provider operates and encrypts control-plane storage; quotes the provider command.',
  remediation: 'Keep the etcd data directory on an encrypted volume and verify it with the provider or on the node.',
  references: [ref.fourC('etcd Encryption'), ref.nsa('Network separation (Encryption)')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => {
    const provider = detectProvider(snapshot);
    const members = controlPlaneInstances(snapshot, 'etcd');
    if (members.length === 0) {
      const outcome = etcdUnavailable(snapshot) ?? unable('no etcd static pod is visible in kube-system');
      if (provider.managedControlPlane) {
        return unable(`${provider.name} operates the control-plane storage and encrypts it (confirm in the provider's documentation); ${SECRETS_NOTE}; ${providerCommands(provider, 'etcd').join('; ')}`);
      }
      return unable(`${outcome.reason ?? ''}; disk encryption of the etcd hosts is not visible; ${SECRETS_NOTE}`);
    }
    const nodes = new Map(snapshot.list<Node>('nodes').map((n) => [n.metadata?.name ?? '', n]));
    const dirs = [...new Set(members.map((m) => m.flags.get('data-dir') ?? '/var/lib/etcd'))];
    const where = members.map((m) => m.node || m.podName);
    const checks: string[] = [];
    const instances = members.map((m) => nodes.get(m.node)).filter((n): n is Node => n !== undefined);
    const ec2 = instances.map(awsInstanceId).filter((i): i is string => i !== undefined);
    const gce = instances.map(gceInstance).filter((g): g is NonNullable<ReturnType<typeof gceInstance>> => g !== undefined);
    if (ec2.length > 0) {
      checks.push(command`aws ec2 describe-volumes --filters ${`Name=attachment.instance-id,Values=${ec2.join(',')}`} --query ${'Volumes[].[Attachments[0].InstanceId,VolumeId,Encrypted,KmsKeyId]'}`);
    } else if (gce.length > 0) {
      const g = gce[0]!;
      checks.push(command`gcloud compute instances describe ${g.name} --zone ${g.zone} --project ${g.project} --format=${'value(disks[].source)'}`,
        command`gcloud compute disks describe ${'<disk>'} --zone ${g.zone} --project ${g.project} --format=${'value(diskEncryptionKey)'}`);
    }
    checks.push(`on each etcd node: lsblk -f and findmnt -T ${dirs[0] ?? '/var/lib/etcd'} (LUKS/dm-crypt shows as crypto_LUKS)`);
    return unable(`disk encryption is not visible through the Kubernetes API: etcd data dir ${dirs.join(', ')} on ${sample(where)}; verify: ${checks.join('; ')}; ${SECRETS_NOTE}`);
  },
};
