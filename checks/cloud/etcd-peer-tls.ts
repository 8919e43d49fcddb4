import { etcdUnavailable } from '../../src/engine/cloud.js';
import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, KUBEADM_PKI, type FlagChange } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence } from '../../src/engine/types.js';
import { httpsUrls, urlList } from './etcd-client-tls.js';

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
    const problems: string[] = [];
    const ev: Evidence[] = [];
    const changes: FlagChange[] = [];
    for (const [flag, value] of [['peer-cert-file', `${KUBEADM_PKI}/etcd/peer.crt`], ['peer-key-file', `${KUBEADM_PKI}/etcd/peer.key`]] as const) {
      if ((f.get(flag) ?? '').trim() !== '') continue;
      problems.push(`no --${flag}`);
      ev.push(flagEvidence(instance, flag));
      changes.push({ flag, value });
    }
    if (f.bool('peer-client-cert-auth', false) !== true) {
      problems.push('--peer-client-cert-auth is not true (any host that reaches the peer port can join or read the raft stream)');
      ev.push(flagEvidence(instance, 'peer-client-cert-auth', 'absent (default false)'));
      changes.push({ flag: 'peer-client-cert-auth', value: 'true' });
    }
    if ((f.get('peer-trusted-ca-file') ?? '').trim() === '') {
      problems.push('no --peer-trusted-ca-file');
      ev.push(flagEvidence(instance, 'peer-trusted-ca-file'));
      changes.push({ flag: 'peer-trusted-ca-file', value: `${KUBEADM_PKI}/etcd/ca.crt` });
    }
    if (f.bool('peer-auto-tls', false) === true) {
      problems.push('--peer-auto-tls=true (self-signed peer certificates)');
      ev.push(flagEvidence(instance, 'peer-auto-tls'));
      changes.push({ flag: 'peer-auto-tls', remove: true });
    }
    for (const flag of ['listen-peer-urls', 'initial-advertise-peer-urls'] as const) {
      const { urls, defaulted } = urlList(instance, flag, 'http://localhost:2380');
      const plain = urls.filter((u) => /^http:\/\//i.test(u.trim()));
      if (plain.length === 0) continue;
      problems.push(`--${flag} ${defaulted ? `absent (etcd default ${plain.join(',')})` : `uses plain HTTP: ${plain.join(',')}`}`);
      ev.push(flagEvidence(instance, flag, 'absent (default http://localhost:2380)'));
      changes.push({ flag, value: defaulted ? 'https://<node-private-ip>:2380' : httpsUrls(urls) });
    }
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
