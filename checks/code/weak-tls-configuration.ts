// 4c-tui:ignore-file code/weak-tls-configuration (this file defines the patterns)
import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, isCommentLine, snippet } from '../../src/files/code-check.js';

const CHECK_ID = 'code/weak-tls-configuration';
const WHY = 'SSLv3, TLS 1.0 and 1.1 and RC4/3DES/NULL/EXPORT cipher suites have practical attacks (POODLE, BEAST, Sweet32); allowing them lets an attacker downgrade connections.';
const FIX = 'Require TLS 1.2 at least (1.3 preferred) and AEAD cipher suites only (AES-GCM, ChaCha20-Poly1305).';

const RULES: readonly (readonly [string, RegExp])[] = [
  ['Go MinVersion below TLS 1.2', /\bMinVersion\s*:\s*tls\.Version(TLS1[01]|SSL30)\b/],
  ['Go tls.VersionSSL30', /\btls\.VersionSSL30\b/],
  ['Node minVersion TLSv1/TLSv1.1', /\bminVersion\s*:\s*["']TLSv1(\.1)?["']/],
  ['Node secureProtocol TLSv1/TLSv1.1', /\bsecureProtocol\s*:\s*["']TLSv1(_1)?_method["']/],
  ['Python PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1', /\bPROTOCOL_(SSLv2|SSLv3|TLSv1|TLSv1_1)\b(?!_)/],
  ['Java SSLContext for SSL/TLSv1/TLSv1.1', /SSLContext\.getInstance\(\s*"(SSL|SSLv3|TLSv1|TLSv1\.1)"\s*\)/],
  ['nginx/haproxy ssl_protocols with SSLv3/TLSv1/TLSv1.1', /\b(ssl_protocols|ssl-min-ver|ssl-default-bind-options)\b[^;\n]*\b(SSLv3|TLSv1(\.[01])?)\b(?!\.[23])/],
  ['weak cipher suite (RC4, 3DES, DES-CBC, NULL, EXPORT, aNULL)', /\b(ssl_ciphers|ciphers?|CipherString|ssl-default-bind-ciphers|CipherSuites?)\b["']?\s*[:= ]\s*["']?[^\n]*(?<![!-])\b(RC4|3DES|DES-CBC3?|NULL|EXPORT|aNULL|eNULL)\b/i],
];

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Obsolete TLS versions or weak ciphers',
  severity: 'medium',
  description:
    'Scans source and configuration files for TLS settings that allow obsolete protocol versions or weak ciphers: Go MinVersion TLS 1.0/1.1 or SSL 3.0, ' +
    'Node minVersion/secureProtocol TLSv1/TLSv1.1, Python PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1, Java SSLContext.getInstance("SSL"/"TLSv1"/"TLSv1.1"), ' +
    'nginx/haproxy ssl_protocols with SSLv3/TLSv1/TLSv1.1 and cipher lists that enable RC4, 3DES, DES-CBC, NULL, EXPORT or aNULL (an excluded "!RC4" is fine).',
  remediation: 'Require TLS 1.2 or newer and AEAD cipher suites only.',
  references: [ref.fourC('Access over TLS only'), ref.nsa('Network separation (Encryption)'), ref.doc('Mozilla server-side TLS guidelines', 'https://wiki.mozilla.org/Security/Server_Side_TLS')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const files = filesOf(snapshot, ['source', 'config']);
    if (files.length === 0) return notApplicable('no source or configuration file in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'medium');
    for (const file of files) {
      out.lines(file).forEach((text, i) => {
        if (text.length > 4000 || isCommentLine(text)) return;
        for (const [what, regex] of RULES) {
          const m = regex.exec(text);
          if (!m) continue;
          out.add({ file, line: i + 1, column: m.index + 1, message: `${what}`, value: snippet(text), discriminator: `${i + 1}:${what}`, remediation: { why: WHY, fix: FIX } });
          break;
        }
      });
    }
    return findings(out.drafts, out.note());
  },
};
