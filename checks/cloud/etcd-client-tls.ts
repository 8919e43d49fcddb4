import { etcdUnavailable } from '../../src/engine/cloud.js';
import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, KUBEADM_PKI, type ComponentInstance, type FlagChange } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence } from '../../src/engine/types.js';

/** URLs of a comma-separated URL flag; `fallback` when the flag is absent (etcd's built-in default). */
export function urlList(instance: ComponentInstance, flag: string, fallback?: string): { urls: string[]; defaulted: boolean } {
  const list = instance.flags.list(flag);
  if (list.length > 0) return { urls: list, defaulted: false };
  return { urls: fallback ? [fallback] : [], defaulted: fallback !== undefined };
}

/** https URLs for the same hosts and ports, for the fix. */
export function httpsUrls(urls: readonly string[]): string {
  return urls.map((u) => u.replace(/^http:\/\//i, 'https://')).join(',');
}

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
    const problems: string[] = [];
    const ev: Evidence[] = [];
    const changes: FlagChange[] = [];
    for (const [flag, value] of [['cert-file', `${KUBEADM_PKI}/etcd/server.crt`], ['key-file', `${KUBEADM_PKI}/etcd/server.key`]] as const) {
      if ((f.get(flag) ?? '').trim() !== '') continue;
      problems.push(`no --${flag}`);
      ev.push(flagEvidence(instance, flag));
      changes.push({ flag, value });
    }
    if (f.bool('client-cert-auth', false) !== true) {
      problems.push('--client-cert-auth is not true (any client that reaches etcd is accepted)');
      ev.push(flagEvidence(instance, 'client-cert-auth', 'absent (default false)'));
      changes.push({ flag: 'client-cert-auth', value: 'true' });
    }
    if ((f.get('trusted-ca-file') ?? '').trim() === '') {
      problems.push('no --trusted-ca-file (client certificates are not checked against an etcd CA)');
      ev.push(flagEvidence(instance, 'trusted-ca-file'));
      changes.push({ flag: 'trusted-ca-file', value: `${KUBEADM_PKI}/etcd/ca.crt` });
    }
    if (f.bool('auto-tls', false) === true) {
      problems.push('--auto-tls=true (self-signed certificates that clients cannot verify)');
      ev.push(flagEvidence(instance, 'auto-tls'));
      changes.push({ flag: 'auto-tls', remove: true });
    }
    for (const [flag, fallback] of [['listen-client-urls', 'http://localhost:2379'], ['advertise-client-urls', undefined]] as const) {
      const { urls, defaulted } = urlList(instance, flag, fallback);
      const plain = urls.filter((u) => /^http:\/\//i.test(u.trim()));
      if (plain.length === 0) continue;
      problems.push(`--${flag} ${defaulted ? `absent (etcd default ${plain.join(',')})` : `serves plain HTTP: ${plain.join(',')}`}`);
      ev.push(flagEvidence(instance, flag, `absent (default ${fallback ?? ''})`));
      changes.push({ flag, value: httpsUrls(urls) });
    }
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
