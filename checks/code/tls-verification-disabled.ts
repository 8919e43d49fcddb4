// 4c-tui:ignore-file code/tls-verification-disabled (this file defines the patterns)
import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, isCommentLine, snippet } from '../../src/files/code-check.js';

const CHECK_ID = 'code/tls-verification-disabled';
const WHY = 'The 4C\'s page asks to encrypt everything in transit; with certificate verification off anyone on the path can impersonate the server and read or change the traffic.';
const FIX = 'Trust the right CA (a CA bundle or the system store) instead of disabling verification.';

/** [what, pattern]; patterns are matched on one line. */
export const RULES: readonly (readonly [string, RegExp])[] = [
  ['Go tls.Config InsecureSkipVerify: true', /\bInsecureSkipVerify\s*:\s*true\b/],
  ['Node.js rejectUnauthorized: false', /\brejectUnauthorized["']?\s*[:=]\s*false\b/],
  ['NODE_TLS_REJECT_UNAUTHORIZED=0', /\bNODE_TLS_REJECT_UNAUTHORIZED["']?\s*[=:]\s*["']?0\b/],
  ['strictSSL: false', /\bstrictSSL["']?\s*[:=]\s*false\b/],
  ['Python verify=False', /\bverify\s*=\s*False\b/],
  ['Python ssl._create_unverified_context', /\bssl\._create_unverified_context\b/],
  ['ssl.CERT_NONE', /\bCERT_NONE\b/],
  ['check_hostname = False', /\bcheck_hostname\s*=\s*False\b/],
  ['Java/Kotlin NoopHostnameVerifier', /\bNoopHostnameVerifier\b/],
  ['ALLOW_ALL_HOSTNAME_VERIFIER', /\bALLOW_ALL_HOSTNAME_VERIFIER\b/],
  ['trust-all X509TrustManager with an empty checkServerTrusted', /\bcheckServerTrusted\s*\([^)]*\)\s*(throws\s+[\w.]+\s*)?\{\s*\}/],
  ['.NET DangerousAcceptAnyServerCertificateValidator', /\bDangerousAcceptAnyServerCertificateValidator\b/],
  ['.NET certificate validation callback returning true', /ServerCertificate(Custom)?ValidationCallback\s*=\s*(\([^)]*\)|\w+)\s*=>\s*true\b/],
  ['Ruby OpenSSL VERIFY_NONE', /\bVERIFY_NONE\b/],
  ['PHP CURLOPT_SSL_VERIFYPEER off', /\bCURLOPT_SSL_VERIFYPEER\s*,\s*(false|0)\b/i],
  ['curl -k/--insecure', /\bcurl\b[^|;&\n]*\s(-k|--insecure|-[a-zA-Z]*k[a-zA-Z]*)(\s|$)/],
  ['wget --no-check-certificate', /\bwget\b[^|;&\n]*\s--no-check-certificate\b/],
  ['git http.sslVerify=false', /\bhttp\.sslVerify\s*[= ]\s*false\b/i],
  ['npm strict-ssl false', /\bstrict-ssl\s*[= ]\s*false\b/],
  ['insecure-skip-tls-verify: true', /\binsecure-skip-tls-verify["']?\s*[:=]\s*["']?true\b/],
];

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'TLS certificate verification disabled',
  severity: 'high',
  description:
    'Scans source, configuration, Dockerfile, CI and manifest files for switches that turn off TLS certificate or host-name verification: ' +
    'Go InsecureSkipVerify: true, Node rejectUnauthorized: false / NODE_TLS_REJECT_UNAUTHORIZED=0 / strictSSL: false, Python verify=False, ' +
    'ssl._create_unverified_context, CERT_NONE, check_hostname=False, Java trust-all managers and NoopHostnameVerifier, .NET accept-any validators, ' +
    'Ruby VERIFY_NONE, PHP CURLOPT_SSL_VERIFYPEER off, curl -k, wget --no-check-certificate, git http.sslVerify=false, npm strict-ssl false and ' +
    'kubeconfig insecure-skip-tls-verify: true. Fails on each occurrence (file:line).',
  remediation: 'Trust the right certificate authority instead of turning TLS verification off.',
  references: [ref.fourC('Access over TLS only'), ref.nsa('Network separation (Encryption)')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const files = filesOf(snapshot, ['source', 'config', 'docker', 'ci', 'k8s']);
    if (files.length === 0) return notApplicable('no source, configuration, Dockerfile, CI or manifest file in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'high');
    for (const file of files) {
      out.lines(file).forEach((text, i) => {
        if (text.length > 4000 || isCommentLine(text)) return;
        for (const [what, regex] of RULES) {
          const m = regex.exec(text);
          if (!m) continue;
          out.add({ file, line: i + 1, column: m.index + 1, message: `${what} disables TLS certificate verification`, value: snippet(text), discriminator: `${i + 1}:${what}`, remediation: { why: WHY, fix: FIX } });
          break;
        }
      });
    }
    return findings(out.drafts, out.note());
  },
};
