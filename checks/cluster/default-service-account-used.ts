import { describeWorkload, evidence, findings, WORKLOAD_OWNERS, workloadPatchCommand } from '../../src/engine/helpers.js';
import type { K8sObject, Subject } from '../../src/engine/k8s.js';
import { canICommand, describeBinding, RbacIndex, type Grant } from '../../src/engine/rbac.js';
import { bindingKey, bindingObjects, removeSubjectsCommands } from '../../src/engine/rbac-fix.js';
import { describeRule, grantRisks, roleText, podServiceAccount, rulePath } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Workload } from '../../src/engine/snapshot.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

interface ServiceAccount extends K8sObject {
  readonly automountServiceAccountToken?: boolean;
}

const DEFAULT = 'default';
const WHY = 'Every pod that does not name a service account runs as "default", so whatever "default" holds (a mounted token, RBAC permissions) leaks to all of them.';

/** The namespace of the default service account a grant names directly, or undefined. */
function defaultAccountOf(grant: Grant): string | undefined {
  const s = grant.subject;
  if (s.kind === 'ServiceAccount' && s.name === DEFAULT) return s.namespace ?? '';
  const m = s.kind === 'User' ? /^system:serviceaccount:([^:]+):default$/.exec(s.name) : null;
  return m?.[1];
}

function namesDefaultOf(ns: string, bindingNs: string | undefined): (s: Subject) => boolean {
  return (s) => (s.kind === 'ServiceAccount' && s.name === DEFAULT && (s.namespace || bindingNs) === ns)
    || (s.kind === 'User' && s.name === `system:serviceaccount:${ns}:default`);
}

export const check: Check = {
  id: 'cluster/default-service-account-used',
  layer: 'cluster',
  title: 'Default service accounts are used or privileged',
  severity: 'low',
  description:
    'Inspects the "default" ServiceAccount of every namespace, the bindings that name a default service account, and the service account of ' +
    'running workloads. Reports (a) a default service account that does not set automountServiceAccountToken: false (low), (b) a ' +
    'RoleBinding or ClusterRoleBinding that grants a role to a default service account (medium), (c) running workloads that use the default ' +
    'service account (low, listed as evidence). Findings in system namespaces have system scope.',
  remediation: 'Set automountServiceAccountToken: false on every default service account and give each workload its own service account.',
  references: [ref.cis('5.1.5'), ref.kubescape('C-0189'), ref.doc('kubeaudit asat', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/asat.md')],
  needs: ['serviceaccounts', 'clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['pods', ...WORKLOAD_OWNERS, 'version'],
  evaluate: (snapshot) => {
    const out: FindingDraft[] = [];
    const scopeOf = (ns: string) => (snapshot.isSystemNamespace(ns) ? 'system' as const : 'workload' as const);

    // (c) running workloads on the default service account, by namespace.
    const users = new Map<string, Workload[]>();
    for (const w of snapshot.workloads()) {
      if (w.source !== 'pods' || w.isStatic) continue;
      const spec = w.revisions[0]?.spec;
      if (!spec || podServiceAccount(spec) !== DEFAULT) continue;
      const list = users.get(w.namespace);
      if (list) list.push(w);
      else users.set(w.namespace, [w]);
    }

    // (a) default service accounts that keep automounting.
    const defaults = snapshot.list<ServiceAccount>('serviceaccounts').filter((sa) => sa.metadata?.name === DEFAULT);
    for (const sa of defaults) {
      const ns = sa.metadata?.namespace ?? '';
      if (sa.automountServiceAccountToken === false) continue;
      const n = users.get(ns)?.length ?? 0;
      out.push({
        subject: { kind: 'ServiceAccount', namespace: ns, name: DEFAULT },
        discriminator: 'automount',
        scope: scopeOf(ns),
        message: `ServiceAccount "${ns}/default" does not set automountServiceAccountToken: false (${sa.automountServiceAccountToken === undefined ? 'unset counts as true' : 'set to true'}), so every pod in "${ns}" without its own service account gets an API token${n > 0 ? ` (${n} running workload(s) use it)` : ''}`,
        evidence: [evidence(`serviceaccounts[namespace=${ns},name=default].automountServiceAccountToken`, sa.automountServiceAccountToken === undefined ? '(unset)' : 'true')],
        remediation: {
          why: WHY,
          fix: 'Disable token automounting on the default service account; workloads that call the API get their own service account (or set automountServiceAccountToken: true in their pod spec).',
          command: command`kubectl -n ${ns} patch serviceaccount default -p ${'{"automountServiceAccountToken":false}'}`,
        },
      });
    }

    // (b) bindings that grant a role to a default service account.
    const index = RbacIndex.of(snapshot);
    const objects = bindingObjects(snapshot);
    const grouped = new Map<string, { ns: string; grants: Grant[] }>();
    for (const g of index.grants()) {
      const ns = defaultAccountOf(g);
      if (ns === undefined || g.exempt) continue;
      const key = `${bindingKey(g.binding)}|${ns}`;
      const entry = grouped.get(key);
      if (entry) entry.grants.push(g);
      else grouped.set(key, { ns, grants: [g] });
    }
    for (const { ns, grants } of grouped.values()) {
      const first = grants[0] as Grant;
      const b = first.binding;
      const risks = grantRisks(grants, { version: snapshot.version });
      const where = b.kind === 'RoleBinding' ? `in namespace "${b.namespace ?? ''}"` : 'cluster-wide';
      const summary = risks.length > 0
        ? `including ${[...new Set(risks.map((r) => r.what))].slice(0, 4).join(', ')}`
        : grants.slice(0, 3).map((g) => describeRule(g.rule)).join('; ');
      const dedicated = `${ns}-app`;
      out.push({
        subject: { kind: b.kind, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), name: b.name },
        discriminator: `default:${ns}`,
        severity: 'medium',
        scope: scopeOf(ns),
        message: `${describeBinding(b)} grants ServiceAccount "${ns}/default" ${roleText(first)} ${where} (${summary}): every pod in "${ns}" without its own service account holds these permissions`,
        evidence: [
          evidence('roleRef', `${first.role.kind}/${first.role.name}`),
          ...[...new Map(grants.map((g) => [rulePath(g), g])).values()].slice(0, 6).map((g) => evidence(rulePath(g), g.rule)),
        ],
        remediation: {
          why: WHY,
          fix: 'Create a dedicated service account for the workload that needs these permissions, bind the role to it, and remove the default service account from the binding.',
          command: [
            '# what the default service account can do today',
            canICommand({ kind: 'ServiceAccount', name: DEFAULT, namespace: ns }, ns),
            '# a dedicated service account bound to the same role (set it as serviceAccountName of the workload that needs it)',
            command`kubectl -n ${ns} create serviceaccount ${dedicated}`,
            b.kind === 'ClusterRoleBinding'
              ? command`kubectl create clusterrolebinding ${`${b.name}-${dedicated}`} ${`--clusterrole=${first.role.name}`} ${`--serviceaccount=${ns}:${dedicated}`}`
              : command`kubectl -n ${b.namespace ?? ''} create rolebinding ${`${b.name}-${dedicated}`} ${first.role.kind === 'Role' ? `--role=${first.role.name}` : `--clusterrole=${first.role.name}`} ${`--serviceaccount=${ns}:${dedicated}`}`,
            '# then take the default service account out of the binding',
            ...removeSubjectsCommands(b, objects.get(bindingKey(b))?.object, namesDefaultOf(ns, b.namespace)),
          ].join('\n'),
        },
      });
    }

    // (c) findings, one per namespace with the workloads as evidence.
    for (const [ns, list] of users) {
      const shown = list.slice(0, 3).map(describeWorkload).join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
      out.push({
        subject: { kind: 'ServiceAccount', namespace: ns, name: DEFAULT },
        discriminator: 'used',
        scope: scopeOf(ns),
        message: `${list.length} running workload(s) in "${ns}" use the default service account: ${shown}`,
        evidence: list.slice(0, 10).map((w) => {
          const spec = w.revisions[0]?.spec;
          const set = spec?.serviceAccountName ?? (spec as { serviceAccount?: string } | undefined)?.serviceAccount;
          return evidence(`${w.kind.toLowerCase()}s[namespace=${ns},name=${w.name}].${w.specPath}.serviceAccountName`, set ?? '(unset: default)');
        }),
        remediation: {
          why: WHY,
          fix: 'Create a service account per workload (with automountServiceAccountToken: false unless it calls the API) and set serviceAccountName in its pod template.',
          command: list.slice(0, 3).flatMap((w) => [
            command`kubectl -n ${ns} create serviceaccount ${w.name}`,
            workloadPatchCommand(w, { serviceAccountName: w.name }),
          ]).join('\n'),
        },
      });
    }
    const podsNote = snapshot.has('pods') ? '' : `; running workloads were not checked (${snapshot.error('pods')?.message ?? 'pods not collected'})`;
    return findings(out, `default service accounts set automountServiceAccountToken: false, hold no bindings and run no workloads${podsNote}`);
  },
};
