import { describeWorkload, evidence, findings } from '../../src/engine/helpers.js';
import type { PolicyRule, Role, RoleBinding, Subject } from '../../src/engine/k8s.js';
import { canICommand, describeSubject, exemption, isBroadSubject, toRbacSubject, type BindingRef, type RbacSubject, type RoleRefInfo } from '../../src/engine/rbac.js';
import { gradeClusterAdmin } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Snapshot, Workload } from '../../src/engine/snapshot.js';
import type { Check, Evidence, FindingDraft, Severity } from '../../src/engine/types.js';

/** The first rule that grants everything: `*`/`*`/`*` (without resourceNames), or nonResourceURLs `*` with verbs `*`. */
export function adminRuleIndex(rules: readonly PolicyRule[] | undefined): number {
  return (rules ?? []).findIndex((r) => {
    const verbs = r.verbs ?? [];
    if (!verbs.includes('*')) return false;
    const allResources = (r.apiGroups ?? []).includes('*') && (r.resources ?? []).includes('*') && (r.resourceNames ?? []).length === 0;
    return allResources || (r.nonResourceURLs ?? []).includes('*');
  });
}

function subjectFlag(s: RbacSubject): string {
  if (s.kind === 'ServiceAccount') return command`${`--serviceaccount=${s.namespace ?? ''}:${s.name}`}`;
  if (s.kind === 'Group') return command`${`--group=${s.name}`}`;
  return command`${`--user=${s.name}`}`;
}

/** `ns/sa` → running workloads that use it (described lazily: only admin-bound accounts are named). */
function serviceAccountUsers(snapshot: Snapshot): Map<string, Workload[]> {
  const out = new Map<string, Workload[]>();
  for (const w of snapshot.workloads()) {
    if (w.source !== 'pods') continue;
    for (const r of w.revisions) {
      const spec = r.spec as typeof r.spec & { serviceAccount?: string };
      const key = `${w.namespace}/${spec.serviceAccountName || spec.serviceAccount || 'default'}`;
      const list = out.get(key);
      if (!list) out.set(key, [w]);
      else if (!list.includes(w)) list.push(w);
    }
  }
  return out;
}

export const check: Check = {
  id: 'cluster/rbac-cluster-admin-binding',
  layer: 'cluster',
  title: 'Subjects bound to cluster-admin (or equivalent)',
  severity: 'high',
  description:
    'Inspects ClusterRoleBindings and RoleBindings whose roleRef is the cluster-admin ClusterRole, or a (Cluster)Role with a rule granting ' +
    'apiGroups "*", resources "*" and verbs "*" (or nonResourceURLs "*" with verbs "*"). A ClusterRoleBinding is high, critical when a subject is ' +
    'system:authenticated, system:unauthenticated, system:serviceaccounts(:<ns>), system:anonymous or a ServiceAccount used by a running workload; ' +
    'a RoleBinding is medium (namespace-admin equivalent), high in kube-system or for those broad groups. The default cluster-admin → system:masters ' +
    'binding, kubeadm\'s kubeadm:cluster-admins binding, system: subjects of objects labelled kubernetes.io/bootstrapping=rbac-defaults and ' +
    'control-plane component identities are excluded.',
  remediation: 'Bind a narrower role that grants only what each subject needs and delete the cluster-admin binding.',
  references: [
    ref.cis('5.1.1'), ref.kubescape('C-0185'), ref.kubescape('C-0035'), ref.trivy('KSV-0111'),
    ref.polaris('clusterrolebindingClusterAdmin'), ref.polaris('rolebindingClusterAdminClusterRole'), ref.polaris('rolebindingClusterAdminRole'),
    ref.nsa('AuthN/AuthZ (Role-based access control)'),
  ],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers'],
  evaluate: (snapshot) => {
    const clusterRoles = new Map(snapshot.list<Role>('clusterroles').map((r) => [r.metadata?.name ?? '', r]));
    const roles = new Map(snapshot.list<Role>('roles').map((r) => [`${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`, r]));
    const podsKnown = snapshot.has('pods');
    let saUsers: Map<string, Workload[]> | undefined;
    let excluded = 0;
    const out: FindingDraft[] = [];

    const bindings = [
      ...snapshot.list<RoleBinding>('clusterrolebindings').map((b) => ({ b, kind: 'ClusterRoleBinding' as const })),
      ...snapshot.list<RoleBinding>('rolebindings').map((b) => ({ b, kind: 'RoleBinding' as const })),
    ];
    for (const { b, kind } of bindings) {
      const roleRef = b.roleRef;
      if (!roleRef) continue;
      const name = b.metadata?.name ?? '';
      const ns = kind === 'RoleBinding' ? b.metadata?.namespace : undefined;

      // Which role does the binding grant, and is it cluster-admin or equivalent?
      const role = roleRef.kind === 'ClusterRole' ? clusterRoles.get(roleRef.name) : roleRef.kind === 'Role' ? roles.get(`${ns ?? ''}/${roleRef.name}`) : undefined;
      const isClusterAdmin = roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin';
      const ruleIndex = adminRuleIndex(role?.rules);
      // cluster-admin is reconciled by the API server at start-up, so it is admin even when its object was not listed.
      if (!isClusterAdmin && ruleIndex < 0) continue;

      // CHECKS.md §1.8 exclusions, shared with every RBAC check through the engine.
      const bindingRef: BindingRef = { kind, name, ...(ns !== undefined ? { namespace: ns } : {}) };
      const roleInfo: RoleRefInfo = roleRef.kind === 'Role' ? { kind: 'Role', name: roleRef.name, namespace: ns ?? '' } : { kind: 'ClusterRole', name: roleRef.name };
      const rbac = new Map<Subject, RbacSubject>();
      for (const s of b.subjects ?? []) {
        const rs = toRbacSubject(s, ns);
        // Subjects of other kinds match no request; excluded defaults grant as expected.
        if (rs && exemption(rs, b, bindingRef, roleInfo, role) === undefined) rbac.set(s, rs);
      }
      const subjects = [...rbac.keys()];
      const subjectOf = (s: Subject): RbacSubject => rbac.get(s) as RbacSubject;
      if (subjects.length === 0) {
        if ((b.subjects ?? []).length > 0) excluded++;
        continue;
      }

      const notes: string[] = [];
      let broad = false;
      let usedByWorkload = false;
      const described = subjects.map((s) => {
        let text = describeSubject(subjectOf(s));
        if (isBroadSubject(subjectOf(s))) {
          broad = true;
          text += ' (every caller in that group)';
        } else if (s.kind === 'ServiceAccount') {
          if (podsKnown) saUsers ??= serviceAccountUsers(snapshot);
          const users = saUsers?.get(`${s.namespace || ns || ''}/${s.name}`);
          if (users?.length) {
            usedByWorkload = true;
            text += ` (used by running ${users.slice(0, 3).map(describeWorkload).join(', ')}${users.length > 3 ? ` and ${users.length - 3} more` : ''})`;
          }
        }
        return text;
      });
      if (!podsKnown && subjects.some((s) => s.kind === 'ServiceAccount')) {
        notes.push('pods could not be read, so whether a running workload uses the service account is unknown');
      }

      // gradeClusterAdmin is shared with the service-account checks.
      const severity: Severity = gradeClusterAdmin(kind === 'ClusterRoleBinding', ns, { broad, usedByRunningWorkload: usedByWorkload });

      const roleText = `${roleRef.kind} "${roleRef.name}"`;
      const ruleText = ruleIndex >= 0 && role && !isClusterAdmin ? ` (rules[${ruleIndex}] grants everything: equivalent to cluster-admin)` : '';
      const scopeText = kind === 'RoleBinding' ? ` in namespace "${ns ?? ''}" (namespace-admin equivalent${ns === 'kube-system' ? '; kube-system admin reaches cluster-admin through its controllers\' service accounts' : ''})` : ' cluster-wide';
      const bindingText = kind === 'RoleBinding' ? `RoleBinding "${ns ?? ''}/${name}"` : `ClusterRoleBinding "${name}"`;

      const ev: Evidence[] = [evidence('roleRef', `${roleRef.kind}/${roleRef.name}`)];
      (b.subjects ?? []).forEach((s, i) => {
        if (subjects.includes(s)) ev.push(evidence(`subjects[${i}]`, `${s.kind} ${s.kind === 'ServiceAccount' ? `${s.namespace || ns || ''}/` : ''}${s.name}`));
      });
      if (role && ruleIndex >= 0) {
        const roleKey = roleRef.kind === 'ClusterRole' ? `clusterroles[name=${roleRef.name}]` : `roles[namespace=${ns ?? ''},name=${roleRef.name}]`;
        ev.push(evidence(`${roleKey}.rules[${ruleIndex}]`, role.rules?.[ruleIndex]));
      }

      const narrow = `${name}-narrow`;
      const all = b.subjects ?? [];
      // When the binding also holds excluded (default) subjects, remove only the flagged ones, never the binding.
      const partial = subjects.length < all.length;
      const removal = all
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => subjects.includes(s))
        .reverse()
        .flatMap(({ s, i }) => [{ op: 'test', path: `/subjects/${i}/name`, value: s.name }, { op: 'remove', path: `/subjects/${i}` }]);
      const resource = kind === 'ClusterRoleBinding' ? 'clusterrolebinding' : 'rolebinding';
      const nsFlag = kind === 'RoleBinding' ? command`-n ${ns ?? ''} ` : '';
      const remove = partial
        ? [`# 3. remove only the flagged subject(s); the binding's default subjects stay`,
           `kubectl ${nsFlag}patch ${resource} ` + command`${name} --type=json -p ${JSON.stringify(removal)}`]
        : [`# 3. remove the ${kind === 'ClusterRoleBinding' ? 'cluster-admin' : 'admin'} binding`,
           `kubectl ${nsFlag}delete ${resource} ` + command`${name}`];
      const commands = [
        '# 1. what each subject can do today',
        ...subjects.map((s) => canICommand(subjectOf(s), ns)),
        '# 2. bind a narrower role (adjust verbs and resources to what the subjects need)',
        ...(kind === 'ClusterRoleBinding'
          ? [
              command`kubectl create clusterrole ${narrow} ${'--verb=<verbs>'} ${'--resource=<resources>'}`,
              command`kubectl create clusterrolebinding ${narrow} ${`--clusterrole=${narrow}`}` + subjects.map((s) => ` ${subjectFlag(subjectOf(s))}`).join(''),
            ]
          : [
              command`kubectl -n ${ns ?? ''} create role ${narrow} ${'--verb=<verbs>'} ${'--resource=<resources>'}`,
              command`kubectl -n ${ns ?? ''} create rolebinding ${narrow} ${`--role=${narrow}`}` + subjects.map((s) => ` ${subjectFlag(subjectOf(s))}`).join(''),
            ]),
        ...remove,
      ];

      out.push({
        subject: { kind, ...(ns !== undefined ? { namespace: ns } : {}), name },
        severity,
        // A binding is a decision, wherever it lives: never collapse it as infrastructure.
        scope: 'workload',
        message: `${bindingText} grants ${roleText}${ruleText}${scopeText} to ${described.join(', ')}${notes.length ? `; ${notes.join('; ')}` : ''}`,
        evidence: ev,
        remediation: {
          why: kind === 'ClusterRoleBinding'
            ? 'cluster-admin is unrestricted: any holder (or anyone who steals its credentials or runs code in its pods) can read every Secret and take over every node.'
            : 'An admin-equivalent role in a namespace lets the subject read its Secrets, run pods under any of its service accounts and grant itself more.',
          fix: partial
            ? 'Bind the flagged subjects to a role that grants only what they need, check with `kubectl auth can-i --list`, then remove them from this binding (keep its default subjects).'
            : 'Replace the binding with a role that grants only what the subjects need, check with `kubectl auth can-i --list`, then delete the admin binding.',
          command: commands.join('\n'),
        },
      });
    }
    const note = excluded > 0 ? `excluded ${excluded} default binding(s) (cluster-admin → system:masters, kubeadm:cluster-admins, rbac-defaults, control-plane components)` : undefined;
    return findings(out, note);
  },
};
