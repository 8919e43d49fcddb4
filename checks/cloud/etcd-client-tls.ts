import { etcdUnavailable } from '../../src/engine/cloud.js';
import { controlPlaneFix, describeInstance, evaluateControlPlane, instanceFinding, KUBEADM_PKI } from '../../src/engine/control-plane.js';
import { auditEtcdListener, type EtcdListener } from '../../src/engine/etcd-tls.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

const CLIENT: EtcdListener = {
  files: [['cert-file', `${KUBEADM_PKI}/etcd/server.crt`], ['key-file', `${KUBEADM_PKI}/etcd/server.key`]],
  auth: { flag: 'client-cert-auth', why: 'any client that reaches etcd is accepted' },
  ca: { flag: 'trusted-ca-file', why: 'client certificates are not checked against an etcd CA', kubeadmPath: `${KUBEADM_PKI}/etcd/ca.crt` },
  autoTls: { flag: 'auto-tls', why: 'self-signed certificates that clients cannot verify' },
  urls: [
    { flag: 'listen-client-urls', fallback: 'http://localhost:2379', plainWord: 'serves plain HTTP' },
    { flag: 'advertise-client-urls', plainWord: 'serves plain HTTP' },
  ],
};

export const check: Check = {
  id: 'cloud/etcd-client-tls',
  layer: 'cloud',
  title: 'etcd client endpoint without TLS or client-certificate auth',
  severity: 'critical',
  description:
    'Reads the etcd static pods (D-CP), one result per member: --cert-file, --key-file, --client-cert-auth, --trusted-ca-file, --auto-tls, ' +
    '--listen-client-urls and --advertise-client-urls. Fails when the server certificate or key is missing, --client-cert-auth is not true, ' +
    '--client-cert-auth has no --trusted-ca-file, --auto-tls=true, or a client URL is http:// (an absent --listen-client-urls means etcd\'s default ' +
    'http://localhost:2379; the metrics URL is not a client URL). External etcd, --config-file and managed control planes are unable.',
  remediation: 'Serve etcd clients over TLS only and require client certificates signed by a dedicated etcd CA.',
  references: [
    ref.fourC('Access to etcd'), ref.cis('2.1'), ref.cis('2.2'), ref.cis('2.3'), ref.kubescape('C-0153'), ref.kubescape('C-0154'), ref.kubescape('C-0155'),
    ref.trivy('KCV-0042'), ref.trivy('KCV-0043'), ref.trivy('KCV-0044'), ref.nsa('Network separation (Control plane hardening)'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => etcdUnavailable(snapshot) ?? evaluateControlPlane(snapshot, ['etcd'], (instance) => {
    const f = instance.flags;
    if (f.has('config-file')) return { unable: `--config-file=${f.get('config-file') ?? ''} holds the etcd configuration (file not visible; check it on the node)` };
    const { problems, evidence: ev, changes } = auditEtcdListener(instance, CLIENT);
    if (problems.length === 0) return {};
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)}: ${problems.join('; ')}`,
        evidence: ev,
        remediation: {
          why: 'Anyone who can reach etcd without client-certificate authentication can read every Secret and write any object, bypassing RBAC and admission.',
          fix: 'Serve clients over https only with a server certificate, require client certificates (--client-cert-auth=true) signed by the etcd CA (--trusted-ca-file), and remove --auto-tls; do it on every etcd member (kubeadm paths shown).',
          ...controlPlaneFix(snapshot, instance, changes),
        },
      })],
    };
  }, { passNote: 'client TLS with client-certificate authentication on every member' }),
};
