import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, isCommentLine } from '../../src/files/code-check.js';

const CHECK_ID = 'code/plaintext-http-endpoint';
const WHY = 'The 4C\'s page asks for access over TLS only; plain HTTP exposes requests, credentials and responses to anyone on the network path.';

const URL = /\bhttp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._~%-]+)(:\d+)?([^\s"'`<>)\]}]*)/g;

/** Identifiers that look like URLs but are never fetched: schemas, XML namespaces, licences, documentation hosts. */
const IDENTIFIER_HOSTS = /^(www\.w3\.org|w3\.org|json-schema\.org|schemas?\.[\w.-]+|[\w.-]*\.?xmlsoap\.org|purl\.org|xmlns\.[\w.-]+|ns\.adobe\.com|www\.apache\.org|apache\.org|opensource\.org|www\.opensource\.org|www\.gnu\.org|gnu\.org|creativecommons\.org|maven\.apache\.org|java\.sun\.com|xml\.org|www\.xml\.org|relaxng\.org|docbook\.org|openoffice\.org|schemas\.microsoft\.com|schemas\.openxmlformats\.org|(www\.)?example\.(com|org|net)|[\w.-]+\.example(\.(com|org|net))?|[\w.-]+\.(test|invalid|localhost|example))$/i;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0.0.0.0' || h === 'host.docker.internal';
}

export function isInCluster(host: string): boolean {
  return /\.svc(\.cluster\.local)?$/i.test(host) || /\.cluster\.local$/i.test(host);
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Plain-HTTP endpoints in code or config',
  severity: 'medium',
  description:
    'Scans source, configuration and manifest files for http:// URLs. Loopback hosts (localhost, 127.0.0.0/8, ::1), schema and namespace identifiers ' +
    '(www.w3.org, json-schema.org, schemas.*, purl.org, XML namespaces, licence URLs), example.com/org/net and URLs in comment lines are ignored. ' +
    'External hosts fail (medium); in-cluster hosts (*.svc, *.svc.cluster.local, *.cluster.local) fail at low with "consider mTLS".',
  remediation: 'Use https:// endpoints, and mTLS (for example through a service mesh) between services inside the cluster.',
  references: [ref.fourC('Access over TLS only'), ref.nsa('Network separation (Encryption)')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const files = filesOf(snapshot, ['source', 'config', 'k8s']);
    if (files.length === 0) return notApplicable('no source, configuration or manifest file in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'medium');
    for (const file of files) {
      out.lines(file).forEach((text, i) => {
        if (text.length > 4000 || isCommentLine(text) || /xmlns(:\w+)?\s*=|xsi:schemaLocation|DOCTYPE/.test(text)) return;
        URL.lastIndex = 0;
        for (let m = URL.exec(text); m; m = URL.exec(text)) {
          const host = m[1] ?? '';
          if (isLoopback(host) || IDENTIFIER_HOSTS.test(host) || /^[%$]|\$\{|\{\{/.test(host)) continue;
          // A bare service name ("http://api:8080") is an in-cluster (or compose) host.
          const inCluster = isInCluster(host) || (!host.includes('.') && !host.startsWith('['));
          const url = m[0].length > 120 ? `${m[0].slice(0, 120)}…` : m[0];
          out.add({
            file, line: i + 1, column: m.index + 1,
            severity: inCluster ? 'low' : 'medium',
            message: inCluster ? `plain-HTTP URL to in-cluster host "${host}" — consider mTLS` : `plain-HTTP URL to "${host}"`,
            value: url,
            discriminator: `${i + 1}:${m.index}`,
            remediation: { why: WHY, fix: inCluster ? 'Encrypt service-to-service traffic with mTLS (a service mesh such as Istio or Linkerd in STRICT mode) or serve HTTPS.' : `Use https://${host}${m[2] ?? ''}${m[3] ?? ''} instead.` },
          });
        }
      });
    }
    return findings(out.drafts, out.note());
  },
};
