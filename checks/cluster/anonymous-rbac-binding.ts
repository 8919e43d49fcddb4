import { evidence, findings } from '../../src/engine/helpers.js';
import type { PolicyRule, Subject } from '../../src/engine/k8s.js';
import { canICommand, describeBinding, RbacIndex, type Grant, type RbacSubject } from '../../src/engine/rbac.js';
import { bindingKey, bindingObjects, removeSubjectsCommands, subjectEvidence } from '../../src/engine/rbac-fix.js';
import { describeRule, roleText, isNonResourceGetWithin, ISSUER_DISCOVERY_URLS, PUBLIC_INFO_URLS, rulePath } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

const ANONYMOUS_USER = 'system:anonymous';
const UNAUTHENTICATED = 'system:unauthenticated';

function isAnonymous(s: Pick<Subject, 'kind' | 'name'>): boolean {
  return (s.kind === 'User' && s.name === ANONYMOUS_USER) || (s.kind === 'Group' && s.name === UNAUTHENTICATED);
}

/** kubeadm's Role: `get` on the kube-public/cluster-info ConfigMap only. */
function isClusterInfoRule(rule: PolicyRule, namespace: string | undefined): boolean {
  const names = rule.resourceNames ?? [];
  return namespace === 'kube-public' && (rule.nonResourceURLs ?? []).length === 0
    && (rule.apiGroups ?? []).length > 0 && (rule.apiGroups ?? []).every((g) => g === '')
    && (rule.resources ?? []).length > 0 && (rule.resources ?? []).every((r) => r === 'configmaps')
    && (rule.verbs ?? []).length > 0 && (rule.verbs ?? []).every((v) => v === 'get')
    && names.length > 0 && names.every((n) => n === 'cluster-info');
}

type Kind = 'default' | 'issuer' | 'beyond';

/** What a rule reachable by anonymous callers amounts to. */
function classify(grant: Grant): Kind {
  if (isNonResourceGetWithin(grant.rule, PUBLIC_INFO_URLS) || isClusterInfoRule(grant.rule, grant.namespace)) return 'default';
  if (isNonResourceGetWithin(grant.rule, [...PUBLIC_INFO_URLS, ...ISSUER_DISCOVERY_URLS])) return 'issuer';
  return 'beyond';
}

/** The default bindings and the rules their roles must keep (CHECKS.md §3A). */
const DEFAULT_BINDINGS: Readonly<Record<string, { role: string; restore: string; rules: readonly PolicyRule[] }>> = {
  'ClusterRoleBinding//system:public-info-viewer': {
    role: 'clusterrole',
    restore: 'system:public-info-viewer',
    rules: [{ nonResourceURLs: [...PUBLIC_INFO_URLS], verbs: ['get'] }],
  },
  'RoleBinding/kube-public/kubeadm:bootstrap-signer-clusterinfo': {
    role: 'role',
    restore: 'kubeadm:bootstrap-signer-clusterinfo',
    rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'], verbs: ['get'] }],
  },
};

const WHY = 'Anything granted to system:anonymous or system:unauthenticated is available to every client that can reach the API server, without credentials.';

export const check: Check = {
  id: 'cluster/anonymous-rbac-binding',
  layer: 'cluster',
  title: 'RBAC grants to anonymous users',
  severity: 'critical',
  description:
    'Inspects every ClusterRoleBinding and RoleBinding with subject User system:anonymous or Group system:unauthenticated and the rules of the ' +
    'bound role. Fails (critical) when they grant anything beyond the defaults: get on /healthz, /livez, /readyz, /version (system:public-info-viewer) ' +
    'and get on the kube-public/cluster-info ConfigMap (kubeadm:bootstrap-signer-clusterinfo). The default bindings pass only while their roles ' +
    'grant no more than that. A grant of service-account issuer discovery (/.well-known/openid-configuration, /openid/v1/jwks) is a warning (info): ' +
    'it is usually intended for OIDC federation.',
  remediation: 'Remove the anonymous subjects from the binding, or delete the binding if it only served anonymous callers.',
  references: [ref.kubescape('C-0262'), ref.trivy('KSV-0122'), ref.nsa('AuthN/AuthZ (Role-based access control)')],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const objects = bindingObjects(snapshot);
    const byBinding = new Map<string, Grant[]>();
    for (const g of index.grants()) {
      if (!isAnonymous(g.subject)) continue;
      const key = bindingKey(g.binding);
      const list = byBinding.get(key);
      if (list) list.push(g);
      else byBinding.set(key, [g]);
    }

    const out: FindingDraft[] = [];
    let defaults = 0;
    for (const [key, grants] of byBinding) {
      const first = grants[0] as Grant;
      const b = first.binding;
      const object = objects.get(key)?.object;
      const classified = grants.map((g) => ({ g, kind: classify(g) }));
      const beyond = classified.filter((c) => c.kind === 'beyond').map((c) => c.g);
      const issuer = classified.filter((c) => c.kind === 'issuer').map((c) => c.g);
      if (beyond.length === 0 && issuer.length === 0) {
        defaults++;
        continue;
      }
      const flagged = beyond.length > 0 ? beyond : issuer;
      // One rule per role and index (several anonymous subjects share the rules).
      const rules = [...new Map(flagged.map((g) => [`${rulePath(g)}`, g])).values()];
      const who = [...new Set(grants.map((g) => (g.subject.kind === 'User' ? `User "${ANONYMOUS_USER}"` : `Group "${UNAUTHENTICATED}"`)))].join(' and ');
      const scope = b.kind === 'RoleBinding' ? `in namespace "${b.namespace ?? ''}"` : 'cluster-wide';
      const source = roleText(first);
      const defaultBinding = DEFAULT_BINDINGS[key];
      const roleChanged = defaultBinding !== undefined && first.role.name === defaultBinding.restore;
      const listed = rules.slice(0, 4).map((g) => describeRule(g.rule)).join('; ') + (rules.length > 4 ? `; and ${rules.length - 4} more rule(s)` : '');

      const ev: Evidence[] = [
        evidence('roleRef', `${first.role.kind}/${first.role.name}`),
        ...subjectEvidence(b, object, isAnonymous),
        ...rules.slice(0, 8).map((g) => evidence(rulePath(g), g.rule)),
      ];
      // Impersonating system:anonymous adds system:unauthenticated (a made-up user would add system:authenticated).
      const anon: RbacSubject = { kind: 'User', name: ANONYMOUS_USER };
      const verify = canICommand(anon, b.namespace);

      if (beyond.length === 0) {
        out.push({
          subject: { kind: b.kind, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), name: b.name },
          severity: 'info',
          status: 'warn',
          scope: 'workload',
          message: `${describeBinding(b)} lets unauthenticated callers (${who}) read service-account issuer discovery ${scope} (${listed}) through ${source}: usually intended for OIDC federation — confirm an external system needs it`,
          evidence: ev,
          remediation: {
            why: 'Issuer discovery documents and signing keys are public by design, but exposing them without authentication should be a deliberate choice (OIDC federation, workload identity).',
            fix: 'Keep it if an external relying party fetches the keys; otherwise remove the unauthenticated subject from the binding.',
            command: ['# who can read it without credentials', verify, '# if no external system needs it:', ...removeSubjectsCommands(b, object, isAnonymous)].join('\n'),
          },
        });
        continue;
      }

      const commands = roleChanged && defaultBinding
        ? [
            `# restore the default rules of the ${defaultBinding.role} (extra rules are not removed by the API server's reconciliation)`,
            `kubectl ${b.kind === 'RoleBinding' ? command`-n ${b.namespace ?? ''} ` : ''}patch ${defaultBinding.role} ` +
              command`${defaultBinding.restore} --type=json -p ${JSON.stringify([{ op: 'replace', path: '/rules', value: defaultBinding.rules }])}`,
            '# check what anonymous callers can do afterwards',
            verify,
          ]
        : ['# what anonymous callers can do today', verify, '# take the anonymous subjects out of the binding', ...removeSubjectsCommands(b, object, isAnonymous)];
      out.push({
        subject: { kind: b.kind, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), name: b.name },
        scope: 'workload',
        message: roleChanged
          ? `default ${describeBinding(b)} grants ${who} ${source} ${scope}, whose rules were changed beyond the default: ${listed}`
          : `${describeBinding(b)} grants ${who} (every unauthenticated request) ${source} ${scope}: ${listed}`,
        evidence: ev,
        remediation: {
          why: WHY,
          fix: roleChanged
            ? 'Restore the default rules of the role so anonymous callers keep only health/version or cluster-info access.'
            : 'Remove the anonymous subjects from the binding (or delete it if it only served anonymous callers); grant the access to authenticated identities instead.',
          command: commands.join('\n'),
        },
      });
    }
    return findings(out, defaults > 0
      ? `anonymous callers get only the defaults (${defaults} binding(s): health/version endpoints, kube-public/cluster-info)`
      : 'no binding grants anything to system:anonymous or system:unauthenticated');
  },
};
