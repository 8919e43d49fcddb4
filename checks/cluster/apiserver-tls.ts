import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, KUBEADM_PKI, type FlagChange } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, Severity } from '../../src/engine/types.js';
import { atLeast } from '../../src/engine/types.js';

/** CIS 1.2.29's list of acceptable suites. */
export const CIS_CIPHER_SUITES: readonly string[] = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** What the fix sets: the TLS 1.2 ECDHE AEAD suites of the list (TLS 1.3 suites are not configurable in Go). */
const RECOMMENDED_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
].join(',');

interface Item { readonly severity: Severity; readonly status: 'fail' | 'warn'; readonly text: string; readonly evidence: Evidence; readonly change: FlagChange }

export const check: Check = {
  id: 'cluster/apiserver-tls',
  layer: 'cluster',
  title: 'API server TLS, client-CA and cipher settings',
  severity: 'high',
  description:
    'Reads --tls-cert-file, --tls-private-key-file, --client-ca-file, --tls-min-version and --tls-cipher-suites of every kube-apiserver static pod (D-CP), ' +
    'one finding per control-plane node. High: no serving certificate/key (self-generated certificate) or no client CA. Medium: --tls-min-version ' +
    'VersionTLS10/VersionTLS11, or a cipher suite outside CIS 1.2.29\'s list. Warn (low): --tls-cipher-suites absent (Go defaults, not explicitly ' +
    'restricted; CIS marks it Manual). Managed control planes are unable with the provider command.',
  remediation: 'Serve with a CA-signed certificate, verify client certificates against the cluster CA, and restrict TLS to version 1.2+ with AEAD cipher suites.',
  references: [
    ref.cis('1.2.24'), ref.cis('1.2.25'), ref.cis('1.2.29'), ref.kubescape('C-0138'), ref.kubescape('C-0139'), ref.kubescape('C-0143'), ref.kubescape('C-0277'),
    ref.trivy('KCV-0027'), ref.trivy('KCV-0028'), ref.nsa('Network separation (Encryption)'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const f = instance.flags;
    const items: Item[] = [];
    const missing = (flag: string, value: string, text: string): void => {
      if ((f.get(flag) ?? '').trim() === '') items.push({ severity: 'high', status: 'fail', text, evidence: flagEvidence(instance, flag), change: { flag, value } });
    };
    missing('tls-cert-file', `${KUBEADM_PKI}/apiserver.crt`, 'no --tls-cert-file (the API server serves a self-generated certificate)');
    missing('tls-private-key-file', `${KUBEADM_PKI}/apiserver.key`, 'no --tls-private-key-file');
    missing('client-ca-file', `${KUBEADM_PKI}/ca.crt`, 'no --client-ca-file (client certificates are not verified)');
    const min = f.get('tls-min-version');
    if (min === 'VersionTLS10' || min === 'VersionTLS11') {
      items.push({ severity: 'medium', status: 'fail', text: `--tls-min-version=${min} allows TLS ${min === 'VersionTLS10' ? '1.0' : '1.1'}`, evidence: flagEvidence(instance, 'tls-min-version'), change: { flag: 'tls-min-version', value: 'VersionTLS12' } });
    }
    if (f.has('tls-cipher-suites')) {
      const weak = f.list('tls-cipher-suites').filter((s) => !CIS_CIPHER_SUITES.includes(s));
      if (weak.length) {
        items.push({ severity: 'medium', status: 'fail', text: `--tls-cipher-suites allows ${weak.join(', ')} (outside the CIS 1.2.29 list)`, evidence: flagEvidence(instance, 'tls-cipher-suites'), change: { flag: 'tls-cipher-suites', value: RECOMMENDED_SUITES } });
      }
    } else {
      items.push({ severity: 'low', status: 'warn', text: '--tls-cipher-suites is not set (Go defaults, not explicitly restricted)', evidence: flagEvidence(instance, 'tls-cipher-suites', 'absent (Go defaults)'), change: { flag: 'tls-cipher-suites', value: RECOMMENDED_SUITES } });
    }
    if (items.length === 0) return {};
    const severity = items.map((i) => i.severity).reduce((a, b) => (atLeast(a, b) ? a : b));
    const status = items.some((i) => i.status === 'fail') ? 'fail' : 'warn';
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)}: ${items.map((i) => i.text).join('; ')}`,
        severity,
        status,
        evidence: items.map((i) => i.evidence),
        remediation: {
          why: 'Clients must be able to authenticate the API server, the API server must verify client certificates against a known CA, and weak protocol versions or suites allow downgrade and decryption attacks.',
          fix: 'Set the flags in the patch on every control-plane node (kubeadm paths shown; keep your own certificate paths if they differ); restricting cipher suites can lock out very old clients, so check them first.',
          ...controlPlaneFix(snapshot, instance, items.map((i) => i.change)),
        },
      })],
    };
  }),
};
