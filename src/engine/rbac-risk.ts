/**
 * The one "dangerous permission" predicate shared by the service-account checks
 * (cluster/legacy-sa-token-secrets, cluster/sa-token-automount,
 * cluster/workload-privileged-service-account, cluster/default-service-account-used): which
 * RBAC rules grant what the cluster/rbac-* rows of CHECKS.md §3B flag, and how severe each
 * is. Matching goes through the RBAC engine (`ruleMatches`), so wildcards, "subresource of
 * every resource" entries, `resource/*` (not a wildcard) and resourceNames mean the same
 * here as everywhere else. Also the envelopes of the default discovery grants every
 * identity receives.
 */
import type { PodSpec, PolicyRule } from './k8s.js';
import { describeBinding, ruleMatches, type Grant, type Match, type RbacIndex, type ResourceRequest } from './rbac.js';
import type { ClusterVersion } from './snapshot.js';
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
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const WRITE_VERBS = ['create', 'update', 'patch', 'delete'] as const;
/** Verbs probed for "any verb" (kubelet maps HTTP methods to these). */
const ANY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'proxy'] as const;

/** Resources a rule with `verbs: ["*"]` must not cover (cluster/rbac-wildcard-verbs "high" list). */
const SENSITIVE_RESOURCES: readonly (readonly [group: string, resource: string])[] = [
  ['', 'secrets'], ['', 'pods'], ['apps', 'deployments'], ['apps', 'daemonsets'], ['apps', 'statefulsets'], ['apps', 'replicasets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'], [RBAC_GROUP, 'roles'], [RBAC_GROUP, 'clusterroles'],
  [RBAC_GROUP, 'rolebindings'], [RBAC_GROUP, 'clusterrolebindings'], ['', 'serviceaccounts'], ['', 'nodes'], ['', 'persistentvolumes'],
  [ADMISSION_GROUP, 'validatingwebhookconfigurations'], [ADMISSION_GROUP, 'mutatingwebhookconfigurations'],
];

interface Probe {
  readonly kind: RiskKind;
  /** Cluster-scoped resources: a RoleBinding can never grant them. */
  readonly clusterScoped: boolean;
  readonly requests: readonly ResourceRequest[];
  readonly severity: (clusterWide: boolean, namesOnly: boolean, req: ResourceRequest) => Severity;
}

const req = (verb: string, group: string, resource: string, subresource?: string): ResourceRequest =>
  subresource === undefined ? { verb, group, resource } : { verb, group, resource, subresource };

const fixed = (s: Severity) => (): Severity => s;

function minorOf(version: ClusterVersion | undefined): number | undefined {
  if (!version) return undefined;
  const major = Number(version.major.replace(/\D/g, ''));
  const minor = Number(version.minor.replace(/\D/g, ''));
  if (!Number.isFinite(major) || !Number.isFinite(minor) || version.minor.replace(/\D/g, '') === '') return undefined;
  return major > 1 ? Number.MAX_SAFE_INTEGER : minor;
}

function probes(options: RiskOptions): Probe[] {
  const minor = minorOf(options.version);
  // Unknown version: count `get` too (the older, wider authorization).
  const getUpgrades = minor === undefined || minor < 35;
  const execSubs = ['exec', 'attach', 'portforward'];
  const podControllers: ResourceRequest[] = [
    req('create', '', 'pods'),
    ...(['deployments', 'replicasets', 'statefulsets', 'daemonsets'] as const).flatMap((r) => ['create', 'update', 'patch'].map((v) => req(v, 'apps', r))),
    ...(['jobs', 'cronjobs'] as const).flatMap((r) => ['create', 'update', 'patch'].map((v) => req(v, 'batch', r))),
    ...['create', 'update', 'patch'].map((v) => req(v, '', 'replicationcontrollers')),
  ];
  return [
    {
      kind: 'secrets-read', clusterScoped: false,
      requests: [req('list', '', 'secrets'), req('watch', '', 'secrets'), req('get', '', 'secrets')],
      // cluster/rbac-secrets-read: list/watch cluster-wide high; get cluster-wide or list/watch in a namespace medium; names only low.
      severity: (cw, names, r) => (names ? 'low' : r.verb === 'get' ? (cw ? 'medium' : 'low') : cw ? 'high' : 'medium'),
    },
    { kind: 'pod-create', clusterScoped: false, requests: podControllers, severity: (cw) => (cw ? 'high' : 'medium') },
    {
      kind: 'exec', clusterScoped: false,
      requests: [
        ...execSubs.map((s) => req('create', '', 'pods', s)),
        ...(getUpgrades ? execSubs.map((s) => req('get', '', 'pods', s)) : []),
        req('update', '', 'pods', 'ephemeralcontainers'), req('patch', '', 'pods', 'ephemeralcontainers'),
      ],
      severity: fixed('high'),
    },
    {
      kind: 'escalation', clusterScoped: false,
      requests: ['escalate', 'bind'].flatMap((v) => [req(v, RBAC_GROUP, 'roles'), req(v, RBAC_GROUP, 'clusterroles')]),
      severity: fixed('critical'),
    },
    {
      kind: 'escalation', clusterScoped: true,
      requests: ['create', 'update', 'patch'].flatMap((v) => [req(v, RBAC_GROUP, 'clusterrolebindings'), req(v, RBAC_GROUP, 'clusterroles')]),
      severity: fixed('critical'),
    },
    {
      kind: 'escalation', clusterScoped: false,
      requests: ['create', 'update', 'patch'].flatMap((v) => [req(v, RBAC_GROUP, 'rolebindings'), req(v, RBAC_GROUP, 'roles')]),
      severity: fixed('high'),
    },
    { kind: 'impersonate', clusterScoped: false, requests: [req('impersonate', '', 'serviceaccounts')], severity: fixed('critical') },
    {
      kind: 'impersonate', clusterScoped: true,
      requests: [
        req('impersonate', '', 'users'), req('impersonate', '', 'groups'), req('impersonate', 'authentication.k8s.io', 'uids'),
        req('impersonate', 'authentication.k8s.io', 'userextras', 'scopes'),
      ],
      severity: fixed('critical'),
    },
    { kind: 'nodes-proxy', clusterScoped: true, requests: ANY_VERB.map((v) => req(v, '', 'nodes', 'proxy')), severity: fixed('high') },
    {
      kind: 'webhook-write', clusterScoped: true,
      requests: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
        'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'].flatMap((r) => WRITE_VERBS.map((v) => req(v, ADMISSION_GROUP, r))),
      severity: fixed('high'),
    },
    { kind: 'sa-token-create', clusterScoped: false, requests: [req('create', '', 'serviceaccounts', 'token')], severity: (cw) => (cw ? 'high' : 'medium') },
    { kind: 'pv-create', clusterScoped: true, requests: [req('create', '', 'persistentvolumes')], severity: fixed('medium') },
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

function wildcardRisk(rule: PolicyRule): Risk | undefined {
  const verbs = rule.verbs ?? [];
  if (verbs.length === 0 || (rule.resources ?? []).length === 0) return undefined;
  const names = (rule.resourceNames ?? []).length > 0;
  // `*` resources in the core group or every group cover Secrets, pods/exec and nodes/proxy.
  if (has(rule.resources, '*') && (has(rule.apiGroups, '*') || has(rule.apiGroups, ''))) {
    return { kind: 'wildcard', severity: 'high', what: `${verbs.join(',')} any resource of ${has(rule.apiGroups, '*') ? 'any API group' : 'the core API group'}`, namesOnly: names };
  }
  if (has(rule.verbs, '*')) {
    const hit = SENSITIVE_RESOURCES.find(([group, resource]) => ruleMatches({ ...rule, verbs: ['*'] }, req('get', group, resource)) !== false);
    if (hit) return { kind: 'wildcard', severity: 'high', what: `do anything to ${hit[0] ? `${hit[1]}.${hit[0]}` : hit[1]}`, namesOnly: names };
  }
  return undefined;
}

/**
 * The dangerous permissions one rule grants. `clusterWide` = granted by a ClusterRoleBinding
 * (a RoleBinding never grants cluster-scoped resources). One risk per kind and severity:
 * the first matching request names it.
 */
export function ruleRisks(rule: PolicyRule, clusterWide: boolean, options: RiskOptions & { readonly rateAsClusterWide?: boolean } = {}): Risk[] {
  // Severity as if cluster-wide (clusterEquivalentNamespaces); scope (cluster-scoped resources) as granted.
  const rated = clusterWide || options.rateAsClusterWide === true;
  if (isAdminRule(rule)) {
    return [{ kind: 'cluster-admin', severity: rated ? 'critical' : 'high', what: clusterWide ? 'do anything to any resource (cluster-admin equivalent)' : 'do anything to any resource of the namespace (namespace-admin equivalent)', namesOnly: false }];
  }
  const out: Risk[] = [];
  if (has(rule.nonResourceURLs, '*') && has(rule.verbs, '*') && clusterWide) {
    out.push({ kind: 'nonresource-wildcard', severity: 'medium', what: 'use any verb on any non-resource URL (/metrics, /logs, /debug)', namesOnly: false });
  }
  const wildcard = wildcardRisk(rule);
  if (wildcard) out.push(wildcard);
  for (const probe of probes(options)) {
    if (probe.clusterScoped && !clusterWide) continue;
    let best: { risk: Risk; rank: number } | undefined;
    for (const r of probe.requests) {
      const match: Match = ruleMatches(rule, r);
      if (match === false) continue;
      const namesOnly = match === 'resourceNames';
      const severity = probe.severity(rated, namesOnly, r);
      const rank = severityRank(severity);
      if (!best || rank < best.rank) best = { risk: { kind: probe.kind, severity, what: requestText(r), namesOnly }, rank };
    }
    const found = best?.risk;
    if (found && !out.some((o) => o.kind === found.kind && o.severity === found.severity)) out.push(found);
  }
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
    for (const risk of ruleRisks(grant.rule, isClusterWide(grant), { ...options, rateAsClusterWide })) out.push({ ...risk, grant });
  }
  const approval = grants.filter((g) => isClusterWide(g) && ['update', 'patch'].some((v) => ruleMatches(g.rule, req(v, 'certificates.k8s.io', 'certificatesigningrequests', 'approval')) !== false));
  const signers = grants.filter((g) => isClusterWide(g) && ruleMatches(g.rule, req('approve', 'certificates.k8s.io', 'signers')) !== false);
  if (approval.length > 0 || signers.length > 0) {
    const both = approval.length > 0 && signers.length > 0;
    const first = approval[0] ?? signers[0];
    // A cluster-admin grant already says everything.
    if (first && !out.some((o) => o.kind === 'cluster-admin' && isClusterWide(o.grant))) {
      out.push({
        kind: 'csr-approval', severity: both ? 'high' : 'medium', grant: first, namesOnly: false,
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
