import { probe, reportByBinding, type Hit, type Probe } from '../../src/engine/rbac-report.js';
import { RbacIndex, type Grant, type Match } from '../../src/engine/rbac.js';
import { gradePodCreate, podSecurityOpen, podSecurityUnenforced } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Severity } from '../../src/engine/types.js';

const CONTROLLERS: readonly (readonly [group: string, resource: string])[] = [
  ['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets'], ['apps', 'daemonsets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];

export const check: Check = {
  id: 'cluster/rbac-pod-create',
  layer: 'cluster',
  title: 'Subjects can create pods or controllers',
  severity: 'medium',
  description:
    'Evaluates the effective RBAC permissions of every binding subject for create on pods, and create, update or patch on deployments, ' +
    'replicasets, statefulsets, daemonsets (apps), jobs, cronjobs (batch) and replicationcontrollers. Medium; high when the binding\'s namespace ' +
    '(for a cluster-wide grant: any namespace) does not enforce Pod Security baseline or restricted through its ' +
    'pod-security.kubernetes.io/enforce label (an AdmissionConfiguration default is not visible). update/patch limited to resourceNames is ' +
    'low; resourceNames cannot limit create. Default grants (controllers, kubelets, rbac-defaults and kubeadm bindings) are excluded.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Restrict pod and controller creation to CI/CD identities and enforce Pod Security baseline or restricted in every namespace.',
  references: [ref.cis('5.1.4'), ref.kubescape('C-0188'), ref.trivy('KSV-0048')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['namespaces'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const open = podSecurityUnenforced(snapshot);
    // gradePodCreate (shared with the service-account checks): resourceNames never allow create, the name is not known when it is authorized.
    const severity = (verb: string) => (grant: Grant, match: Match): Severity | undefined => gradePodCreate(verb, podSecurityOpen(open, grant.namespace), match);
    const probes: Probe[] = [
      { req: { verb: 'create', group: '', resource: 'pods' }, severity: severity('create') },
      ...CONTROLLERS.flatMap(([group, resource]) => (['create', 'update', 'patch'] as const).map((verb) => ({ req: { verb, group, resource }, severity: severity(verb) }))),
    ];
    const notes = (hits: readonly Hit[]): string[] => {
      const grant = hits[0]?.grant;
      if (!grant) return [];
      if (open === undefined) return ['namespaces could not be read, so Pod Security enforcement is unknown'];
      if (grant.namespace !== undefined) {
        return open.has(grant.namespace) ? [`namespace "${grant.namespace}" does not enforce Pod Security baseline or restricted, so privileged pods are admitted`] : [];
      }
      const names = [...open].sort();
      return names.length > 0
        ? [`${names.length} namespace(s) do not enforce Pod Security baseline or restricted (${names.slice(0, 3).map((n) => `"${n}"`).join(', ')}${names.length > 3 ? ', …' : ''}), so privileged pods are admitted there`]
        : [];
    };
    return reportByBinding(snapshot, index, probe(index, probes), {
      why: 'Creating a pod lets the subject run any image with any Secret and any service account of the namespace, and privileged host access where Pod Security is not enforced.',
      fix: 'Keep pod and controller creation for CI/CD identities; enforce Pod Security baseline or restricted in the namespaces (see cluster/pss-enforce-missing).',
      notes,
    });
  },
};
