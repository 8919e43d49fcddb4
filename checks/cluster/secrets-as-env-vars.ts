import { containerPath, containersOf, describeWorkload, evidence, findings, kindResource, visitWorkloads, WORKLOAD_OWNERS, workloadSubject } from '../../src/engine/helpers.js';
import { command } from '../../src/engine/shell.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

/** A DNS-1123 volume name for a Secret volume in the suggested patch. */
function volumeName(secret: string): string {
  const base = `secret-${secret}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return base.slice(0, 63).replace(/-+$/, '');
}

export const check: Check = {
  id: 'cluster/secrets-as-env-vars',
  layer: 'cluster',
  title: 'Secrets exposed as environment variables',
  severity: 'low',
  description:
    'Inspects env[].valueFrom.secretKeyRef and envFrom[].secretRef of every init, regular and ephemeral container. ' +
    'Reports each container that takes Secret values as environment variables, naming the Secrets and keys (never values). ' +
    'Literal credentials in env values are cluster/credentials-in-env-or-configmap.',
  remediation: 'Mount Secrets as read-only files through a secret volume and have the application read them from the file.',
  references: [ref.cis('5.4.1'), ref.kubescape('C-0207'), ref.nsa('Network separation (Secrets)')],
  needs: ['pods'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) =>
    findings(
      visitWorkloads(snapshot, (workload, { spec }) => {
        const out: FindingDraft[] = [];
        for (const c of containersOf(spec)) {
          const base = containerPath(workload, c);
          const ev: Evidence[] = [];
          const refs: string[] = [];
          const secrets = new Set<string>();
          for (const env of c.container.env ?? []) {
            const key = env.valueFrom?.secretKeyRef;
            if (!key) continue;
            secrets.add(key.name ?? '');
            refs.push(`Secret "${key.name ?? ''}" key "${key.key ?? ''}" as ${env.name}`);
            ev.push(evidence(`${base}.env[name=${env.name}].valueFrom.secretKeyRef`, `${key.name ?? ''}/${key.key ?? ''}`));
          }
          (c.container.envFrom ?? []).forEach((from, i) => {
            const name = from.secretRef?.name;
            if (name === undefined) return;
            secrets.add(name);
            refs.push(`all keys of Secret "${name}"${from.prefix ? ` (prefix ${from.prefix})` : ''}`);
            ev.push(evidence(`${base}.envFrom[${i}].secretRef.name`, name));
          });
          if (refs.length === 0) continue;

          const names = [...secrets];
          // The YAML goes where the pod spec sits in this kind (spec, spec.template.spec, …).
          const nesting = workload.specPath.split('.');
          const pad = '  '.repeat(nesting.length);
          const body = [
            'volumes:',
            ...names.flatMap((s) => [`- name: ${volumeName(s)}`, '  secret:', `    secretName: ${JSON.stringify(s)}`]),
            `${c.list}:`,
            `- name: ${JSON.stringify(c.container.name)}`,
            '  volumeMounts:',
            ...names.flatMap((s) => [`  - name: ${volumeName(s)}`, `    mountPath: ${JSON.stringify(`/etc/secrets/${s}`)}`, '    readOnly: true']),
            '  # then remove the env/envFrom entries that reference these Secrets',
          ];
          const patch = [...nesting.map((key, i) => `${'  '.repeat(i)}${key}:`), ...body.map((line) => pad + line), ''].join('\n');

          out.push({
            subject: workloadSubject(workload, c.container.name),
            message: `container "${c.container.name}" of ${describeWorkload(workload)} reads ${refs.join(', ')} into environment variables`,
            evidence: ev,
            remediation: {
              why: 'Environment variables leak into crash dumps, /proc/<pid>/environ, child processes, debug endpoints and logs, and cannot be rotated without a restart.',
              fix: `Mount ${names.map((s) => `Secret "${s}"`).join(', ')} as files (a secret volume with readOnly: true), read the values from the files and remove the env references.`,
              patch,
              command: [
                '# which variables of this container come from Secrets (to verify, and again after the change)',
                command`kubectl -n ${workload.namespace} get ${kindResource(workload.kind)} ${workload.name} -o ${`jsonpath={range .${workload.specPath}.${c.list}[?(@.name=="${c.container.name.replace(/["\\]/g, '')}")]}{.env[*].valueFrom.secretKeyRef.name}{" "}{.envFrom[*].secretRef.name}{"\n"}{end}`}`,
                '# mount the Secrets as files (the patch), then remove the env/envFrom references',
                command`kubectl -n ${workload.namespace} edit ${kindResource(workload.kind)} ${workload.name}`,
              ].join('\n'),
            },
          });
        }
        return out;
      }),
    ),
};
