import { evidence, findings } from '../../src/engine/helpers.js';
import type { Ingress, SecretMeta } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const CERT_MANAGER = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

export const check: Check = {
  id: 'cluster/ingress-tls-secret-missing',
  layer: 'cluster',
  title: 'Ingress TLS secret missing or wrong type',
  severity: 'low',
  description:
    'Inspects spec.tls[].secretName of every Ingress against the Secrets of its namespace (metadata only: name and type, never data). ' +
    'Fails when the Secret does not exist or its type is not kubernetes.io/tls: the controller then serves its default, usually self-signed, certificate. ' +
    'A missing Secret on an Ingress with a cert-manager issuer annotation is a warning (issuance may be pending). Needs permission to list secrets.',
  remediation: 'Create the referenced kubernetes.io/tls Secret in the Ingress namespace or fix spec.tls[].secretName.',
  references: [
    ref.fourC('TLS for Kubernetes Ingress'),
    ref.doc('Kubernetes: Ingress TLS', 'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'),
  ],
  needs: ['ingresses', 'secrets'],
  evaluate: (snapshot) => {
    const secrets = new Map(snapshot.list<SecretMeta>('secrets').map((s) => [`${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`, s]));
    const out: FindingDraft[] = [];
    for (const ing of snapshot.list<Ingress>('ingresses')) {
      const ns = ing.metadata?.namespace ?? '';
      const name = ing.metadata?.name ?? '';
      const issuer = CERT_MANAGER.find((k) => ing.metadata?.annotations?.[k] !== undefined);
      const seen = new Set<string>();
      (ing.spec?.tls ?? []).forEach((tls, i) => {
        const secretName = tls.secretName;
        if (!secretName || seen.has(secretName)) return;
        seen.add(secretName);
        const secret = secrets.get(`${ns}/${secretName}`);
        const hosts = (tls.hosts ?? []).join(', ') || 'any host';
        const base = {
          subject: { kind: 'Ingress', namespace: ns, name },
          discriminator: secretName,
        };
        if (!secret) {
          out.push({
            ...base,
            status: issuer ? 'warn' : 'fail',
            message: `Ingress "${ns}/${name}" references TLS Secret "${secretName}" (spec.tls[${i}].secretName, hosts ${hosts}), which does not exist in namespace "${ns}"` +
              (issuer ? `; cert-manager (${issuer}) may not have issued it yet — check the Certificate's status` : ': the controller serves its default certificate'),
            evidence: [evidence(`spec.tls[${i}].secretName`, secretName), evidence(`secrets[namespace=${ns},name=${secretName}]`, '(absent)')],
            remediation: {
              why: 'Without the Secret the controller falls back to its default (usually self-signed) certificate: clients get certificate errors or learn to click through them.',
              fix: issuer
                ? 'Check why cert-manager has not issued the certificate (`kubectl describe certificate`), or create the Secret yourself.'
                : 'Create the TLS Secret in the Ingress namespace, or point spec.tls[].secretName at the existing one.',
              command: issuer
                ? command`kubectl -n ${ns} describe certificate ${secretName}`
                : command`kubectl -n ${ns} create secret tls ${secretName} ${'--cert=<cert.pem>'} ${'--key=<key.pem>'}`,
            },
          });
        } else if (secret.type !== 'kubernetes.io/tls') {
          out.push({
            ...base,
            // The collector learns only some types (metadata-only lists carry none): unknown means "not kubernetes.io/tls".
            message: `Ingress "${ns}/${name}" references Secret "${secretName}" (spec.tls[${i}].secretName, hosts ${hosts}) ` +
              `${secret.type ? `of type "${secret.type}", not kubernetes.io/tls` : 'whose type is not kubernetes.io/tls'}: the controller serves its default certificate`,
            evidence: [evidence(`spec.tls[${i}].secretName`, secretName), evidence(`secrets[namespace=${ns},name=${secretName}].type`, secret.type ?? '(not kubernetes.io/tls)')],
            remediation: {
              why: 'Ingress controllers only use kubernetes.io/tls Secrets (keys tls.crt and tls.key); any other type leaves the default certificate in place.',
              fix: 'Recreate the Secret as type kubernetes.io/tls from the certificate and key, then delete the old one.',
              command: command`kubectl -n ${ns} create secret tls ${`${secretName}-tls`} ${'--cert=<cert.pem>'} ${'--key=<key.pem>'}` + '\n' +
                command`kubectl -n ${ns} patch ingress ${name} --type=json -p ${JSON.stringify([{ op: 'replace', path: `/spec/tls/${i}/secretName`, value: `${secretName}-tls` }])}`,
            },
          });
        }
      });
    }
    return findings(out);
  },
};
