import { evidence, findings, unable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cloud/kubeconfig-insecure-tls',
  layer: 'cloud',
  title: 'API server access without TLS verification',
  severity: 'medium',
  description:
    'Reads the current kubeconfig context (D-KCFG): the cluster\'s insecure-skip-tls-verify and the scheme of its server. Fails medium when ' +
    'insecure-skip-tls-verify is true (the API server certificate is not verified), high when the server URL is http:// (credentials travel ' +
    'in clear text).',
  remediation: 'Verify the API server certificate with the cluster CA and use https endpoints only.',
  references: [ref.fourC('Network access to API Server'), ref.nsa('Network separation (Control plane hardening)')],
  needs: ['kubeconfig'],
  evaluate: (snapshot) => {
    const kc = snapshot.kubeconfig;
    if (!kc) return unable('the kubeconfig context is not available');
    const plain = /^http:\/\//i.test(kc.server.trim());
    const ev: Evidence[] = [];
    const problems: string[] = [];
    if (plain) {
      problems.push(`its server ${kc.server} is plain HTTP (tokens and client credentials travel in clear text)`);
      ev.push(evidence(`kubeconfig.clusters[${kc.cluster}].cluster.server`, kc.server));
    }
    if (kc.insecureSkipTlsVerify) {
      problems.push('insecure-skip-tls-verify is true (the API server certificate is not verified)');
      ev.push(evidence(`kubeconfig.clusters[${kc.cluster}].cluster.insecure-skip-tls-verify`, 'true'));
    }
    if (problems.length === 0) return findings([], `context "${kc.context}" verifies the API server certificate over https`);
    const https = kc.server.replace(/^http:\/\//i, 'https://');
    const commands = [
      ...(plain ? [command`kubectl config set-cluster ${kc.cluster} --server ${https}`] : []),
      command`kubectl config set-cluster ${kc.cluster} --insecure-skip-tls-verify=false --certificate-authority ${'<ca.crt>'} --embed-certs=true`,
      command`kubectl --context ${kc.context} get --raw /version`,
    ];
    return findings([{
      subject: { kind: 'KubeconfigContext', name: kc.context },
      severity: plain ? 'high' : 'medium',
      message: `kubeconfig context "${kc.context}" (cluster "${kc.cluster}"): ${problems.join('; ')}`,
      evidence: ev,
      remediation: {
        why: 'Without CA verification (or without TLS at all) an on-path attacker can impersonate the API server and harvest the tokens and client credentials of whoever uses this context.',
        fix: 'Get the cluster CA (from the provider, /etc/kubernetes/pki/ca.crt on a control-plane node, or the kube-public/cluster-info ConfigMap after verifying it), embed it in the kubeconfig and turn verification back on; never use http:// endpoints.',
        command: commands.join('\n'),
      },
    }]);
  },
};
