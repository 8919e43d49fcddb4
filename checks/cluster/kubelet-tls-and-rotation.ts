import { findings } from '../../src/engine/helpers.js';
import { KUBELET_FIX_COMMAND, KUBELET_FLAGS_NOTE, KUBELET_SUBJECT, kubeletConfig, kubeletConfigUnavailable, kubeletEvidence, kubeletPatch } from '../../src/engine/kubelet.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** CIS 4.2.12's strong suites (with Go's `_SHA256` aliases of the ChaCha20 names) plus the TLS 1.3 suites Go always uses. */
const STRONG_SUITES = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
]);
const RECOMMENDED = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
];
const WEAK_VERSIONS = new Set(['VersionTLS10', 'VersionTLS11']);
const GATE = 'RotateKubeletServerCertificate';

export const check: Check = {
  id: 'cluster/kubelet-tls-and-rotation',
  layer: 'cluster',
  title: 'Kubelet TLS and certificate rotation',
  severity: 'medium',
  description:
    'Reads tlsCertFile, tlsPrivateKeyFile, serverTLSBootstrap, rotateCertificates, featureGates.RotateKubeletServerCertificate, tlsCipherSuites and ' +
    'tlsMinVersion of the cluster-wide KubeletConfiguration (kube-system/kubelet-config) with v1beta1 defaults. Warns when no serving certificate ' +
    'is configured and serverTLSBootstrap is not true (the kubelet serves a self-signed certificate nobody can verify); fails when rotateCertificates ' +
    'is false (the default when unset), when RotateKubeletServerCertificate is disabled, when a cipher suite outside CIS 4.2.12\'s list is allowed, ' +
    'or when tlsMinVersion is below TLS 1.2.',
  remediation: 'Set serverTLSBootstrap and rotateCertificates to true, keep RotateKubeletServerCertificate enabled, and restrict tlsCipherSuites to strong AEAD suites with tlsMinVersion VersionTLS12 or higher.',
  references: [
    ref.cis('4.2.9'), ref.cis('4.2.10'), ref.cis('4.2.11'), ref.cis('4.2.12'), ref.kubescape('C-0181'), ref.kubescape('C-0182'), ref.kubescape('C-0183'),
    ref.kubescape('C-0184'), ref.trivy('KCV-0088'), ref.trivy('KCV-0089'), ref.trivy('KCV-0090'), ref.trivy('KCV-0091'), ref.trivy('KCV-0092'),
    ref.doc('Kubelet TLS bootstrapping', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/'),
  ],
  needs: ['system-configmaps'],
  optionalNeeds: ['nodes', 'pods'],
  evaluate: (snapshot) => {
    const found = kubeletConfig(snapshot);
    if (found.status !== 'found') return kubeletConfigUnavailable(snapshot, found);
    const c = found.config;
    const out: FindingDraft[] = [];
    const base = { subject: KUBELET_SUBJECT, scope: 'workload' as const, severity: 'medium' as const };

    if ((c.tlsCertFile === '' || c.tlsPrivateKeyFile === '') && !c.serverTLSBootstrap) {
      out.push({
        ...base,
        discriminator: 'serving-certificate',
        status: 'warn',
        message: `kube-system/kubelet-config sets no tlsCertFile/tlsPrivateKeyFile and serverTLSBootstrap is not true: each kubelet serves a self-signed certificate, so the API server and metrics clients cannot verify it (they skip verification); ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, 'tlsCertFile', c.tlsCertFile), kubeletEvidence(c, 'tlsPrivateKeyFile', c.tlsPrivateKeyFile), kubeletEvidence(c, 'serverTLSBootstrap', c.serverTLSBootstrap)],
        remediation: {
          why: 'A self-signed kubelet serving certificate lets anyone on the path impersonate the kubelet to the API server (logs, exec streams) and forces clients such as metrics-server to use --kubelet-insecure-tls.',
          fix: 'Set serverTLSBootstrap: true so kubelets request CA-signed serving certificates, and approve the kubelet-serving CSRs (kubectl certificate approve, or an approver controller); then pass --kubelet-certificate-authority to the API server.',
          command: `${KUBELET_FIX_COMMAND}\nkubectl get csr --field-selector=spec.signerName=kubernetes.io/kubelet-serving`,
          patch: kubeletPatch({ serverTLSBootstrap: true }),
        },
      });
    }
    if (!c.rotateCertificates) {
      out.push({
        ...base,
        discriminator: 'rotate-certificates',
        message: `kube-system/kubelet-config has rotateCertificates=false${c.defaulted.has('rotateCertificates') ? ' (unset; the default is false)' : ''}: kubelet client certificates are not renewed and nodes drop out when they expire; ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, 'rotateCertificates', c.rotateCertificates)],
        remediation: {
          why: 'Without rotation, kubelet client certificates are long-lived credentials that are replaced by hand, if ever.',
          fix: 'Set rotateCertificates: true, roll it out to every node and restart the kubelets.',
          command: KUBELET_FIX_COMMAND,
          patch: kubeletPatch({ rotateCertificates: true }),
        },
      });
    }
    if (c.featureGates[GATE] === false) {
      out.push({
        ...base,
        discriminator: 'rotate-server-certificate',
        message: `kube-system/kubelet-config disables the ${GATE} feature gate: kubelet serving certificates are never rotated; ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, `featureGates.${GATE}`, false)],
        remediation: {
          why: 'Serving certificates that never rotate stay valid long after a node is compromised or its key leaks.',
          fix: `Remove ${GATE}: false from featureGates (it is on by default), roll it out and restart the kubelets.`,
          command: KUBELET_FIX_COMMAND,
          patch: kubeletPatch({ featureGates: { [GATE]: true } }),
        },
      });
    }
    const weak = c.tlsCipherSuites.filter((s) => !STRONG_SUITES.has(s));
    if (weak.length > 0) {
      out.push({
        ...base,
        discriminator: 'cipher-suites',
        message: `kube-system/kubelet-config allows cipher suites outside CIS 4.2.12's strong list: ${weak.join(', ')}; ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, 'tlsCipherSuites', c.tlsCipherSuites.join(','))],
        remediation: {
          why: 'CBC-mode, RSA key-exchange and 3DES/RC4 suites allow downgrade and padding-oracle attacks on kubelet traffic.',
          fix: 'Restrict tlsCipherSuites to the ECDHE AEAD suites below, roll it out and restart the kubelets.',
          command: KUBELET_FIX_COMMAND,
          patch: kubeletPatch({ tlsCipherSuites: RECOMMENDED }),
        },
      });
    }
    if (WEAK_VERSIONS.has(c.tlsMinVersion)) {
      out.push({
        ...base,
        discriminator: 'tls-min-version',
        message: `kube-system/kubelet-config sets tlsMinVersion=${c.tlsMinVersion}: TLS 1.0/1.1 are deprecated and weak; ${KUBELET_FLAGS_NOTE}`,
        evidence: [kubeletEvidence(c, 'tlsMinVersion', c.tlsMinVersion)],
        remediation: {
          why: 'TLS 1.0 and 1.1 lack modern AEAD ciphers and are open to downgrade attacks.',
          fix: 'Set tlsMinVersion: VersionTLS12 (or VersionTLS13), roll it out and restart the kubelets.',
          command: KUBELET_FIX_COMMAND,
          patch: kubeletPatch({ tlsMinVersion: 'VersionTLS12' }),
        },
      });
    }
    const notes = [
      c.serverTLSBootstrap ? 'serving certificates bootstrapped from the cluster CA' : 'serving certificate from files',
      c.tlsCipherSuites.length === 0 ? 'cipher suites are Go\'s defaults' : 'cipher suites restricted',
      KUBELET_FLAGS_NOTE,
    ];
    return findings(out, `kube-system/kubelet-config: ${notes.join('; ')}`);
  },
};
