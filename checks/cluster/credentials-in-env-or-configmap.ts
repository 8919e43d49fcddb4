import { containerPatch, containerPath, containersOf, describeWorkload, evidence, findings, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { ConfigMap } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { credentialAssignments, describeFingerprint, isCredentialName, isPlaceholderValue, matchSecretFormats, type SecretFormatMatch } from '../../src/engine/secret-patterns.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** A DNS-1123 Secret name derived from an object name. */
function secretName(base: string): string {
  const name = `${base}-credentials`.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+/g, '-');
  return name.slice(0, 253).replace(/[^a-z0-9]+$/, '') || 'credentials';
}

/** A valid Secret data key (`[-._a-zA-Z0-9]+`). */
function secretKey(name: string): string {
  return name.replace(/[^-._a-zA-Z0-9]/g, '_') || 'value';
}

/** RFC 6901 escaping for a JSON-patch path segment. */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `an AWS access key ID`, `a private key block` */
function aFormat(m: SecretFormatMatch): string {
  return `${/^(AWS|npm|[aeio])/i.test(m.format.title) ? 'an' : 'a'} ${m.format.title}`;
}

const WHY = 'Literal values are stored unencrypted in the pod spec or ConfigMap (and in etcd, backups, GitOps repositories and kubectl output) and are readable by anyone who can read workloads or ConfigMaps; Secrets can be encrypted at rest, access-controlled separately and kept out of manifests.';

export const check: Check = {
  id: 'cluster/credentials-in-env-or-configmap',
  layer: 'cluster',
  title: 'Credentials in plain environment values or ConfigMaps',
  severity: 'high',
  description:
    'Inspects literal env[].value of every init, regular and ephemeral container (once per top-level workload) and, when the ConfigMap content scan ' +
    'is enabled (opt-in), every ConfigMap key and value. Fails high when a credential-like name (passw(or)d, pwd, secret, token, api key, access key, ' +
    'private key, credential, auth, or a well-known credential variable such as AZURE_BATCH_KEY, OCI_CLI_KEY_CONTENT, *_SIGNING_KEY; not …_FILE/_PATH/' +
    '_DIR/_URL/_ENDPOINT/_ENABLED/_NAME/_USER/_ID or usage qualifiers such as _MODE/_TYPE) has a value ' +
    'that is not a placeholder (empty, changeme, <…>, ${…}, $(…), {{…}}, true/false, a number, a file path, a URL without a password), and for ' +
    'NAME=value / name: value lines of the same kind inside ConfigMap values; critical when any value matches a known secret format (private key ' +
    'block, AWS access key ID, GitHub/GitLab/Slack/Google/Stripe tokens, URL with an inline password …). Values are never shown: only a SHA-256 ' +
    'prefix and the length.',
  remediation: 'Rotate the exposed credential, store the new value in a Secret (or an external secret store) and reference it instead of the literal.',
  references: [
    ref.kubescape('C-0012'), ref.kubescape('C-0259'), ref.trivy('KSV-0109'),
    ref.polaris('sensitiveContainerEnvVar'), ref.polaris('sensitiveConfigmapContent'), ref.nsa('Network separation (Secrets)'),
    ref.doc('Kubernetes Secrets good practices', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'),
  ],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'configmaps'],
  evaluate: (snapshot) => {
    const out: FindingDraft[] = visitWorkloads(snapshot, (workload, { spec }) => {
      const drafts: FindingDraft[] = [];
      for (const c of containersOf(spec)) {
        for (const env of c.container.env ?? []) {
          const value = env.value;
          if (value === undefined || value === '' || env.valueFrom !== undefined) continue;
          const formats = matchSecretFormats(value);
          const critical = formats.find((m) => m.format.severity === 'critical');
          const byName = isCredentialName(env.name) && !isPlaceholderValue(value);
          if (!byName && formats.length === 0) continue;
          const shown = critical ?? (byName ? undefined : formats[0]);
          const what = shown ? `a literal value that is ${aFormat(shown)}` : 'a literal value';
          const secret = secretName(workload.name);
          const key = secretKey(env.name);
          const patch = containerPatch(c, { env: [{ name: env.name, value: null, valueFrom: { secretKeyRef: { name: secret, key } } }] });
          drafts.push({
            subject: workloadSubject(workload, c.container.name),
            severity: critical ? 'critical' : 'high',
            discriminator: `env:${env.name}`,
            message: `container "${c.container.name}" of ${describeWorkload(workload)} sets env ${env.name}${byName ? ' (a credential name)' : ''} to ${what} (${describeFingerprint(value)})`,
            evidence: [evidence(`${containerPath(workload, c)}.env[name=${env.name}].value`, `<redacted ${describeFingerprint(value)}>`)],
            remediation: {
              why: WHY,
              fix: `Rotate the credential in ${env.name} first (treat it as exposed), create a Secret holding the new value and reference it with valueFrom.secretKeyRef (or mount it as a file).`,
              command: [
                '# 1. rotate the credential, then store the NEW value (never the exposed one) in a Secret',
                command`kubectl -n ${workload.namespace} create secret generic ${secret} ${`--from-literal=${key}=<rotated-value>`}`,
                `# 2. reference it instead of the literal value`,
                workloadPatchCommand(workload, patch),
              ].join('\n'),
            },
          });
        }
      }
      return drafts;
    });

    const notes: string[] = [];
    let configMapsUnreadable: string | undefined;
    if (!snapshot.config.configMapContents) {
      notes.push('ConfigMap contents were not scanned (opt-in)');
    } else if (!snapshot.has('configmaps')) {
      configMapsUnreadable = snapshot.error('configmaps')?.message ?? 'not collected';
    } else {
      let scanned = 0;
      for (const cm of snapshot.list<ConfigMap>('configmaps')) {
        scanned++;
        const ns = cm.metadata?.namespace ?? '';
        const name = cm.metadata?.name ?? '';
        for (const [key, value] of Object.entries(cm.data ?? {})) {
          if (typeof value !== 'string') continue;
          const formats = matchSecretFormats(value);
          const critical = formats.find((m) => m.format.severity === 'critical');
          const byKey = isCredentialName(key) && !isPlaceholderValue(value);
          const assignments = byKey ? [] : credentialAssignments(value);
          if (!byKey && formats.length === 0 && assignments.length === 0) continue;
          const path = `configmaps[namespace=${ns},name=${name}].data[${key}]`;
          const secret = secretName(name);
          const skey = secretKey(key);
          const line = (m: SecretFormatMatch) => (value.includes('\n') ? ` (line ${m.line})` : '');
          const first = formats[0];
          let what: string;
          if (critical) what = `holds ${aFormat(critical)}${line(critical)}`;
          else if (byKey) what = 'holds a literal credential';
          else if (assignments.length > 0) what = `assigns literal credential values to ${assignments.map((a) => `${a.name} (line ${a.line})`).join(', ')}`;
          else what = first ? `holds ${aFormat(first)}${line(first)}` : 'holds a literal credential';
          const whole = byKey || assignments.length === 0;
          out.push({
            subject: { kind: 'ConfigMap', namespace: ns, name },
            severity: critical ? 'critical' : 'high',
            discriminator: `data:${key}`,
            message: `ConfigMap "${ns}/${name}" key ${key} ${what} (${describeFingerprint(value)})`,
            evidence: [
              evidence(path, `<redacted ${describeFingerprint(value)}>`),
              ...assignments.map((a) => evidence(`${path} line ${a.line} ${a.name}`, `<redacted ${describeFingerprint(a.value)}>`)),
            ],
            remediation: {
              why: WHY,
              fix: whole
                ? `Rotate the credential first, put the new value in a Secret, point the consumers of ${key} at the Secret (secretKeyRef or a secret volume), then remove the key from the ConfigMap.`
                : `Rotate the credentials first, move them out of the ${key} file into a Secret (mounted as a file or read from the environment), and keep only non-secret settings in the ConfigMap.`,
              command: [
                '# 1. rotate the credential, then store the NEW value (never the exposed one) in a Secret',
                command`kubectl -n ${ns} create secret generic ${secret} ${`--from-literal=${whole ? skey : secretKey(assignments[0]?.name ?? key)}=<rotated-value>`}`,
                ...(whole
                  ? ['# 2. after the consumers read the Secret, remove the key from the ConfigMap', command`kubectl -n ${ns} patch configmap ${name} --type=json -p ${JSON.stringify([{ op: 'remove', path: `/data/${pointer(key)}` }])}`]
                  : []),
              ].join('\n'),
            },
          });
        }
      }
      notes.push(`${scanned} ConfigMap${scanned === 1 ? '' : 's'} scanned`);
    }

    if (configMapsUnreadable !== undefined && out.length === 0) {
      return { findings: [], status: 'unable', reason: `no literal credentials in env values, but ConfigMap contents could not be scanned: ${configMapsUnreadable}` };
    }
    if (configMapsUnreadable !== undefined) notes.push(`ConfigMap contents could not be scanned: ${configMapsUnreadable}`);
    return findings(out, `no literal credentials in container env values; ${notes.join('; ')}`);
  },
};
