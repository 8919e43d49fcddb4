import { WORKLOAD_OWNERS, describeWorkload, findings, kindResource, workloadSubject } from '../../src/engine/helpers.js';
import type { Service } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { command, literal } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

const NS = 'default';
const WHY = '`default` usually has no Pod Security labels, quotas or NetworkPolicies, and RBAC grants there are easy to over-share: everything in it is less isolated than in a dedicated namespace.';

/** Export, recreate in a new namespace, delete from default (the object's spec is kept; edit it on the way). */
function moveCommand(kind: string, name: string): string {
  const file = `${name}.yaml`;
  const resource = /^[A-Z][A-Za-z]*$/.test(kind) ? literal(kindResource(kind)) : kindResource(kind);
  return [
    command`kubectl create namespace ${'<new-namespace>'}`,
    command`kubectl -n default get ${resource} ${name} -o yaml > ${file}`,
    '# edit the file: set metadata.namespace, drop status, uid, resourceVersion (and clusterIP for Services)',
    command`kubectl -n ${'<new-namespace>'} apply -f ${file}`,
    command`kubectl -n default delete ${resource} ${name}`,
  ].join('\n');
}

export const check: Check = {
  id: 'cluster/default-namespace-workloads',
  layer: 'cluster',
  title: 'Workloads in the default namespace',
  severity: 'low',
  description:
    'Inspects the default namespace: fails for every workload there (pods resolved to their top controller, and controllers with no pods) and ' +
    'every Service other than the API server\'s own "kubernetes" Service.',
  remediation: 'Move the workloads and Services out of default into a dedicated namespace with Pod Security labels, a quota and NetworkPolicies.',
  references: [
    ref.cis('5.6.4'), ref.kubescape('C-0212'), ref.kubescape('C-0061'), ref.trivy('KSV-0110'),
    ref.doc('Namespaces', 'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'),
  ],
  needs: ['pods', 'services'],
  optionalNeeds: WORKLOAD_OWNERS,
  evaluate: (snapshot) => {
    if (snapshot.namespaces !== undefined && !snapshot.namespaces.includes(NS)) {
      return findings([], 'the scan was limited to other namespaces');
    }
    const out: FindingDraft[] = [];
    for (const w of snapshot.workloads()) {
      if (w.namespace !== NS || w.isStatic) continue;
      out.push({
        subject: workloadSubject(w),
        scope: 'workload',
        message: `${describeWorkload(w)} runs in the default namespace`,
        evidence: [{ path: 'metadata.namespace', value: NS }],
        remediation: { why: WHY, fix: 'Recreate it in a dedicated namespace (with PSS labels, a ResourceQuota and NetworkPolicies) and delete it from default.', command: moveCommand(w.kind, w.name) },
      });
    }
    for (const svc of snapshot.list<Service>('services')) {
      const name = svc.metadata?.name ?? '';
      if (svc.metadata?.namespace !== NS || name === 'kubernetes') continue;
      out.push({
        subject: { kind: 'Service', namespace: NS, name },
        scope: 'workload',
        message: `Service "default/${name}" lives in the default namespace`,
        evidence: [{ path: 'metadata.namespace', value: NS }],
        remediation: { why: WHY, fix: 'Recreate the Service next to its workload in a dedicated namespace (update clients to the new DNS name) and delete it from default.', command: moveCommand('Service', name) },
      });
    }
    return findings(out, 'only the kubernetes Service is in the default namespace');
  },
};
