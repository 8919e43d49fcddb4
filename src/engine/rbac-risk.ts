/**
 * The one "dangerous permission" predicate shared by the service-account checks
 * (cluster/legacy-sa-token-secrets, cluster/sa-token-automount,
 * cluster/workload-privileged-service-account, cluster/default-service-account-used): which
 * RBAC rules grant what the cluster/rbac-* rows of CHECKS.md §3B flag, and how severe each
 * is. Matching goes through the RBAC engine (`ruleMatches`), so wildcards, "subresource of
 * every resource" entries, `resource/*` (not a wildcard) and resourceNames mean the same
 * here as everywhere else. Also the envelopes of the default discovery grants every
 * identity receives.
 *
 * Severities come from the grading functions below (`grade*`, `classifyWildcard*`), which the
 * cluster/rbac-* checks use themselves: a permission is rated the same in an RBAC finding and
 * in a service-account finding for the same rule and scope.
 */
import type { Namespace, PodSpec, PolicyRule } from './k8s.js';
import { CLUSTER_SCOPED_RESOURCES, describeBinding, ruleMatches, type Grant, type Match, type RbacIndex, type ResourceRequest } from './rbac.js';
import { lower } from './rbac-report.js';
import type { ClusterVersion, Snapshot } from './snapshot.js';
import { severityRank, type Severity } from './types.js';

export type RiskKind =
  | 'cluster-admin' | 'wildcard' | 'secrets-read' | 'pod-create' | 'exec' | 'escalation' | 'impersonate'
  | 'nodes-proxy' | 'webhook-write' | 'sa-token-create' | 'csr-approval' | 'pv-create' | 'nonresource-wildcard';

/** One dangerous permission a rule grants. */
export interface Risk {
  readonly kind: RiskKind;
  readonly severity: Severity;
  /** What is allowed, e.g. `list secrets`, `create pods/exec`. */
  readonly what: string;
  /** Allowed only for the rule's resourceNames (lower confidence). */
  readonly namesOnly: boolean;
}

export interface GrantRisk extends Risk {
  readonly grant: Grant;
}

export interface RiskOptions {
  /** Decides whether `get` on pods/exec|attach|portforward counts (WebSocket upgrades before 1.35). */
  readonly version?: ClusterVersion;
  /**
   * Namespaces whose grants are rated like cluster-wide ones (e.g. kube-system: its Secrets
   * and service accounts reach the whole cluster). Cluster-scoped resources stay out of reach.
   */
  readonly clusterEquivalentNamespaces?: ReadonlySet<string>;
  /**
   * Namespaces that do not enforce Pod Security baseline or restricted (podSecurityUnenforced):
   * creating pods there is high, as in cluster/rbac-pod-create. Undefined = unknown: medium.
   */
  readonly podSecurityUnenforced?: ReadonlySet<string>;
  /** The subject is an everyone-group: a cluster-admin grant is one level higher (cluster/rbac-cluster-admin-binding). */
  readonly broadSubject?: boolean;
  /** The subject is a service account a running workload uses: a cluster-wide cluster-admin grant is critical (cluster/rbac-cluster-admin-binding). */
  readonly usedByRunningWorkload?: boolean;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const AUTHN_GROUP = 'authentication.k8s.io';
const ADMISSION_GROUP = 'admissionregistration.k8s.io';

// ---- Grades: how each cluster/rbac-* check rates one grant; those checks use these too ----

/** cluster/rbac-secrets-read: list/watch cluster-wide high; get cluster-wide or list/watch in a namespace medium; get in a namespace, or names only, low. */
export function gradeSecretsRead(verb: string, clusterWide: boolean, match: Match): Severity {
  if (match === 'resourceNames') return 'low';
  const base: Severity = verb === 'get' ? 'medium' : 'high';
  return clusterWide ? base : lower(base);
}

/**
 * cluster/rbac-pod-create: high where Pod Security baseline/restricted is not enforced
 * (podSecurityOpen), else medium; update/patch limited to resourceNames low. resourceNames
 * cannot limit create (the name is not known when it is authorized): undefined, nothing granted.
 */
export function gradePodCreate(verb: string, open: boolean, match: Match): Severity | undefined {
  if (match === 'resourceNames') return verb === 'create' ? undefined : 'low';
  return open ? 'high' : 'medium';
}

/** Namespaces whose pod-security.kubernetes.io/enforce label is neither baseline nor restricted; undefined when namespaces could not be read. */
export function podSecurityUnenforced(snapshot: Snapshot): Set<string> | undefined {
  if (!snapshot.has('namespaces')) return undefined;
  const out = new Set<string>();
  for (const ns of snapshot.list<Namespace>('namespaces')) {
    const level = ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
    if (level !== 'baseline' && level !== 'restricted') out.add(ns.metadata?.name ?? '');
  }
  return out;
}

/** Pod Security is not enforced where the grant applies (cluster-wide, `namespace` undefined: in some namespace); unknown counts as enforced. */
export function podSecurityOpen(unenforced: ReadonlySet<string> | undefined, namespace: string | undefined): boolean {
  return unenforced !== undefined && (namespace === undefined ? unenforced.size > 0 : unenforced.has(namespace));
}

/** cluster/rbac-exec-attach-portforward: high wherever granted; limited to resourceNames (named pods) medium. */
export function gradeExec(match: Match): Severity {
  return match === 'resourceNames' ? lower('high') : 'high';
}

/**
 * cluster/rbac-escalate-bind-impersonate: escalate, bind, impersonate and writes to ClusterRoles
 * or ClusterRoleBindings are critical cluster-wide and high through a RoleBinding; writes to Roles
 * and RoleBindings (`roleWrite`) are high wherever granted. resourceNames: one level lower.
 */
export function gradeEscalation(clusterWide: boolean, match: Match, roleWrite = false): Severity {
  const base: Severity = clusterWide && !roleWrite ? 'critical' : 'high';
  return match === 'resourceNames' ? lower(base) : base;
}

/** cluster/rbac-nodes-proxy: high, resourceNames included. */
export function gradeNodesProxy(): Severity {
  return 'high';
}

/** cluster/rbac-webhook-config: high; writes limited to resourceNames (an operator patching its own webhook) medium. */
export function gradeWebhookWrite(match: Match): Severity {
  return match === 'resourceNames' ? lower('high') : 'high';
}

/** cluster/rbac-sa-token-create: high cluster-wide, medium in a namespace; resourceNames (named accounts) one level lower. */
export function gradeSaTokenCreate(clusterWide: boolean, match: Match): Severity {
  const base: Severity = clusterWide ? 'high' : 'medium';
  return match === 'resourceNames' ? lower(base) : base;
}

/** cluster/rbac-pv-create: medium; resourceNames cannot limit create, so such a rule grants nothing (undefined). */
export function gradePvCreate(match: Match): Severity | undefined {
  return match === true ? 'medium' : undefined;
}

/** cluster/rbac-csr-approval: high when the subject can both update CSR approval and approve signers, medium for one of them. */
export function gradeCsrApproval(both: boolean): Severity {
  return both ? 'high' : 'medium';
}

/**
 * cluster/rbac-cluster-admin-binding: cluster-wide high, critical for an everyone-group (`broad`)
 * or a service account a running workload uses; through a RoleBinding (namespace-admin) medium,
 * high in kube-system or for an everyone-group.
 */
export function gradeClusterAdmin(clusterWide: boolean, namespace: string | undefined, subject: { readonly broad: boolean; readonly usedByRunningWorkload: boolean }): Severity {
  if (clusterWide) return subject.broad || subject.usedByRunningWorkload ? 'critical' : 'high';
  return subject.broad || namespace === 'kube-system' ? 'high' : 'medium';
}

/** Before 1.35 WebSocket upgrades of exec/attach/portforward were authorized as `get` (AuthorizePodWebsocketUpgradeCreatePermission); undefined when unknown. */
export function getAuthorizesUpgrades(version: ClusterVersion | undefined): boolean | undefined {
  if (!version) return undefined;
  const major = Number(version.major.replace(/\D/g, ''));
  const minorText = version.minor.replace(/\D/g, '');
  if (!Number.isFinite(major) || minorText === '') return undefined;
  return major < 1 || (major === 1 && Number(minorText) < 35);
}

/** The kubelet authorizes its API by HTTP method: GET → get, POST → create, PUT → update, PATCH → patch, DELETE → delete. */
export const NODES_PROXY_VERBS = ['get', 'create', 'update', 'patch', 'delete'] as const;

/** Admission objects (admissionregistration.k8s.io, cluster-scoped) and the verbs that change them (cluster/rbac-webhook-config). */
export const ADMISSION_RESOURCES = [
  'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
] as const;
export const ADMISSION_WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;

const hasOrStar = (list: readonly string[] | undefined, value: string): boolean => (list ?? []).some((v) => v === '*' || v === value);

/**
 * impersonate on user extras (authentication.k8s.io `userextras/<key>`, any key): the request
 * matching cannot express "any subresource", so the rule is read directly.
 */
export function impersonatesUserExtras(rule: PolicyRule): Match {
  if (!hasOrStar(rule.verbs, 'impersonate') || !hasOrStar(rule.apiGroups, AUTHN_GROUP)) return false;
  if (!(rule.resources ?? []).some((r) => r === '*' || r.startsWith('userextras/') || r.startsWith('*/'))) return false;
  return (rule.resourceNames ?? []).length > 0 ? 'resourceNames' : true;
}

/** cluster/rbac-wildcard-verbs: resources whose `*` verbs make the rule high, with their API group. Subresources count with their resource. */
const SENSITIVE: ReadonlyMap<string, string> = new Map([
  ['secrets', ''], ['pods', ''], ['replicationcontrollers', ''], ['serviceaccounts', ''], ['nodes', ''], ['persistentvolumes', ''],
  ['deployments', 'apps'], ['daemonsets', 'apps'], ['statefulsets', 'apps'], ['replicasets', 'apps'], ['jobs', 'batch'], ['cronjobs', 'batch'],
  ['roles', RBAC_GROUP], ['clusterroles', RBAC_GROUP], ['rolebindings', RBAC_GROUP], ['clusterrolebindings', RBAC_GROUP],
  ['validatingwebhookconfigurations', ADMISSION_GROUP], ['mutatingwebhookconfigurations', ADMISSION_GROUP],
]);
const SENSITIVE_GROUPS = new Set(SENSITIVE.values());

const covers = (groups: readonly string[], group: string): boolean => groups.includes('*') || groups.includes(group);

/** cluster/rbac-wildcard-verbs: a rule with `*` verbs — high on sensitive resources (or `*`, `*​/sub` in their groups), medium otherwise and on nonResourceURLs. */
export function classifyWildcardVerbs(rule: PolicyRule): { severity: Severity; what: string } | undefined {
  if (!(rule.verbs ?? []).includes('*')) return undefined;
  const resources = rule.resources ?? [];
  const groups = rule.apiGroups ?? [];
  if (resources.length === 0) {
    const urls = rule.nonResourceURLs ?? [];
    return urls.length > 0 ? { severity: 'medium', what: `verbs "*" on nonResourceURLs ${urls.join(', ')}` } : undefined;
  }
  // `*` or `*/sub` covers the sensitive resources only in a group that has them (a CRD group's `*` does not).
  const high = resources.some((r) => {
    const base = r.split('/')[0] ?? '';
    if (base === '*') return [...SENSITIVE_GROUPS].some((g) => covers(groups, g));
    const group = SENSITIVE.get(base);
    return group !== undefined && covers(groups, group);
  });
  return { severity: high ? 'high' : 'medium', what: `verbs "*" on ${resources.join(', ')}${groups.length ? ` (apiGroups ${groups.map((g) => (g === '' ? '""' : g)).join(', ')})` : ''}` };
}

/** Verbs that read or change objects: with `*` resources they reach Secrets and every subresource. */
const POWERFUL = new Set(['*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', 'approve', 'sign']);
/** Groups whose `*` includes Secrets, pods/exec, nodes/proxy, RBAC or admission objects. */
const WILDCARD_SENSITIVE_GROUPS = ['', 'apps', 'batch', RBAC_GROUP, ADMISSION_GROUP, 'certificates.k8s.io'];
/** Resource names served by more than one API group (built-in or common add-ons), so `apiGroups: ["*"]` widens them. */
const MULTI_GROUP = new Set(['events', 'deployments', 'daemonsets', 'replicasets', 'ingresses', 'networkpolicies', 'pods', 'nodes', 'podsecuritypolicies', 'endpointslices']);

/** cluster/rbac-wildcard-resources: `*` resources (high in a sensitive group with a reading or writing verb, else medium), or `*` apiGroups on multi-group resources (medium). */
export function classifyWildcardResources(rule: PolicyRule): { severity: Severity; what: string } | undefined {
  const resources = rule.resources ?? [];
  const groups = rule.apiGroups ?? [];
  const verbs = rule.verbs ?? [];
  const groupText = `apiGroups ${groups.map((g) => (g === '' ? '""' : g)).join(', ')}`;
  if (resources.includes('*')) {
    const sensitive = groups.includes('*') || WILDCARD_SENSITIVE_GROUPS.some((g) => groups.includes(g));
    const high = sensitive && verbs.some((v) => POWERFUL.has(v));
    return { severity: high ? 'high' : 'medium', what: `resources "*" (${groupText}; verbs ${verbs.join(', ')})` };
  }
  if (groups.includes('*')) {
    const multi = resources.filter((r) => MULTI_GROUP.has(r.split('/')[0] ?? ''));
    if (multi.length > 0) return { severity: 'medium', what: `apiGroups "*" on ${multi.join(', ')} (served by several API groups)` };
  }
  return undefined;
}

// ---- The risk table ----

/** Where a grant applies and how it is rated. */
interface Scope {
  /** Granted cluster-wide, or rated as such (clusterEquivalentNamespaces). */
  readonly rated: boolean;
  /** The RoleBinding's namespace, when known. */
  readonly namespace?: string;
}

interface Probe {
  readonly kind: RiskKind;
  /** Cluster-scoped resources: a RoleBinding can never grant them. */
  readonly clusterScoped: boolean;
  readonly requests: readonly ResourceRequest[];
  /** The grade the kind's cluster/rbac-* check gives; undefined when the rule does not grant it. */
  readonly severity: (scope: Scope, match: Match, req: ResourceRequest) => Severity | undefined;
}

const req = (verb: string, group: string, resource: string, subresource?: string): ResourceRequest =>
  subresource === undefined ? { verb, group, resource } : { verb, group, resource, subresource };

function probes(options: RiskOptions): Probe[] {
  // Unknown version: count `get` too (the older, wider authorization), as the check does.
  const getUpgrades = getAuthorizesUpgrades(options.version) !== false;
  const execSubs = ['exec', 'attach', 'portforward'];
  const podControllers: ResourceRequest[] = [
    req('create', '', 'pods'),
    ...(['deployments', 'replicasets', 'statefulsets', 'daemonsets'] as const).flatMap((r) => ['create', 'update', 'patch'].map((v) => req(v, 'apps', r))),
    ...(['jobs', 'cronjobs'] as const).flatMap((r) => ['create', 'update', 'patch'].map((v) => req(v, 'batch', r))),
    ...['create', 'update', 'patch'].map((v) => req(v, '', 'replicationcontrollers')),
  ];
  const escalation = (s: Scope, m: Match) => gradeEscalation(s.rated, m);
  return [
    {
      kind: 'secrets-read', clusterScoped: false,
      requests: [req('list', '', 'secrets'), req('watch', '', 'secrets'), req('get', '', 'secrets')],
      severity: (s, m, r) => gradeSecretsRead(r.verb, s.rated, m),
    },
    {
      kind: 'pod-create', clusterScoped: false, requests: podControllers,
      severity: (s, m, r) => gradePodCreate(r.verb, podSecurityOpen(options.podSecurityUnenforced, s.rated ? undefined : s.namespace), m),
    },
    {
      kind: 'exec', clusterScoped: false,
      requests: [
        ...execSubs.map((s) => req('create', '', 'pods', s)),
        ...(getUpgrades ? execSubs.map((s) => req('get', '', 'pods', s)) : []),
        req('update', '', 'pods', 'ephemeralcontainers'), req('patch', '', 'pods', 'ephemeralcontainers'),
      ],
      severity: (_s, m) => gradeExec(m),
    },
    // A RoleBinding grants escalate/bind on Roles, and bind on ClusterRoles (to reference them from its namespace's RoleBindings).
    {
      kind: 'escalation', clusterScoped: false,
      requests: [req('escalate', RBAC_GROUP, 'roles'), req('bind', RBAC_GROUP, 'roles'), req('bind', RBAC_GROUP, 'clusterroles')],
      severity: escalation,
    },
    {
      kind: 'escalation', clusterScoped: true,
      requests: [req('escalate', RBAC_GROUP, 'clusterroles'), ...['create', 'update', 'patch'].flatMap((v) => [req(v, RBAC_GROUP, 'clusterrolebindings'), req(v, RBAC_GROUP, 'clusterroles')])],
      severity: escalation,
    },
    {
      kind: 'escalation', clusterScoped: false,
      requests: ['create', 'update', 'patch'].flatMap((v) => [req(v, RBAC_GROUP, 'rolebindings'), req(v, RBAC_GROUP, 'roles')]),
      severity: (s, m) => gradeEscalation(s.rated, m, true),
    },
    { kind: 'impersonate', clusterScoped: false, requests: [req('impersonate', '', 'serviceaccounts')], severity: escalation },
    {
      kind: 'impersonate', clusterScoped: true,
      requests: [req('impersonate', '', 'users'), req('impersonate', '', 'groups'), req('impersonate', AUTHN_GROUP, 'uids')],
      severity: escalation,
    },
    { kind: 'nodes-proxy', clusterScoped: true, requests: NODES_PROXY_VERBS.map((v) => req(v, '', 'nodes', 'proxy')), severity: () => gradeNodesProxy() },
    {
      kind: 'webhook-write', clusterScoped: true,
      requests: ADMISSION_RESOURCES.flatMap((r) => ADMISSION_WRITE_VERBS.map((v) => req(v, ADMISSION_GROUP, r))),
      severity: (_s, m) => gradeWebhookWrite(m),
    },
    { kind: 'sa-token-create', clusterScoped: false, requests: [req('create', '', 'serviceaccounts', 'token')], severity: (s, m) => gradeSaTokenCreate(s.rated, m) },
    { kind: 'pv-create', clusterScoped: true, requests: [req('create', '', 'persistentvolumes')], severity: (_s, m) => gradePvCreate(m) },
  ];
}

const has = (list: readonly string[] | undefined, value: string): boolean => (list ?? []).includes(value);

/** `apiGroups: ["*"], resources: ["*"], verbs: ["*"]` without resourceNames. */
export function isAdminRule(rule: PolicyRule): boolean {
  return has(rule.apiGroups, '*') && has(rule.resources, '*') && has(rule.verbs, '*') && (rule.resourceNames ?? []).length === 0;
}

function requestText(r: ResourceRequest): string {
  const resource = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  return `${r.verb} ${r.group && r.group !== '' ? `${resource}.${r.group}` : resource}`;
}

/** Resources whose `*` verbs make a wildcard a dangerous permission (the cluster/rbac-wildcard-verbs "high" list). */
const DANGEROUS_RESOURCES: readonly (readonly [group: string, resource: string])[] = [...SENSITIVE].map(([resource, group]) => [group, resource] as const);

/**
 * A wildcard counts as a dangerous permission where it reaches Secrets, workloads, RBAC, nodes or
 * admission objects: `*` resources in the core group (or every group), or `*` verbs on one of
 * those resources (one a RoleBinding can grant, when not cluster-wide). Wildcards elsewhere
 * (a CRD group's `*`, `*` verbs on ConfigMaps) are rule hygiene for the wildcard checks, not a
 * dangerous permission. When it counts, it is graded like cluster/rbac-wildcard-verbs and
 * cluster/rbac-wildcard-resources grade the rule (the higher of the two).
 */
function wildcardRisk(rule: PolicyRule, clusterWide: boolean): Risk | undefined {
  const verbs = rule.verbs ?? [];
  if (verbs.length === 0 || (rule.resources ?? []).length === 0) return undefined;
  const names = (rule.resourceNames ?? []).length > 0;
  const grade = (): Severity => maxSeverity([classifyWildcardVerbs(rule), classifyWildcardResources(rule)].filter((c) => c !== undefined)) ?? 'medium';
  // `*` resources in the core group or every group cover Secrets, pods/exec and nodes/proxy.
  if (has(rule.resources, '*') && (has(rule.apiGroups, '*') || has(rule.apiGroups, ''))) {
    return { kind: 'wildcard', severity: grade(), what: `${verbs.join(',')} any resource of ${has(rule.apiGroups, '*') ? 'any API group' : 'the core API group'}`, namesOnly: names };
  }
  if (has(rule.verbs, '*')) {
    const hit = DANGEROUS_RESOURCES.find(([group, resource]) => (clusterWide || !CLUSTER_SCOPED_RESOURCES.has(resource))
      && ruleMatches({ ...rule, verbs: ['*'] }, req('get', group, resource)) !== false);
    if (hit) return { kind: 'wildcard', severity: grade(), what: `do anything to ${hit[0] ? `${hit[1]}.${hit[0]}` : hit[1]}`, namesOnly: names };
  }
  return undefined;
}

/**
 * The dangerous permissions one rule grants. `clusterWide` = granted by a ClusterRoleBinding
 * (a RoleBinding never grants cluster-scoped resources); `namespace` = the RoleBinding's
 * namespace. One risk per kind and severity: the first matching request names it.
 */
export function ruleRisks(rule: PolicyRule, clusterWide: boolean, options: RiskOptions & { readonly rateAsClusterWide?: boolean; readonly namespace?: string } = {}): Risk[] {
  // Severity as if cluster-wide (clusterEquivalentNamespaces); scope (cluster-scoped resources) as granted.
  const scope: Scope = { rated: clusterWide || options.rateAsClusterWide === true, ...(clusterWide || options.namespace === undefined ? {} : { namespace: options.namespace }) };
  if (isAdminRule(rule)) {
    const severity = gradeClusterAdmin(scope.rated, scope.rated ? undefined : scope.namespace, { broad: options.broadSubject === true, usedByRunningWorkload: options.usedByRunningWorkload === true });
    return [{ kind: 'cluster-admin', severity, what: clusterWide ? 'do anything to any resource (cluster-admin equivalent)' : 'do anything to any resource of the namespace (namespace-admin equivalent)', namesOnly: false }];
  }
  const out: Risk[] = [];
  const add = (risk: Risk) => {
    if (!out.some((o) => o.kind === risk.kind && o.severity === risk.severity)) out.push(risk);
  };
  // Every verb on every non-resource URL (/metrics, /logs, /debug/pprof), graded like cluster/rbac-wildcard-verbs; only ever granted cluster-wide.
  const nonResource = has(rule.nonResourceURLs, '*') && has(rule.verbs, '*') && clusterWide ? classifyWildcardVerbs(rule) : undefined;
  if (nonResource) add({ kind: 'nonresource-wildcard', severity: nonResource.severity, what: 'use any verb on any non-resource URL (/metrics, /logs, /debug)', namesOnly: false });
  const wildcard = wildcardRisk(rule, clusterWide);
  if (wildcard) add(wildcard);
  for (const probe of probes(options)) {
    if (probe.clusterScoped && !clusterWide) continue;
    let best: { risk: Risk; rank: number } | undefined;
    for (const r of probe.requests) {
      const match: Match = ruleMatches(rule, r);
      if (match === false) continue;
      const severity = probe.severity(scope, match, r);
      if (severity === undefined) continue;
      const rank = severityRank(severity);
      if (!best || rank < best.rank) best = { risk: { kind: probe.kind, severity, what: requestText(r), namesOnly: match === 'resourceNames' }, rank };
    }
    if (best) add(best.risk);
  }
  // impersonate on user extras (any key; cluster-scoped).
  const extras = clusterWide ? impersonatesUserExtras(rule) : false;
  if (extras !== false) add({ kind: 'impersonate', severity: gradeEscalation(true, extras), what: 'impersonate userextras.authentication.k8s.io', namesOnly: extras === 'resourceNames' });
  return out;
}

const isClusterWide = (g: Grant): boolean => g.namespace === undefined;

/**
 * Every dangerous permission in a subject's grants (pass `RbacIndex.grantsFor(subject)`),
 * including CSR approval, which needs two rules together (cluster/rbac-csr-approval).
 */
export function grantRisks(grants: readonly Grant[], options: RiskOptions = {}): GrantRisk[] {
  const out: GrantRisk[] = [];
  for (const grant of grants) {
    const rateAsClusterWide = grant.namespace !== undefined && options.clusterEquivalentNamespaces?.has(grant.namespace) === true;
    const scoped = { ...options, rateAsClusterWide, ...(grant.namespace !== undefined ? { namespace: grant.namespace } : {}) };
    for (const risk of ruleRisks(grant.rule, isClusterWide(grant), scoped)) out.push({ ...risk, grant });
  }
  const approval = grants.filter((g) => isClusterWide(g) && ['update', 'patch'].some((v) => ruleMatches(g.rule, req(v, 'certificates.k8s.io', 'certificatesigningrequests', 'approval')) !== false));
  const signers = grants.filter((g) => isClusterWide(g) && ruleMatches(g.rule, req('approve', 'certificates.k8s.io', 'signers')) !== false);
  if (approval.length > 0 || signers.length > 0) {
    const both = approval.length > 0 && signers.length > 0;
    const first = approval[0] ?? signers[0];
    // A cluster-admin grant already says everything.
    if (first && !out.some((o) => o.kind === 'cluster-admin' && isClusterWide(o.grant))) {
      out.push({
        kind: 'csr-approval', severity: gradeCsrApproval(both), grant: first, namesOnly: false,
        what: both ? 'approve certificate signing requests (update certificatesigningrequests/approval and approve signers)' : approval.length > 0 ? 'update certificatesigningrequests/approval' : 'approve signers',
      });
    }
  }
  return out;
}

/** critical or high. */
export function isSevere(risk: Pick<Risk, 'severity'>): boolean {
  return risk.severity === 'critical' || risk.severity === 'high';
}

/** The most severe of some risks (undefined when there are none). */
export function maxSeverity(risks: readonly Pick<Risk, 'severity'>[]): Severity | undefined {
  let best: Severity | undefined;
  for (const r of risks) if (best === undefined || severityRank(r.severity) < severityRank(best)) best = r.severity;
  return best;
}

/** `ClusterRole "y"` / `Role "ns/y"` */
export function roleText(grant: Grant): string {
  return grant.role.kind === 'Role' ? `Role "${grant.role.namespace ?? grant.namespace ?? ''}/${grant.role.name}"` : `ClusterRole "${grant.role.name}"`;
}

/** `ClusterRoleBinding "x" → ClusterRole "y"` */
export function grantSource(grant: Grant): string {
  return `${describeBinding(grant.binding)} → ${roleText(grant)}`;
}

/** `list secrets cluster-wide (ClusterRoleBinding "x" → ClusterRole "y")` */
export function describeRisk(risk: GrantRisk): string {
  const where = risk.grant.namespace === undefined ? 'cluster-wide' : `in namespace "${risk.grant.namespace}"`;
  return `${risk.what} ${where}${risk.namesOnly ? ` (only ${(risk.grant.rule.resourceNames ?? []).join(', ')})` : ''} (${grantSource(risk.grant)})`;
}

/** Evidence path of a grant's rule: `clusterroles[name=x].rules[2]`. */
export function rulePath(grant: Grant): string {
  return grant.role.kind === 'ClusterRole'
    ? `clusterroles[name=${grant.role.name}].rules[${grant.ruleIndex}]`
    : `roles[namespace=${grant.role.namespace ?? grant.namespace ?? ''},name=${grant.role.name}].rules[${grant.ruleIndex}]`;
}

/** `get,list pods,services` / `get /healthz,/version` / `get configmaps [cluster-info]` / `all verbs on all resources (all API groups)` */
export function describeRule(rule: PolicyRule): string {
  const verbList = rule.verbs ?? [];
  const verbs = verbList.includes('*') ? 'all verbs on' : verbList.join(',');
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) return `${verbs} ${urls.includes('*') ? 'all non-resource URLs' : urls.join(',')}`;
  const groups = rule.apiGroups ?? [];
  const anyGroup = groups.includes('*');
  const resources = (rule.resources ?? []).map((r) => {
    if (r === '*') return 'all resources';
    return groups.length === 1 && groups[0] !== '' && !anyGroup ? `${r}.${groups[0]}` : r;
  });
  const groupNote = anyGroup ? ' (all API groups)' : groups.length > 1 ? ` (groups ${groups.map((g) => (g === '' ? '""' : g)).join(',')})` : '';
  const names = (rule.resourceNames ?? []).length > 0 ? ` [${(rule.resourceNames ?? []).join(', ')}]` : '';
  return `${verbs} ${resources.join(',')}${groupNote}${names}`;
}

// ---- Default grants every identity receives (bootstrap policy, CHECKS.md §3A/§7 trap 10) ----

/** system:public-info-viewer (bound to system:authenticated and system:unauthenticated). */
export const PUBLIC_INFO_URLS: readonly string[] = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
/** system:discovery (bound to system:authenticated). */
export const DISCOVERY_URLS: readonly string[] = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
/** system:service-account-issuer-discovery (bound to system:serviceaccounts). */
export const ISSUER_DISCOVERY_URLS: readonly string[] = ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'];
/** system:basic-user (bound to system:authenticated): self-reviews only. */
const BASIC_USER: readonly string[] = ['authorization.k8s.io/selfsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews', 'authentication.k8s.io/selfsubjectreviews'];

/** True when every URL the rule names is one of `allowed` or under an allowed `prefix*` entry. */
function urlsWithin(urls: readonly string[], allowed: readonly string[]): boolean {
  return urls.every((u) => allowed.some((a) => a === u || (a.endsWith('*') && u.startsWith(a.slice(0, -1)))));
}

/** A non-resource `get` rule whose URLs all fall within `allowed`. */
export function isNonResourceGetWithin(rule: PolicyRule, allowed: readonly string[]): boolean {
  const urls = rule.nonResourceURLs ?? [];
  const verbs = rule.verbs ?? [];
  return urls.length > 0 && (rule.resources ?? []).length === 0 && verbs.length > 0 && verbs.every((v) => v === 'get') && urlsWithin(urls, allowed);
}

/** The rule grants no more than system:basic-user's self-reviews. */
export function isBasicUserRule(rule: PolicyRule): boolean {
  const verbs = rule.verbs ?? [];
  const groups = rule.apiGroups ?? [];
  const resources = rule.resources ?? [];
  if ((rule.nonResourceURLs ?? []).length > 0 || verbs.length === 0 || groups.length === 0 || resources.length === 0) return false;
  if (!verbs.every((v) => v === 'create')) return false;
  return groups.every((g) => resources.every((r) => BASIC_USER.includes(`${g}/${r}`)));
}

/**
 * The rule grants nothing beyond the default discovery bindings every authenticated identity
 * and service account holds (system:basic-user, system:discovery, system:public-info-viewer,
 * system:service-account-issuer-discovery) — whichever binding carries it.
 */
export function isDefaultDiscoveryRule(rule: PolicyRule): boolean {
  return isBasicUserRule(rule) || isNonResourceGetWithin(rule, [...DISCOVERY_URLS, ...ISSUER_DISCOVERY_URLS]);
}

/** A grant that gives nothing beyond default discovery (see isDefaultDiscoveryRule). */
export function isDefaultDiscoveryGrant(grant: Grant): boolean {
  return isDefaultDiscoveryRule(grant.rule);
}

/** Groups that contain every authenticated identity or every service account. */
export function isBroadGroup(name: string): boolean {
  return name === 'system:authenticated' || name === 'system:serviceaccounts' || name === 'system:unauthenticated';
}

// ---- Service accounts ----

/** The service account a pod spec runs as: serviceAccountName, the deprecated serviceAccount, else `default`. */
export function podServiceAccount(spec: PodSpec): string {
  const legacy = (spec as PodSpec & { serviceAccount?: string }).serviceAccount;
  return spec.serviceAccountName || legacy || 'default';
}

/**
 * A service account's grants that give anything beyond default discovery: bindings naming it,
 * its user name `system:serviceaccount:<ns>:<name>`, and the groups every SA is in.
 * Exempt (default) grants are included: a token carries them whoever decided them.
 */
export function serviceAccountGrants(index: RbacIndex, namespace: string, name: string): readonly Grant[] {
  return index.grantsFor({ kind: 'ServiceAccount', name, namespace }).filter((g) => !isDefaultDiscoveryRule(g.rule));
}

/**
 * Granted to this service account specifically (its own subject, its user name, or the
 * service accounts of its namespace) rather than to every identity or every service account.
 */
export function isDirectGrant(grant: Grant, namespace: string, name: string): boolean {
  const s = grant.subject;
  if (s.kind === 'ServiceAccount') return s.namespace === namespace && s.name === name;
  if (s.kind === 'User') return s.name === `system:serviceaccount:${namespace}:${name}`;
  return s.name === `system:serviceaccounts:${namespace}`;
}

/** `list pods cluster-wide (ClusterRoleBinding "x" → ClusterRole "y")` for a permission listing. */
export function describeGrant(grant: Grant): string {
  const where = grant.namespace === undefined ? 'cluster-wide' : `in namespace "${grant.namespace}"`;
  return `${describeRule(grant.rule)} ${where} (${grantSource(grant)})`;
}
