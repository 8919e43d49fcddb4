import { evidence, findings } from '../../src/engine/helpers.js';
import type { PolicyRule, Subject } from '../../src/engine/k8s.js';
import { detectProvider } from '../../src/engine/provider.js';
import { canICommand, CLUSTER_SCOPED_RESOURCES, describeBinding, RbacIndex, ruleMatches, type Grant } from '../../src/engine/rbac.js';
import { bindingKey, bindingObjects, removeSubjectsCommands, subjectEvidence } from '../../src/engine/rbac-fix.js';
import { describeRule, roleText, isDefaultDiscoveryRule, rulePath } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

const GROUPS: Readonly<Record<string, string>> = {
  'system:authenticated': 'every authenticated user and service account',
  'system:serviceaccounts': 'every service account in the cluster',
};

const isBroad = (s: Pick<Subject, 'kind' | 'name'>): boolean => s.kind === 'Group' && GROUPS[s.name] !== undefined;

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', 'approve', 'sign', '*']);
const NON_RESOURCE_READ = new Set(['get', 'head']);
const SENSITIVE_SUBRESOURCES: readonly (readonly [resource: string, sub: string])[] = [
  ['pods', 'exec'], ['pods', 'attach'], ['pods', 'portforward'], ['nodes', 'proxy'], ['serviceaccounts', 'token'],
];
const ANY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Resources a rule grants through this grant (a RoleBinding never grants cluster-scoped ones). */
function effectiveResources(rule: PolicyRule, clusterWide: boolean): string[] {
  return (rule.resources ?? []).filter((r) => clusterWide || r === '*' || r.startsWith('*/') || !CLUSTER_SCOPED_RESOURCES.has(r.split('/')[0] ?? ''));
}

/** A RoleBinding grants neither non-resource URLs nor cluster-scoped resources. */
function grantsAnything(grant: Grant): boolean {
  if (grant.namespace === undefined) return true;
  return (grant.rule.nonResourceURLs ?? []).length === 0 && effectiveResources(grant.rule, false).length > 0;
}

/** Why a non-default rule is high (CHECKS.md row), or undefined when it is only an extra read. */
function highReason(grant: Grant): string | undefined {
  const rule = grant.rule;
  const clusterWide = grant.namespace === undefined;
  const verbs = rule.verbs ?? [];
  if ((rule.nonResourceURLs ?? []).length > 0) {
    const writes = verbs.filter((v) => !NON_RESOURCE_READ.has(v));
    return writes.length > 0 ? `${writes.join(',')} on non-resource URLs` : undefined;
  }
  if (effectiveResources(rule, clusterWide).length === 0) return undefined;
  const writes = verbs.filter((v) => WRITE_VERBS.has(v));
  if (writes.length > 0) return `write verb${writes.length > 1 ? 's' : ''} ${writes.join(',')}`;
  const secretVerbs = ['get', 'list', 'watch'].filter((v) => ruleMatches(rule, { verb: v, group: '', resource: 'secrets' }) !== false);
  if (secretVerbs.length > 0) return 'reads Secrets';
  for (const [resource, sub] of SENSITIVE_SUBRESOURCES) {
    if (!clusterWide && CLUSTER_SCOPED_RESOURCES.has(resource)) continue;
    const hit = ANY_VERB.filter((v) => ruleMatches(rule, { verb: v, group: '', resource, subresource: sub }) !== false);
    if (hit.length > 0) return `sensitive subresource ${resource}/${sub}`;
  }
  return undefined;
}

export const check: Check = {
  id: 'cluster/authenticated-group-overprivileged',
  layer: 'cluster',
  title: 'Every authenticated identity has sensitive permissions',
  severity: 'high',
  description:
    'Inspects bindings whose subject is Group system:authenticated or system:serviceaccounts and the rules of the bound role, ignoring what the ' +
    'default bindings grant (system:basic-user self-reviews, system:discovery and system:public-info-viewer URLs, service-account issuer discovery) ' +
    'whichever binding carries it. Fails (high) when a rule grants a write verb (create, update, patch, delete, deletecollection, escalate, bind, ' +
    'impersonate, approve, sign, *), get/list/watch on secrets, or any verb on pods/exec, pods/attach, pods/portforward, nodes/proxy or ' +
    'serviceaccounts/token; any other extra read is a warning (low).',
  remediation: 'Bind a specific group or service account instead and remove system:authenticated or system:serviceaccounts from the binding.',
  references: [ref.kubescape('C-0265'), ref.trivy('KSV-01011'), ref.cis('5.1.2'), ref.cis('5.1.4'), ref.nsa('AuthN/AuthZ (Role-based access control)')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['nodes', 'version', 'kubeconfig'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const objects = bindingObjects(snapshot);
    const byBinding = new Map<string, Grant[]>();
    for (const g of index.grants()) {
      if (!isBroad(g.subject) || isDefaultDiscoveryRule(g.rule) || !grantsAnything(g)) continue;
      const key = bindingKey(g.binding);
      const list = byBinding.get(key);
      if (list) list.push(g);
      else byBinding.set(key, [g]);
    }
    const gke = detectProvider(snapshot).id === 'gcp';

    const out: FindingDraft[] = [];
    for (const [key, grants] of byBinding) {
      const first = grants[0] as Grant;
      const b = first.binding;
      const object = objects.get(key)?.object;
      // Each rule once, whichever broad group reaches it.
      const rules = [...new Map(grants.map((g) => [rulePath(g), g])).values()];
      const rated = rules.map((g) => ({ g, reason: highReason(g) }));
      const high = rated.filter((r) => r.reason !== undefined);
      const groups = [...new Set(grants.map((g) => g.subject.name))];
      const shown = (high.length > 0 ? high : rated).slice(0, 4);
      const listed = shown.map((r) => `${describeRule(r.g.rule)}${r.reason ? ` (${r.reason})` : ''}`).join('; ')
        + ((high.length > 0 ? high : rated).length > 4 ? `; and ${(high.length > 0 ? high : rated).length - 4} more rule(s)` : '');
      const scope = b.kind === 'RoleBinding' ? `in namespace "${b.namespace ?? ''}"` : 'cluster-wide';
      const who = groups.map((n) => `Group "${n}" (${GROUPS[n] ?? n})`).join(' and ');
      const gkeNote = gke && groups.includes('system:authenticated') ? '; on GKE system:authenticated includes any Google account' : '';
      const ev: Evidence[] = [
        evidence('roleRef', `${first.role.kind}/${first.role.name}`),
        ...subjectEvidence(b, object, isBroad),
        ...(high.length > 0 ? high : rated).slice(0, 8).map((r) => evidence(rulePath(r.g), r.g.rule)),
      ];
      out.push({
        subject: { kind: b.kind, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), name: b.name },
        severity: high.length > 0 ? 'high' : 'low',
        status: high.length > 0 ? 'fail' : 'warn',
        // A binding is a decision wherever it lives: never collapse it as infrastructure.
        scope: 'workload',
        message: `${describeBinding(b)} grants ${who} ${roleText(first)} ${scope}${high.length > 0 ? '' : ' (extra reads only)'}: ${listed}${gkeNote}`,
        evidence: ev,
        remediation: {
          why: `Every user and every service-account token in the cluster${gke ? ' (and on GKE any Google identity)' : ''} inherits these rights, so one leaked token or compromised pod gets them too.`,
          fix: 'Bind the role to the specific group or service accounts that need it, then remove the broad group from this binding.',
          command: [
            '# what every member of the group can do today',
            ...groups.map((n) => canICommand({ kind: 'Group', name: n }, b.namespace)),
            '# after binding the role to a specific group or service account, take the broad group out',
            ...removeSubjectsCommands(b, object, isBroad),
          ].join('\n'),
        },
      });
    }
    return findings(out, 'system:authenticated and system:serviceaccounts hold only the default discovery permissions');
  },
};
