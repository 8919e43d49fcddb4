/**
 * Other admission engines that may enforce pod security on a namespace (CHECKS.md Appendix C.3),
 * for `cluster/pss-enforce-missing`: Kyverno policies with podSecurity (or Pod Security
 * category) validate rules in Enforce mode, the Gatekeeper validating webhook (constraints are
 * not collected, so not evaluated), ValidatingAdmissionPolicyBindings with validationActions
 * Deny whose policy matches pods, and Kubewarden pod-security policies in protect mode.
 * Detection only downgrades a FAIL to a WARN: it never proves equivalence with PSS.
 */
import type { K8sObject, LabelSelector } from './k8s.js';
import type { ResourceName } from './resources.js';
import type { Snapshot } from './snapshot.js';

export interface EngineCoverage {
  /** Product, e.g. `Kyverno`. */
  readonly product: string;
  /** The object that makes it apply, e.g. `ClusterPolicy "disallow-privileged" rule "privileged"`. */
  readonly source: string;
  /** Evidence path. */
  readonly path: string;
  /** What is not visible or limits it, e.g. `constraints not evaluated`. */
  readonly note?: string;
}

export interface PodSecurityEngines {
  /** Engines that cover `namespace` (with its labels). */
  readonly covering: (namespace: string, labels: Readonly<Record<string, string>>) => readonly EngineCoverage[];
  /** Optional sources that could not be read (not-served ones are simply absent). */
  readonly unreadable: readonly string[];
}

/** Label-selector semantics (matchLabels AND matchExpressions); an empty or absent selector selects everything. */
export function selectorSelects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key] ?? '';
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(value)) return false; break;
      case 'NotIn': if (has && values.includes(value)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Kyverno's `*` / `?` name wildcards. */
function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

const POD_KINDS = new Set(['pod', 'deployment', 'replicaset', 'statefulset', 'daemonset', 'job', 'cronjob', 'replicationcontroller', '*']);
const POD_RESOURCES = new Set(['pods', '*', '*/*']);

interface AdmissionRule {
  readonly apiGroups?: readonly string[];
  readonly operations?: readonly string[];
  readonly resources?: readonly string[];
}

/** Does a webhook/VAP-style rule cover CREATE of core pods? */
function rulesCoverPods(rules: readonly AdmissionRule[] | undefined): boolean {
  return (rules ?? []).some((r) =>
    (r.apiGroups === undefined || r.apiGroups.some((g) => g === '' || g === '*')) &&
    (r.resources ?? []).some((res) => POD_RESOURCES.has(res)) &&
    (r.operations === undefined || r.operations.length === 0 || r.operations.some((op) => op === 'CREATE' || op === '*')));
}

/* ---------- Kyverno ---------- */

interface KyvernoResources {
  readonly kinds?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: LabelSelector;
  readonly selector?: LabelSelector;
  readonly names?: readonly string[];
}
interface KyvernoFilter { readonly resources?: KyvernoResources; readonly subjects?: readonly unknown[]; readonly roles?: readonly string[]; readonly clusterRoles?: readonly string[] }
interface KyvernoMatch extends KyvernoFilter { readonly any?: readonly KyvernoFilter[]; readonly all?: readonly KyvernoFilter[] }
interface FailureActionOverride { readonly action?: string; readonly namespaces?: readonly string[]; readonly namespaceSelector?: LabelSelector }
interface KyvernoRule {
  readonly name?: string;
  readonly match?: KyvernoMatch;
  readonly exclude?: KyvernoMatch;
  readonly validate?: {
    readonly failureAction?: string;
    readonly failureActionOverrides?: readonly FailureActionOverride[];
    readonly podSecurity?: { readonly level?: string; readonly version?: string };
    readonly pattern?: unknown;
    readonly anyPattern?: unknown;
    readonly deny?: unknown;
    readonly cel?: unknown;
  };
}
interface KyvernoPolicy extends K8sObject {
  readonly spec?: { readonly validationFailureAction?: string; readonly validationFailureActionOverrides?: readonly FailureActionOverride[]; readonly rules?: readonly KyvernoRule[] };
}

function kyvernoFilterCovers(f: KyvernoFilter, ns: string, labels: Readonly<Record<string, string>>): boolean {
  const r = f.resources ?? {};
  if (r.kinds && r.kinds.length > 0 && !r.kinds.some((k) => POD_KINDS.has((k.split('/').pop() ?? '').toLowerCase()))) return false;
  if (r.namespaces && r.namespaces.length > 0 && !r.namespaces.some((p) => wildcard(p, ns))) return false;
  return selectorSelects(r.namespaceSelector, labels);
}

function kyvernoFilters(m: KyvernoMatch): readonly KyvernoFilter[] {
  return m.any ?? m.all ?? (m.resources ? [m] : []);
}

function kyvernoMatches(m: KyvernoMatch | undefined, ns: string, labels: Readonly<Record<string, string>>): boolean {
  if (!m) return false;
  const filters = kyvernoFilters(m);
  if (filters.length === 0) return false;
  return m.all && !m.any ? filters.every((f) => kyvernoFilterCovers(f, ns, labels)) : filters.some((f) => kyvernoFilterCovers(f, ns, labels));
}

/** An exclude block that names the namespace for all pods (no narrower selection) exempts it. */
function kyvernoExcludes(m: KyvernoMatch | undefined, ns: string, labels: Readonly<Record<string, string>>): boolean {
  if (!m) return false;
  return kyvernoFilters(m).some((f) => {
    const r = f.resources ?? {};
    const narrower = Object.keys(r.selector?.matchLabels ?? {}).length > 0 || (r.selector?.matchExpressions ?? []).length > 0 ||
      (r.names ?? []).length > 0 || (f.subjects ?? []).length > 0 || (f.roles ?? []).length > 0 || (f.clusterRoles ?? []).length > 0;
    const namesNamespace = (r.namespaces ?? []).length > 0 || r.namespaceSelector !== undefined;
    return !narrower && namesNamespace && kyvernoFilterCovers(f, ns, labels);
  });
}

const PSS_CATEGORY = /pod security/i;

/** The first override naming the namespace (by name wildcard or a non-empty selector). */
function overrideAction(overrides: readonly FailureActionOverride[] | undefined, ns: string, labels: Readonly<Record<string, string>>): string | undefined {
  for (const o of overrides ?? []) {
    const bySelector = o.namespaceSelector !== undefined && (Object.keys(o.namespaceSelector.matchLabels ?? {}).length > 0 || (o.namespaceSelector.matchExpressions ?? []).length > 0) && selectorSelects(o.namespaceSelector, labels);
    if ((o.namespaces ?? []).some((p) => wildcard(p, ns)) || bySelector) return o.action;
  }
  return undefined;
}

/** Kyverno's action for a rule in a namespace: rule failureAction(Overrides), then the policy's; default Audit. */
function kyvernoAction(policy: KyvernoPolicy, rule: KyvernoRule, ns: string, labels: Readonly<Record<string, string>>): string {
  return overrideAction(rule.validate?.failureActionOverrides, ns, labels) ?? rule.validate?.failureAction ??
    overrideAction(policy.spec?.validationFailureActionOverrides, ns, labels) ?? policy.spec?.validationFailureAction ?? 'Audit';
}

/** Kyverno rules that validate pod security: `validate.podSecurity`, or any validate rule of a policy in the "Pod Security Standards" category. */
function kyvernoCoverage(snapshot: Snapshot): ((ns: string, labels: Readonly<Record<string, string>>) => EngineCoverage[]) {
  const entries: { kind: string; resource: string; policy: KyvernoPolicy; rule: KyvernoRule }[] = [];
  for (const [kind, resource, name] of [['ClusterPolicy', 'clusterpolicies.kyverno.io', 'kyverno-clusterpolicies'], ['Policy', 'policies.kyverno.io', 'kyverno-policies']] as const) {
    for (const policy of snapshot.list<KyvernoPolicy>(name)) {
      const category = policy.metadata?.annotations?.['policies.kyverno.io/category'] ?? '';
      for (const rule of policy.spec?.rules ?? []) {
        const v = rule.validate;
        if (!v) continue;
        const podSecurity = v.podSecurity !== undefined;
        const categorised = PSS_CATEGORY.test(category) && (v.pattern !== undefined || v.anyPattern !== undefined || v.deny !== undefined || v.cel !== undefined);
        if (!podSecurity && !categorised) continue;
        entries.push({ kind, resource, policy, rule });
      }
    }
  }
  return (ns, labels) => entries
    .filter(({ kind, policy, rule }) => (kind === 'ClusterPolicy' || policy.metadata?.namespace === ns) && kyvernoMatches(rule.match, ns, labels) &&
      !kyvernoExcludes(rule.exclude, ns, labels) && kyvernoAction(policy, rule, ns, labels).toLowerCase() === 'enforce')
    .map(({ kind, resource, policy, rule }) => {
      const id = `${kind === 'Policy' ? `${policy.metadata?.namespace ?? ''}/` : ''}${policy.metadata?.name ?? ''}`;
      const level = rule.validate?.podSecurity?.level;
      return {
        product: 'Kyverno',
        source: `${kind} "${id}" rule "${rule.name ?? ''}"${level ? ` (podSecurity level ${level})` : ''} in Enforce mode`,
        path: `${resource}[${id}].spec.rules[name=${rule.name ?? ''}].validate`,
      };
    });
}

/* ---------- Gatekeeper ---------- */

interface Webhook { readonly name?: string; readonly rules?: readonly AdmissionRule[]; readonly namespaceSelector?: LabelSelector }
interface WebhookConfiguration extends K8sObject { readonly webhooks?: readonly Webhook[] }

const GATEKEEPER_WEBHOOK = 'gatekeeper-validating-webhook-configuration';

function gatekeeperCoverage(snapshot: Snapshot): ((ns: string, labels: Readonly<Record<string, string>>) => EngineCoverage[]) {
  const config = snapshot.list<WebhookConfiguration>('validatingwebhookconfigurations').find((c) => c.metadata?.name === GATEKEEPER_WEBHOOK);
  const hooks = (config?.webhooks ?? []).filter((h) => rulesCoverPods(h.rules));
  return (_ns, labels) => hooks
    .filter((h) => selectorSelects(h.namespaceSelector, labels))
    .map((h) => ({
      product: 'Gatekeeper',
      source: `ValidatingWebhookConfiguration "${GATEKEEPER_WEBHOOK}" webhook "${h.name ?? ''}"`,
      path: `validatingwebhookconfigurations[name=${GATEKEEPER_WEBHOOK}].webhooks[name=${h.name ?? ''}]`,
      note: 'constraints not evaluated (constraints.gatekeeper.sh is not collected)',
    }));
}

/* ---------- ValidatingAdmissionPolicy ---------- */

interface MatchResources {
  readonly namespaceSelector?: LabelSelector;
  readonly resourceRules?: readonly AdmissionRule[];
  readonly excludeResourceRules?: readonly AdmissionRule[];
}
interface VapPolicy extends K8sObject { readonly spec?: { readonly matchConstraints?: MatchResources } }
interface VapBinding extends K8sObject {
  readonly spec?: { readonly policyName?: string; readonly validationActions?: readonly string[]; readonly matchResources?: MatchResources };
}

function vapCoverage(snapshot: Snapshot): ((ns: string, labels: Readonly<Record<string, string>>) => EngineCoverage[]) {
  const policies = new Map(snapshot.list<VapPolicy>('validatingadmissionpolicies').map((p) => [p.metadata?.name ?? '', p]));
  const pairs = snapshot.list<VapBinding>('validatingadmissionpolicybindings').flatMap((b) => {
    const policy = policies.get(b.spec?.policyName ?? '');
    if (!policy || !(b.spec?.validationActions ?? []).includes('Deny')) return [];
    if (!rulesCoverPods(policy.spec?.matchConstraints?.resourceRules)) return [];
    const bindingRules = b.spec?.matchResources?.resourceRules;
    if (bindingRules && bindingRules.length > 0 && !rulesCoverPods(bindingRules)) return [];
    return [{ b, policy }];
  });
  return (_ns, labels) => pairs
    .filter(({ b, policy }) => selectorSelects(policy.spec?.matchConstraints?.namespaceSelector, labels) && selectorSelects(b.spec?.matchResources?.namespaceSelector, labels))
    .map(({ b, policy }) => ({
      product: 'ValidatingAdmissionPolicy',
      source: `ValidatingAdmissionPolicyBinding "${b.metadata?.name ?? ''}" (policy "${policy.metadata?.name ?? ''}", validationActions Deny)`,
      path: `validatingadmissionpolicybindings[name=${b.metadata?.name ?? ''}].spec`,
      note: 'its CEL validations were not compared with PSS',
    }));
}

/* ---------- Kubewarden ---------- */

interface KubewardenPolicy extends K8sObject {
  readonly spec?: { readonly module?: string; readonly mode?: string; readonly rules?: readonly AdmissionRule[]; readonly namespaceSelector?: LabelSelector };
}

/** Kubewarden's PSP/PSS replacement policies (`pod-privileged`, `*-psp`, `pod-security…`). */
const KUBEWARDEN_PSS_MODULE = /(pod-privileged|pod-security|-psp)(:|@|$)/;

function kubewardenCoverage(snapshot: Snapshot): ((ns: string, labels: Readonly<Record<string, string>>) => EngineCoverage[]) {
  const entries: { kind: string; policy: KubewardenPolicy }[] = [];
  for (const [kind, name] of [['ClusterAdmissionPolicy', 'kubewarden-clusteradmissionpolicies'], ['AdmissionPolicy', 'kubewarden-admissionpolicies']] as const) {
    for (const policy of snapshot.list<KubewardenPolicy>(name)) {
      const spec = policy.spec ?? {};
      if ((spec.mode ?? 'protect') !== 'protect') continue;
      if (!KUBEWARDEN_PSS_MODULE.test(spec.module ?? '') || !rulesCoverPods(spec.rules)) continue;
      entries.push({ kind, policy });
    }
  }
  return (ns, labels) => entries
    .filter(({ kind, policy }) => kind === 'ClusterAdmissionPolicy' ? selectorSelects(policy.spec?.namespaceSelector, labels) : policy.metadata?.namespace === ns)
    .map(({ kind, policy }) => {
      const id = `${kind === 'AdmissionPolicy' ? `${policy.metadata?.namespace ?? ''}/` : ''}${policy.metadata?.name ?? ''}`;
      return {
        product: 'Kubewarden',
        source: `${kind} "${id}" (${policy.spec?.module ?? ''}, mode protect)`,
        path: `${kind === 'AdmissionPolicy' ? 'admissionpolicies' : 'clusteradmissionpolicies'}.policies.kubewarden.io[${id}].spec`,
      };
    });
}

const OPTIONAL: readonly ResourceName[] = [
  'kyverno-clusterpolicies', 'kyverno-policies', 'validatingwebhookconfigurations', 'validatingadmissionpolicies',
  'validatingadmissionpolicybindings', 'kubewarden-clusteradmissionpolicies', 'kubewarden-admissionpolicies',
];

/** The data this module reads (all optional). */
export const POD_SECURITY_ENGINE_NEEDS: readonly ResourceName[] = OPTIONAL;

export function podSecurityEngines(snapshot: Snapshot): PodSecurityEngines {
  const finders = [kyvernoCoverage(snapshot), gatekeeperCoverage(snapshot), vapCoverage(snapshot), kubewardenCoverage(snapshot)];
  const unreadable = OPTIONAL.flatMap((name) => {
    if (snapshot.has(name)) return [];
    const error = snapshot.error(name);
    return error?.code === 'not-served' ? [] : [`${name}: ${error?.message ?? 'not collected'}`];
  });
  return { covering: (ns, labels) => finders.flatMap((f) => f(ns, labels)), unreadable };
}
