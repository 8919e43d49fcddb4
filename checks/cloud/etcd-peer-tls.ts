import { etcdUnavailable } from '../../src/engine/cloud.js';
import { controlPlaneFix, describeInstance, evaluateControlPlane, instanceFinding, KUBEADM_PKI } from '../../src/engine/control-plane.js';
import { auditEtcdListener, type EtcdListener } from '../../src/engine/etcd-tls.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

const PEER: EtcdListener = {
  files: [['peer-cert-file', `${KUBEADM_PKI}/etcd/peer.crt`], ['peer-key-file', `${KUBEADM_PKI}/etcd/peer.key`]],
  auth: { flag: 'peer-client-cert-auth', why: 'any host that reaches the peer port can join or read the raft stream' },
  ca: { flag: 'peer-trusted-ca-file', why: '', kubeadmPath: `${KUBEADM_PKI}/etcd/ca.crt` },
  autoTls: { flag: 'peer-auto-tls', why: 'self-signed peer certificates' },
  urls: [
    { flag: 'listen-peer-urls', fallback: 'http://localhost:2380', defaultedFix: 'https://<node-private-ip>:2380', plainWord: 'uses plain HTTP' },
    { flag: 'initial-advertise-peer-urls', fallback: 'http://localhost:2380', defaultedFix: 'https://<node-private-ip>:2380', plainWord: 'uses plain HTTP' },
  ],
};

export const check: Check = {
  id: 'cloud/etcd-peer-tls',
  layer: 'cloud',
  title: 'etcd peer traffic without TLS or peer auth',
  severity: 'high',
  description:
    'Reads the etcd static pods (D-CP), one result per member: --peer-cert-file, --peer-key-file, --peer-client-cert-auth, --peer-trusted-ca-file, ' +
    '--peer-auto-tls, --listen-peer-urls and --initial-advertise-peer-urls. Fails when the peer certificate or key is missing, ' +
    '--peer-client-cert-auth is not true, it has no --peer-trusted-ca-file, --peer-auto-tls=true, or a peer URL is http:// (absent URL flags mean ' +
    'etcd\'s default http://localhost:2380). External etcd, --config-file and managed control planes are unable.',
  remediation: 'Encrypt and authenticate etcd peer traffic with peer certificates signed by the etcd CA.',
  references: [
    ref.fourC('Access to etcd'), ref.cis('2.4'), ref.cis('2.5'), ref.cis('2.6'), ref.kubescape('C-0156'), ref.kubescape('C-0157'), ref.kubescape('C-0158'),
    ref.trivy('KCV-0045'), ref.trivy('KCV-0046'), ref.trivy('KCV-0047'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => etcdUnavailable(snapshot) ?? evaluateControlPlane(snapshot, ['etcd'], (instance) => {
    const f = instance.flags;
    if (f.has('config-file')) return { unable: `--config-file=${f.get('config-file') ?? ''} holds the etcd configuration (file not visible; check it on the node)` };
    const { problems, evidence: ev, changes } = auditEtcdListener(instance, PEER);
    if (problems.length === 0) return {};
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)}: ${problems.join('; ')}`,
        evidence: ev,
        remediation: {
          why: 'Unauthenticated or plain-text peer ports let an attacker on the network join the etcd cluster or read the raft stream, which carries every object including Secrets.',
          fix: 'Give every member peer certificates signed by the etcd CA, require them (--peer-client-cert-auth=true, --peer-trusted-ca-file) and use https peer URLs; kubeadm sets all of these by default (paths shown).',
          ...controlPlaneFix(snapshot, instance, changes),
        },
      })],
    };
  }, { passNote: 'peer TLS with peer-certificate authentication on every member' }),
};
