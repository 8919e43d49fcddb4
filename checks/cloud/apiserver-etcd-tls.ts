import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, KUBEADM_PKI, type FlagChange } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence } from '../../src/engine/types.js';

/** URLs of `--etcd-servers-overrides` (`group/resource#url;url,group/resource#url`). */
function overrideUrls(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').flatMap((entry) => (entry.split('#')[1] ?? '').split(';')).map((u) => u.trim()).filter(Boolean);
}

export const check: Check = {
  id: 'cloud/apiserver-etcd-tls',
  layer: 'cloud',
  title: 'API server talks to etcd without mutual TLS',
  severity: 'high',
  description:
    'Reads --etcd-servers, --etcd-servers-overrides, --etcd-certfile, --etcd-keyfile and --etcd-cafile of every kube-apiserver static pod (D-CP), ' +
    'one result per control-plane node. Fails when an etcd URL is http://, or the client certificate, key or CA file is missing. Managed control ' +
    'planes are unable with the provider command.',
  remediation: 'Connect the API server to etcd over https with a client certificate and the etcd CA.',
  references: [
    ref.fourC('Access to etcd'), ref.cis('1.2.23'), ref.cis('1.2.26'), ref.kubescape('C-0137'), ref.kubescape('C-0140'),
    ref.trivy('KCV-0026'), ref.trivy('KCV-0029'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const f = instance.flags;
    const problems: string[] = [];
    const ev: Evidence[] = [];
    const changes: FlagChange[] = [];
    const servers = f.list('etcd-servers');
    if (servers.length === 0) return { unable: 'no --etcd-servers flag (the API server cannot start without it; check the manifest on the node)' };
    const plain = [...servers, ...overrideUrls(f.get('etcd-servers-overrides'))].filter((u) => /^http:\/\//i.test(u));
    if (plain.length > 0) {
      problems.push(`etcd reached over plain HTTP: ${plain.join(', ')}`);
      ev.push(flagEvidence(instance, 'etcd-servers'));
      if (f.has('etcd-servers-overrides')) ev.push(flagEvidence(instance, 'etcd-servers-overrides'));
      changes.push({ flag: 'etcd-servers', value: servers.map((u) => u.replace(/^http:\/\//i, 'https://')).join(',') });
    }
    const wanted = [
      ['etcd-certfile', `${KUBEADM_PKI}/apiserver-etcd-client.crt`, 'client certificate'],
      ['etcd-keyfile', `${KUBEADM_PKI}/apiserver-etcd-client.key`, 'client key'],
      ['etcd-cafile', `${KUBEADM_PKI}/etcd/ca.crt`, 'etcd CA (the server certificate is not verified)'],
    ] as const;
    for (const [flag, value, what] of wanted) {
      if ((f.get(flag) ?? '').trim() !== '') continue;
      problems.push(`no --${flag} (${what})`);
      ev.push(flagEvidence(instance, flag));
      changes.push({ flag, value });
    }
    if (problems.length === 0) return {};
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)}: ${problems.join('; ')}`,
        evidence: ev,
        remediation: {
          why: 'The API server to etcd channel carries every object including Secrets; without mutual TLS it can be read or tampered with on the network, and etcd cannot require client certificates.',
          fix: 'Use https etcd URLs and give the API server its apiserver-etcd-client certificate, key and the etcd CA on every control-plane node (kubeadm paths shown).',
          ...controlPlaneFix(snapshot, instance, changes),
        },
      })],
    };
  }, { topic: 'control-plane', passNote: 'https etcd URLs with client certificate and CA' }),
};
