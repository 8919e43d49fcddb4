import { CLOUD_CREDENTIAL_VARS } from '../../src/engine/cloud.js';
import { containerPath, containersOf, describeWorkload, evidence, findings, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { ConfigMap } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft, Severity } from '../../src/engine/types.js';

const WHY = 'Static cloud keys do not expire, are copied into etcd, backups and logs, and bypass workload identity: whoever reads the pod spec, the Secret or the container environment holds the cloud account.';

/** ConfigMap content that is a cloud credential file (names/markers only; values are never shown). */
function configMapCredential(text: string): string | undefined {
  if (/aws_secret_access_key\s*[=:]/i.test(text)) return 'an AWS credentials file (aws_secret_access_key)';
  if (/"type"\s*:\s*"service_account"/.test(text) && /"private_key"\s*:/.test(text)) return 'a Google service-account key (JSON with "type": "service_account" and "private_key")';
  return undefined;
}

export const check: Check = {
  id: 'cloud/static-cloud-credentials',
  layer: 'cloud',
  title: 'Long-lived cloud keys given to workloads',
  severity: 'high',
  description:
    'Inspects env[] of every container (init, regular, ephemeral) for cloud credential variables by name: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ' +
    'AWS_SESSION_TOKEN, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, ARM_CLIENT_SECRET, GOOGLE_APPLICATION_CREDENTIALS, ' +
    'ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALICLOUD_SECRET_KEY, OCI_CLI_KEY_FILE, DIGITALOCEAN_ACCESS_TOKEN. A literal value in a key format fails ' +
    'critical, another literal or a key-file path high, a secretKeyRef/configMapKeyRef high. With the opt-in ConfigMap scan, AWS credential files ' +
    'and Google service-account keys in ConfigMaps fail critical. Values are never shown.',
  remediation: 'Replace static cloud keys with workload identity, then revoke the keys at the provider and delete the Secrets that hold them.',
  references: [
    ref.fourC('Kubernetes access to Cloud Provider API'), ref.nsa('Network separation (Secrets)'), ref.kubescape('C-0012'), ref.kubescape('C-0020'),
    ref.kubescape('C-0259'), ref.trivy('DS-0031'),
  ],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'configmaps'],
  evaluate: (snapshot) => {
    const out: FindingDraft[] = visitWorkloads(snapshot, (workload, revision) => {
      const drafts: FindingDraft[] = [];
      for (const cref of containersOf(revision.spec)) {
        const c = cref.container;
        const hits: { name: string; how: string; severity: Severity; secret?: string }[] = [];
        const ev: Evidence[] = [];
        for (const env of c.env ?? []) {
          const spec = CLOUD_CREDENTIAL_VARS[env.name];
          if (!spec) continue;
          const path = `${containerPath(workload, cref)}.env[name=${env.name}]`;
          if (env.valueFrom?.secretKeyRef) {
            const s = env.valueFrom.secretKeyRef;
            hits.push({ name: env.name, how: `from Secret "${s.name ?? ''}"`, severity: 'high', ...(s.name ? { secret: s.name } : {}) });
            ev.push(evidence(`${path}.valueFrom.secretKeyRef`, `secret ${s.name ?? ''}, key ${s.key ?? ''}`));
          } else if (env.valueFrom?.configMapKeyRef) {
            const m = env.valueFrom.configMapKeyRef;
            hits.push({ name: env.name, how: `from ConfigMap "${m.name ?? ''}"`, severity: 'high' });
            ev.push(evidence(`${path}.valueFrom.configMapKeyRef`, `configmap ${m.name ?? ''}, key ${m.key ?? ''}`));
          } else if (typeof env.value === 'string' && env.value.trim() !== '') {
            if (spec.path) {
              // A key-file path is not a secret: show it.
              hits.push({ name: env.name, how: `key file ${env.value}`, severity: 'high' });
              ev.push(evidence(`${path}.value`, env.value));
            } else {
              const keyFormat = spec.format?.test(env.value.trim()) === true;
              hits.push({ name: env.name, how: keyFormat ? `literal ${spec.cloud} key` : 'literal value', severity: keyFormat ? 'critical' : 'high' });
              ev.push(evidence(`${path}.value`, keyFormat ? `(literal, ${spec.cloud} key format; value not shown)` : '(literal; value not shown)'));
            }
          }
        }
        if (hits.length === 0) continue;
        const severity: Severity = hits.some((h) => h.severity === 'critical') ? 'critical' : 'high';
        const secrets = [...new Set(hits.map((h) => h.secret).filter((s): s is string => s !== undefined))];
        const literals = hits.filter((h) => h.how.startsWith('literal') || h.how.startsWith('key file'));
        const commands = [
          ...(literals.length > 0 ? [`# after moving the workload to workload identity, remove the literal variables:`, workloadPatchCommand(workload, { [cref.list]: [{ name: c.name, env: literals.map((h) => ({ name: h.name, $patch: 'delete' })) }] })] : []),
          ...secrets.map((s) => command`kubectl -n ${workload.namespace} delete secret ${s}` + '   # after migrating and revoking the key at the provider'),
        ];
        drafts.push({
          subject: workloadSubject(workload, c.name),
          severity,
          discriminator: 'env',
          message: `${describeWorkload(workload)} container "${c.name}" gets static cloud credentials: ${hits.map((h) => `${h.name} (${h.how})`).join(', ')}${secrets.length > 0 ? '; long-lived key stored in a Secret' : ''}`,
          evidence: ev,
          remediation: {
            why: WHY,
            fix: 'Move the workload to workload identity (IRSA/EKS Pod Identity, GKE Workload Identity, Azure Workload Identity; see cloud/workload-identity-not-used), revoke the key at the provider, then remove the variables and delete the Secret.',
            ...(commands.length > 0 ? { command: commands.join('\n') } : {}),
          },
        });
      }
      return drafts;
    });

    let note: string | undefined;
    if (!snapshot.config.configMapContents) {
      note = 'ConfigMap contents not scanned (opt-in)';
    } else if (!snapshot.has('configmaps')) {
      note = `ConfigMaps not scanned: ${snapshot.error('configmaps')?.message ?? 'not collected'}`;
    } else {
      for (const cm of snapshot.list<ConfigMap>('configmaps')) {
        const ns = cm.metadata?.namespace ?? '';
        const name = cm.metadata?.name ?? '';
        const keys = Object.entries(cm.data ?? {}).map(([key, text]) => ({ key, what: configMapCredential(String(text)) })).filter((k) => k.what !== undefined);
        if (keys.length === 0) continue;
        out.push({
          subject: { kind: 'ConfigMap', namespace: ns, name },
          severity: 'critical',
          discriminator: 'configmap',
          message: `ConfigMap "${ns}/${name}" holds ${keys.map((k) => `${k.what} in key "${k.key}"`).join(', ')}`,
          evidence: keys.map((k) => evidence(`configmaps[namespace=${ns},name=${name}].data[${k.key}]`, '(credential file; value not shown)')),
          remediation: {
            why: `${WHY} ConfigMaps are readable by far more subjects than Secrets.`,
            fix: 'Revoke the key at the provider, move the consumers to workload identity and delete the ConfigMap.',
            command: command`kubectl -n ${ns} delete configmap ${name}` + '   # after revoking the key and migrating its consumers',
          },
        });
      }
    }
    return findings(out, note);
  },
};
