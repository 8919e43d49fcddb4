/**
 * RBAC effective-permission engine (CHECKS.md §1.8): turns roles and bindings into
 * (subject, scope, rule) grants, answers "who may do X" the way the API server's RBAC
 * authorizer does, and marks the grants every cluster has by default as exempt (§1.8, §7
 * trap 10) so checks report only decisions someone made.
 */
import type { PolicyRule, Role, RoleBinding, Subject } from './k8s.js';
import { command } from './shell.js';
import type { Snapshot } from './snapshot.js';

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';
export interface RbacSubject { readonly kind: SubjectKind; readonly name: string; readonly namespace?: string }
export interface BindingRef { readonly kind: 'ClusterRoleBinding' | 'RoleBinding'; readonly name: string; readonly namespace?: string }
export interface RoleRefInfo { readonly kind: 'ClusterRole' | 'Role'; readonly name: string; readonly namespace?: string }

/** One (subject, scope, rule) triple. */
export interface Grant {
  readonly subject: RbacSubject;
  readonly binding: BindingRef;
  readonly role: RoleRefInfo;
  /** undefined = cluster-wide (ClusterRoleBinding); else the RoleBinding's namespace. */
  readonly namespace?: string;
  readonly rule: PolicyRule;
  readonly ruleIndex: number;
  /** Excluded per §1.8/§7 (bootstrap rbac-defaults objects, system: component subjects, cluster-admin→system:masters, kubeadm defaults). */
  readonly exempt: boolean;
  readonly exemptReason?: string;
}

export interface ResourceRequest { readonly verb: string; readonly group: string; readonly resource: string; readonly subresource?: string; readonly name?: string; readonly namespace?: string }

/** true = allowed; 'resourceNames' = allowed only for the listed names (lower confidence); false = not allowed. */
export type Match = boolean | 'resourceNames';

export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** What the API server reconciles into `cluster-admin` at start-up (it exists even when it was not listed). */
export const CLUSTER_ADMIN_RULES: readonly PolicyRule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { nonResourceURLs: ['*'], verbs: ['*'] },
];

/**
 * Resources without a namespace: the authorizer checks them with an empty namespace, so a
 * RoleBinding (even to a ClusterRole that lists them) never grants them. The impersonation
 * pseudo-resources `users`, `groups`, `uids`, `userextras` and CSR `signers` are cluster-scoped too.
 */
export const CLUSTER_SCOPED_RESOURCES: ReadonlySet<string> = new Set([
  'nodes', 'persistentvolumes', 'componentstatuses',
  'clusterroles', 'clusterrolebindings',
  'certificatesigningrequests', 'signers', 'clustertrustbundles',
  'validatingwebhookconfigurations', 'mutatingwebhookconfigurations',
  'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
  'customresourcedefinitions', 'apiservices', 'storageclasses', 'volumeattachments', 'csidrivers', 'csinodes',
  'priorityclasses', 'runtimeclasses', 'ingressclasses', 'ipaddresses', 'servicecidrs',
  'users', 'groups', 'uids', 'userextras',
  'tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews',
]);

// ----------------------------------------------------------------------------- rule matching

function includesOrStar(list: readonly string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === '*' || v === value);
}

/**
 * Whether a rule allows a resource request, as the RBAC authorizer decides it: the group or
 * `*`; the verb or `*`; `*` (every resource and subresource), `resource`, `resource/sub`
 * or `*​/sub`. `resource/*` is not a wildcard: it only matches a subresource literally named `*`.
 * A rule with resourceNames allows only those names: without a name in the request the
 * answer is `'resourceNames'`.
 */
export function ruleMatches(rule: PolicyRule, req: ResourceRequest): Match {
  if (!includesOrStar(rule.verbs, req.verb)) return false;
  if (!includesOrStar(rule.apiGroups, req.group)) return false;
  const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  const resourceOk = (rule.resources ?? []).some((r) =>
    r === '*' || r === combined || (req.subresource !== undefined && req.subresource !== '' && r === `*/${req.subresource}`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  if (req.name !== undefined && req.name !== '') return names.includes(req.name);
  return 'resourceNames';
}

/** nonResourceURLs: exact, or a prefix when the rule's entry ends with `*`. */
export function ruleMatchesNonResource(rule: PolicyRule, verb: string, path: string): boolean {
  if (!includesOrStar(rule.verbs, verb)) return false;
  return (rule.nonResourceURLs ?? []).some((u) => u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** `apiGroups: ["*"], resources: ["*"], verbs: ["*"]` without resourceNames: everything, like cluster-admin. */
export function isAdminEquivalentRule(rule: PolicyRule): boolean {
  const has = (list: readonly string[] | undefined) => (list ?? []).includes('*');
  return has(rule.apiGroups) && has(rule.resources) && has(rule.verbs) && (rule.resourceNames ?? []).length === 0;
}

// ----------------------------------------------------------------------------- subjects

/** The groups a subject is in implicitly: SA → system:serviceaccounts, system:serviceaccounts:<ns>, system:authenticated; User system:anonymous → system:unauthenticated; other users → system:authenticated. */
export function implicitGroups(subject: RbacSubject): string[] {
  if (subject.kind === 'ServiceAccount') {
    return ['system:serviceaccounts', `system:serviceaccounts:${subject.namespace ?? ''}`, 'system:authenticated'];
  }
  if (subject.kind === 'User') return subject.name === 'system:anonymous' ? ['system:unauthenticated'] : ['system:authenticated'];
  return [];
}

/** `ServiceAccount:ns/name`, `User:alice`, `Group:dev`. */
export function subjectKey(subject: RbacSubject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount:${subject.namespace ?? ''}/${subject.name}` : `${subject.kind}:${subject.name}`;
}

/** `ServiceAccount "ns/name"`, `User "alice"`, `Group "dev"`. */
export function describeSubject(subject: RbacSubject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount "${subject.namespace ?? ''}/${subject.name}"` : `${subject.kind} "${subject.name}"`;
}

/** `ClusterRoleBinding "x"` / `RoleBinding "ns/x"`. */
export function describeBinding(b: BindingRef): string {
  return b.kind === 'RoleBinding' ? `RoleBinding "${b.namespace ?? ''}/${b.name}"` : `ClusterRoleBinding "${b.name}"`;
}

/** `ClusterRole "x"` / `Role "ns/x"`. */
export function describeRole(r: RoleRefInfo): string {
  return r.kind === 'Role' ? `Role "${r.namespace ?? ''}/${r.name}"` : `ClusterRole "${r.name}"`;
}

/** Groups that put every caller, every authenticated caller or every service account behind a grant. */
export function isBroadSubject(s: RbacSubject): boolean {
  if (s.kind === 'Group') return s.name === 'system:authenticated' || s.name === 'system:unauthenticated' || s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:');
  return s.kind === 'User' && s.name === 'system:anonymous';
}

/** The binding subject as the authorizer reads it: a ServiceAccount without namespace is in the RoleBinding's namespace. */
export function toRbacSubject(s: Subject, bindingNamespace: string | undefined): RbacSubject | undefined {
  if (s.kind === 'ServiceAccount') return { kind: 'ServiceAccount', name: s.name, namespace: s.namespace || bindingNamespace || '' };
  if (s.kind === 'User' || s.kind === 'Group') return { kind: s.kind, name: s.name };
  return undefined;
}

/**
 * `kubectl auth can-i --list` (or a specific verb/resource) impersonating the subject, every
 * value quoted. A request without namespace is checked across all namespaces (`-A`), which is
 * also how cluster-scoped resources are asked about.
 */
export function canICommand(subject: RbacSubject, namespace?: string, req?: ResourceRequest): string {
  let as: string;
  if (subject.kind === 'ServiceAccount') as = command`${`--as=system:serviceaccount:${subject.namespace || namespace || ''}:${subject.name}`}`;
  else if (subject.kind === 'Group') as = command`--as=4c-tui-probe ${`--as-group=${subject.name}`}`;
  else as = command`${`--as=${subject.name}`}`;
  const ns = namespace ?? req?.namespace;
  if (!req) return `kubectl auth can-i --list ${as}` + (ns ? command` -n ${ns}` : '');
  const type = (req.group ? `${req.resource}.${req.group}` : req.resource) + (req.name ? `/${req.name}` : '');
  const sub = req.subresource ? command` ${`--subresource=${req.subresource}`}` : '';
  return command`kubectl auth can-i ${req.verb} ${type}` + sub + ` ${as}` + (ns ? command` -n ${ns}` : ' --all-namespaces');
}

// ----------------------------------------------------------------------------- exemptions

/** kube-controller-manager controllers running under their own service account in kube-system (--use-service-account-credentials). */
export const CONTROLLER_SERVICE_ACCOUNTS: ReadonlySet<string> = new Set([
  'attachdetach-controller', 'bootstrap-signer', 'certificate-controller', 'clusterrole-aggregation-controller', 'cronjob-controller',
  'daemon-set-controller', 'deployment-controller', 'disruption-controller', 'endpoint-controller', 'endpointslice-controller',
  'endpointslicemirroring-controller', 'ephemeral-volume-controller', 'expand-controller', 'generic-garbage-collector',
  'horizontal-pod-autoscaler', 'job-controller', 'legacy-service-account-token-cleaner', 'namespace-controller', 'node-controller',
  'node-ipam-controller', 'persistent-volume-binder', 'pod-garbage-collector', 'podcheckpoint-controller', 'pv-protection-controller',
  'pvc-protection-controller', 'replicaset-controller', 'replication-controller', 'resource-claim-controller',
  'resourcequota-controller', 'root-ca-cert-publisher', 'route-controller', 'selinux-warning-controller', 'service-account-controller',
  'service-cidrs-controller', 'service-controller', 'statefulset-controller', 'token-cleaner', 'ttl-after-finished-controller',
  'ttl-controller', 'validatingadmissionpolicy-status-controller', 'volumeattributesclass-protection-controller',
  'kube-controller-manager', 'kube-scheduler',
]);

/** Default ClusterRoleBindings whose subjects are system:authenticated / system:unauthenticated / system:serviceaccounts. */
const BROAD_DEFAULT_BINDINGS: ReadonlySet<string> = new Set(['system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:service-account-issuer-discovery']);

const BOOTSTRAPPERS = 'Group:system:bootstrappers:kubeadm:default-node-token';
const cmGet = (name: string): PolicyRule => ({ apiGroups: [''], resources: ['configmaps'], resourceNames: [name], verbs: ['get'] });

interface KubeadmBinding { readonly roleKind: 'ClusterRole' | 'Role'; readonly roleName: string; readonly subjects: readonly string[] }

/** What `kubeadm init` creates (v1.29+), keyed by `Kind/namespace/name`; no bootstrapping label, equally expected. */
const KUBEADM_BINDINGS: ReadonlyMap<string, KubeadmBinding> = new Map([
  ['ClusterRoleBinding//kubeadm:cluster-admins', { roleKind: 'ClusterRole', roleName: 'cluster-admin', subjects: ['Group:kubeadm:cluster-admins'] }],
  ['ClusterRoleBinding//kubeadm:get-nodes', { roleKind: 'ClusterRole', roleName: 'kubeadm:get-nodes', subjects: [BOOTSTRAPPERS] }],
  ['ClusterRoleBinding//kubeadm:kubelet-bootstrap', { roleKind: 'ClusterRole', roleName: 'system:node-bootstrapper', subjects: [BOOTSTRAPPERS] }],
  ['ClusterRoleBinding//kubeadm:node-autoapprove-bootstrap', { roleKind: 'ClusterRole', roleName: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', subjects: [BOOTSTRAPPERS] }],
  ['ClusterRoleBinding//kubeadm:node-autoapprove-certificate-rotation', { roleKind: 'ClusterRole', roleName: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', subjects: ['Group:system:nodes'] }],
  ['ClusterRoleBinding//kubeadm:node-proxier', { roleKind: 'ClusterRole', roleName: 'system:node-proxier', subjects: ['ServiceAccount:kube-system/kube-proxy'] }],
  ['ClusterRoleBinding//system:coredns', { roleKind: 'ClusterRole', roleName: 'system:coredns', subjects: ['ServiceAccount:kube-system/coredns'] }],
  ['RoleBinding/kube-system/kube-proxy', { roleKind: 'Role', roleName: 'kube-proxy', subjects: [BOOTSTRAPPERS] }],
  ['RoleBinding/kube-system/kubeadm:kubelet-config', { roleKind: 'Role', roleName: 'kubeadm:kubelet-config', subjects: ['Group:system:nodes', BOOTSTRAPPERS] }],
  ['RoleBinding/kube-system/kubeadm:nodes-kubeadm-config', { roleKind: 'Role', roleName: 'kubeadm:nodes-kubeadm-config', subjects: ['Group:system:nodes', BOOTSTRAPPERS] }],
  ['RoleBinding/kube-public/kubeadm:bootstrap-signer-clusterinfo', { roleKind: 'Role', roleName: 'kubeadm:bootstrap-signer-clusterinfo', subjects: ['User:system:anonymous'] }],
]);

/** kubeadm's own roles and their rules, keyed by `Kind/namespace/name`: exempt only while unchanged. */
const KUBEADM_ROLES: ReadonlyMap<string, readonly PolicyRule[]> = new Map([
  ['ClusterRole//kubeadm:get-nodes', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]],
  ['ClusterRole//system:coredns', [
    { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  ]],
  ['Role/kube-system/kube-proxy', [cmGet('kube-proxy')]],
  ['Role/kube-system/kubeadm:kubelet-config', [cmGet('kubelet-config')]],
  ['Role/kube-system/kubeadm:nodes-kubeadm-config', [cmGet('kubeadm-config')]],
  ['Role/kube-public/kubeadm:bootstrap-signer-clusterinfo', [cmGet('cluster-info')]],
]);

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = [...new Set(a ?? [])].sort();
  const y = [...new Set(b ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return sameSet(a.apiGroups, b.apiGroups) && sameSet(a.resources, b.resources) && sameSet(a.verbs, b.verbs)
    && sameSet(a.resourceNames, b.resourceNames) && sameSet(a.nonResourceURLs, b.nonResourceURLs);
}

function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/**
 * A role every cluster has: labelled kubernetes.io/bootstrapping=rbac-defaults, or one of
 * kubeadm's own roles with its rules unchanged. Its rules are not a decision; bindings to it are.
 */
export function isDefaultRole(kind: 'ClusterRole' | 'Role', role: Role): boolean {
  if (role.metadata?.labels?.[BOOTSTRAP_LABEL] === 'rbac-defaults') return true;
  const defaults = KUBEADM_ROLES.get(roleKey(kind, role.metadata?.namespace, role.metadata?.name ?? ''));
  return defaults !== undefined && (role.rules ?? []).every((r) => defaults.some((d) => sameRule(r, d)));
}

/** Why a subject on this binding is exempt (CHECKS.md §1.8, §7 trap 10), or undefined. */
export function exemption(subject: RbacSubject, binding: RoleBinding, bindingRef: BindingRef, role: RoleRefInfo, roleObject: Role | undefined): string | undefined {
  if (subject.kind === 'Group' && subject.name === 'system:masters') return 'system:masters bypasses authorization';
  if (subject.kind === 'Group' && subject.name === 'system:nodes') return 'kubelets (group system:nodes)';
  if (subject.kind === 'User' && (subject.name === 'system:kube-controller-manager' || subject.name === 'system:kube-scheduler'
    || subject.name === 'system:kube-proxy' || subject.name.startsWith('system:node:'))) return 'control-plane component identity';
  if (subject.kind === 'ServiceAccount' && subject.namespace === 'kube-system' && CONTROLLER_SERVICE_ACCOUNTS.has(subject.name)) {
    return 'kube-controller-manager controller service account';
  }
  if (binding.metadata?.labels?.[BOOTSTRAP_LABEL] === 'rbac-defaults') {
    // Everyone-groups are defaults only on the discovery bindings that carry them; added to any other default binding they are a decision.
    if (isBroadSubject(subject) && !(bindingRef.kind === 'ClusterRoleBinding' && BROAD_DEFAULT_BINDINGS.has(bindingRef.name))) return undefined;
    if ((subject.kind === 'User' || subject.kind === 'Group') && subject.name.startsWith('system:')) return 'default binding (kubernetes.io/bootstrapping=rbac-defaults)';
    if (subject.kind === 'ServiceAccount' && subject.namespace === 'kube-system') return 'default binding (kubernetes.io/bootstrapping=rbac-defaults)';
  }
  const kubeadm = KUBEADM_BINDINGS.get(roleKey(bindingRef.kind, bindingRef.namespace, bindingRef.name));
  if (kubeadm && kubeadm.roleKind === role.kind && kubeadm.roleName === role.name && kubeadm.subjects.includes(subjectKey(subject))) {
    // The role must still be the default one (cluster-admin is reconciled by the API server).
    const roleIsDefault = role.name === 'cluster-admin' || (roleObject !== undefined && isDefaultRole(role.kind, roleObject));
    if (roleIsDefault) return 'kubeadm default binding';
  }
  return undefined;
}

// ----------------------------------------------------------------------------- aggregation

interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const ml = Object.entries(selector.matchLabels ?? {});
  const me = selector.matchExpressions ?? [];
  if (ml.length === 0 && me.length === 0) return false; // an empty aggregation selector selects nothing useful
  if (!ml.every(([k, v]) => labels[k] === v)) return false;
  return me.every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(value ?? '');
      case 'NotIn': return !has || !(e.values ?? []).includes(value ?? '');
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

// ----------------------------------------------------------------------------- the index

/** A role object with where it is used. */
export interface RoleInfo {
  readonly ref: RoleRefInfo;
  readonly object: Role;
  /** Labelled rbac-defaults, or a kubeadm role with its default rules. */
  readonly isDefault: boolean;
  readonly boundBy: readonly BindingRef[];
  /** ClusterRoles whose aggregationRule selects this one. */
  readonly aggregatedInto: readonly string[];
}

const cache = new WeakMap<Snapshot, RbacIndex>();

/** Positions in the grant list by subject key, Group name and User name. */
interface SubjectIndex {
  readonly keys: Map<string, number[]>;
  readonly groups: Map<string, number[]>;
  readonly users: Map<string, number[]>;
}

export class RbacIndex {
  readonly #grants: Grant[] = [];
  readonly #unresolved: BindingRef[] = [];
  readonly #roles: RoleInfo[] = [];
  readonly #roleObjects = new Map<string, Role>();
  readonly #bindingObjects = new Map<string, RoleBinding>();
  readonly #grantsByBinding = new Map<string, Grant[]>();

  private constructor(snapshot: Snapshot) {
    const clusterRoles = snapshot.list<Role>('clusterroles');
    const roles = snapshot.list<Role>('roles');
    for (const r of clusterRoles) this.#roleObjects.set(roleKey('ClusterRole', undefined, r.metadata?.name ?? ''), r);
    for (const r of roles) this.#roleObjects.set(roleKey('Role', r.metadata?.namespace, r.metadata?.name ?? ''), r);

    const boundBy = new Map<string, BindingRef[]>();
    const bindings = [
      ...snapshot.list<RoleBinding>('clusterrolebindings').map((b) => ({ b, kind: 'ClusterRoleBinding' as const })),
      ...snapshot.list<RoleBinding>('rolebindings').map((b) => ({ b, kind: 'RoleBinding' as const })),
    ];
    for (const { b, kind } of bindings) {
      const ns = kind === 'RoleBinding' ? b.metadata?.namespace ?? '' : undefined;
      const ref: BindingRef = { kind, name: b.metadata?.name ?? '', ...(ns !== undefined ? { namespace: ns } : {}) };
      this.#bindingObjects.set(roleKey(kind, ns, ref.name), b);
      const rr = b.roleRef;
      // A ClusterRoleBinding may only reference a ClusterRole; anything else does not resolve.
      const valid = rr !== undefined && (rr.apiGroup === undefined || rr.apiGroup === RBAC_GROUP)
        && (rr.kind === 'ClusterRole' || (rr.kind === 'Role' && kind === 'RoleBinding'));
      if (!rr || !valid) {
        this.#unresolved.push(ref);
        continue;
      }
      const role: RoleRefInfo = rr.kind === 'Role' ? { kind: 'Role', name: rr.name, namespace: ns ?? '' } : { kind: 'ClusterRole', name: rr.name };
      const key = roleKey(role.kind, role.namespace, role.name);
      const list = boundBy.get(key);
      if (list) list.push(ref);
      else boundBy.set(key, [ref]);
      const object = this.#roleObjects.get(key);
      let rules = object?.rules;
      if (!object) {
        // cluster-admin is reconciled by the API server at start-up: it exists even when not listed.
        if (role.kind === 'ClusterRole' && role.name === 'cluster-admin') rules = CLUSTER_ADMIN_RULES;
        else {
          this.#unresolved.push(ref);
          continue;
        }
      }
      for (const s of b.subjects ?? []) {
        const subject = toRbacSubject(s, ns);
        if (!subject) continue;
        const exemptReason = exemption(subject, b, ref, role, object);
        const own = this.#grantsByBinding.get(roleKey(kind, ns, ref.name)) ?? [];
        this.#grantsByBinding.set(roleKey(kind, ns, ref.name), own);
        (rules ?? []).forEach((rule, ruleIndex) => {
          const grant: Grant = {
            subject, binding: ref, role, ...(ns !== undefined ? { namespace: ns } : {}), rule, ruleIndex,
            exempt: exemptReason !== undefined, ...(exemptReason !== undefined ? { exemptReason } : {}),
          };
          this.#grants.push(grant);
          own.push(grant);
        });
      }
    }

    const selectors = clusterRoles
      .map((r) => ({ name: r.metadata?.name ?? '', selectors: ((r.aggregationRule as { clusterRoleSelectors?: LabelSelector[] } | undefined)?.clusterRoleSelectors ?? []) }))
      .filter((r) => r.selectors.length > 0);
    const info = (kind: 'ClusterRole' | 'Role', r: Role): RoleInfo => {
      const ref: RoleRefInfo = kind === 'Role' ? { kind, name: r.metadata?.name ?? '', namespace: r.metadata?.namespace ?? '' } : { kind, name: r.metadata?.name ?? '' };
      const labels = r.metadata?.labels ?? {};
      const aggregatedInto = kind === 'ClusterRole'
        ? selectors.filter((s) => s.name !== ref.name && s.selectors.some((sel) => selects(sel, labels))).map((s) => s.name)
        : [];
      return { ref, object: r, isDefault: isDefaultRole(kind, r), boundBy: boundBy.get(roleKey(kind, ref.namespace, ref.name)) ?? [], aggregatedInto };
    };
    for (const r of clusterRoles) this.#roles.push(info('ClusterRole', r));
    for (const r of roles) this.#roles.push(info('Role', r));
  }

  /** Memoised per snapshot; reads roles, rolebindings, clusterroles, clusterrolebindings. */
  static of(snapshot: Snapshot): RbacIndex {
    let index = cache.get(snapshot);
    if (!index) {
      index = new RbacIndex(snapshot);
      cache.set(snapshot, index);
    }
    return index;
  }

  /** Every grant, exempt ones included and marked. */
  grants(): readonly Grant[] {
    return this.#grants;
  }

  /** Grants that apply to this subject directly or through its implicit groups / the groups given. */
  grantsFor(subject: RbacSubject, extraGroups: readonly string[] = []): readonly Grant[] {
    const key = subjectKey(subject);
    const groups = new Set([...implicitGroups(subject), ...extraGroups]);
    // A User subject named like the service account's user name also applies to it.
    const saUser = subject.kind === 'ServiceAccount' ? `system:serviceaccount:${subject.namespace ?? ''}:${subject.name}` : undefined;
    // Looked up by subject rather than filtered (one call per workload over 10,000 bindings was
    // quadratic); the grants come back in index order, as a filter would return them.
    const bySubject = this.#subjectIndex();
    const hits = new Set<number>(bySubject.keys.get(key));
    for (const group of groups) for (const i of bySubject.groups.get(group) ?? []) hits.add(i);
    if (saUser !== undefined) for (const i of bySubject.users.get(saUser) ?? []) hits.add(i);
    return [...hits].sort((a, b) => a - b).map((i) => this.#grants[i] as Grant);
  }

  #bySubject?: SubjectIndex;

  /** Grant positions by subject key, by Group name and by User name; built on first use. */
  #subjectIndex(): SubjectIndex {
    if (!this.#bySubject) {
      const index = { keys: new Map<string, number[]>(), groups: new Map<string, number[]>(), users: new Map<string, number[]>() };
      const add = (map: Map<string, number[]>, key: string, i: number) => {
        const list = map.get(key);
        if (list) list.push(i);
        else map.set(key, [i]);
      };
      this.#grants.forEach((g, i) => {
        add(index.keys, subjectKey(g.subject), i);
        if (g.subject.kind === 'Group') add(index.groups, g.subject.name, i);
        else if (g.subject.kind === 'User') add(index.users, g.subject.name, i);
      });
      this.#bySubject = index;
    }
    return this.#bySubject;
  }

  /**
   * Grants whose rule allows the request. With a namespace: cluster-wide grants and that
   * namespace's; without: grants in every scope. Requests on cluster-scoped resources
   * (CLUSTER_SCOPED_RESOURCES) only ever match cluster-wide grants. includeExempt default false.
   */
  allowing(req: ResourceRequest, options: { includeExempt?: boolean } = {}): readonly { grant: Grant; match: Match }[] {
    const clusterScoped = CLUSTER_SCOPED_RESOURCES.has(req.resource);
    const out: { grant: Grant; match: Match }[] = [];
    for (const grant of this.#grants) {
      if (grant.exempt && !options.includeExempt) continue;
      if (grant.namespace !== undefined) {
        if (clusterScoped) continue;
        if (req.namespace !== undefined && grant.namespace !== req.namespace) continue;
      }
      const match = ruleMatches(grant.rule, req);
      if (match !== false) out.push({ grant, match });
    }
    return out;
  }

  /** Bindings whose roleRef does not resolve (they grant nothing). */
  unresolvedBindings(): readonly BindingRef[] {
    return this.#unresolved;
  }

  /** Roles/ClusterRoles not referenced by any binding (and not aggregated into one). */
  unboundRoles(): readonly RoleRefInfo[] {
    return this.#roles.filter((r) => r.boundBy.length === 0 && r.aggregatedInto.length === 0).map((r) => r.ref);
  }

  /** Every Role and ClusterRole with its bindings and aggregation targets. */
  roles(): readonly RoleInfo[] {
    return this.#roles;
  }

  /** The listed role object, or undefined (not listed, or the implicit cluster-admin). */
  role(ref: RoleRefInfo): Role | undefined {
    return this.#roleObjects.get(roleKey(ref.kind, ref.namespace, ref.name));
  }

  /** The grants one binding gives (exempt ones included). */
  grantsOf(ref: BindingRef): readonly Grant[] {
    return this.#grantsByBinding.get(roleKey(ref.kind, ref.namespace, ref.name)) ?? [];
  }

  /** The binding object behind a reference. */
  binding(ref: BindingRef): RoleBinding | undefined {
    return this.#bindingObjects.get(roleKey(ref.kind, ref.namespace, ref.name));
  }
}
