import { findings, WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import { parseImageReference } from '../../src/engine/images.js';
import type { Container, K8sObject, LabelSelector, Namespace, Node, Pod } from '../../src/engine/k8s.js';
import { resourceInfo, type ResourceName } from '../../src/engine/resources.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import { isStaticPod, type DataError, type Snapshot } from '../../src/engine/snapshot.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

interface WebhookRule {
  readonly apiGroups?: readonly string[];
  readonly operations?: readonly string[];
  readonly resources?: readonly string[];
}

interface Webhook {
  readonly name?: string;
  readonly rules?: readonly WebhookRule[];
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
  readonly matchConditions?: readonly unknown[];
  readonly failurePolicy?: string;
  readonly clientConfig?: { readonly service?: { readonly path?: string } };
}

interface WebhookConfiguration extends K8sObject {
  readonly webhooks?: readonly Webhook[];
}

/** The repository part of an image reference, lower-cased (`ghcr.io/ratify-project/ratify`). */
function parseRepo(image: string): string {
  return parseImageReference(image).repository.toLowerCase();
}

/** How sure we are that a detected verifier verifies signatures on pod admission. */
type Confidence = 'enforcing' | 'unconfirmed';

interface Verifier {
  /** Product name, e.g. `sigstore policy-controller`. */
  readonly product: string;
  /** `ValidatingWebhookConfiguration "x" webhook "y"` or the API-server flag. */
  readonly source: string;
  /** Evidence path, e.g. `validatingwebhookconfigurations[name=x].webhooks[name=y]`. */
  readonly path: string;
  /** A read-only kubectl command that shows the verifier's policies, when there is one. */
  readonly inspect?: string;
  readonly confidence: Confidence;
  /** Why it is only unconfirmed, or a note on what is not visible. */
  readonly note: string;
  /** Which namespaces it applies to; `undefined` = unknown (selector needs labels we could not read). */
  readonly covers: (namespace: string) => boolean | undefined;
  /** Per-namespace limits (e.g. an exclude block) that make it unconfirmed there. */
  readonly limits?: (namespace: string) => readonly string[];
  /** Known to verify only in audit/warn mode (reported, not blocked). */
  readonly audit?: boolean;
  /** Read from a policy object (Kyverno), so "does not match this namespace" is worth saying. */
  readonly policy?: boolean;
}

export const SIGSTORE_LABEL = 'policy.sigstore.dev/include';

/** Appendix C.4: a webhook that verifies image signatures, by product; `generic` = a policy engine that may do it. */
interface Recognised {
  readonly product: string;
  readonly dedicated: boolean;
  readonly note: string;
  /** Resource (plural.group) holding its policies, for `kubectl get … -o yaml`. */
  readonly policies?: string;
}

function recognise(config: string, hook: Webhook, ratifyRunning: boolean): Recognised | undefined {
  const name = (hook.name ?? '').toLowerCase();
  const cfg = config.toLowerCase();
  const path = hook.clientConfig?.service?.path ?? '';
  if (name === 'policy.sigstore.dev' || name.endsWith('.policy.sigstore.dev')) {
    return { product: 'sigstore policy-controller', dedicated: true, note: '', policies: 'clusterimagepolicies.policy.sigstore.dev' };
  }
  if (cfg.includes('connaisseur') || name.includes('connaisseur')) {
    return { product: 'Connaisseur', dedicated: true, note: 'its detection (audit) mode is set in its configuration and not visible' };
  }
  if (cfg.includes('portieris') || cfg === 'image-admission-config' || name.includes('securityenforcement.admission.cloud.ibm.com')) {
    return { product: 'IBM Portieris', dedicated: true, note: 'ImagePolicy objects are not read', policies: 'clusterimagepolicies.portieris.cloud.ibm.com,imagepolicies.portieris.cloud.ibm.com' };
  }
  if (cfg.startsWith('kyverno') && (name.startsWith('ivpol.') || path.startsWith('/ivpol/'))) {
    return { product: 'Kyverno ImageValidatingPolicy', dedicated: true, note: 'whether an ImageValidatingPolicy has validationActions Deny cannot be read', policies: 'imagevalidatingpolicies.policies.kyverno.io' };
  }
  if (cfg === 'kyverno-resource-validating-webhook-cfg' || cfg === 'kyverno-resource-mutating-webhook-cfg') {
    return { product: 'Kyverno', dedicated: false, note: 'Kyverno intercepts pods here, but whether a ClusterPolicy/Policy has verifyImages rules in Enforce mode cannot be read', policies: 'clusterpolicies.kyverno.io,policies.kyverno.io' };
  }
  if (ratifyRunning && (cfg === 'gatekeeper-validating-webhook-configuration' || name === 'validation.gatekeeper.sh')) {
    return { product: 'Ratify with Gatekeeper', dedicated: false, note: 'Ratify runs and Gatekeeper intercepts pods, but a RatifyVerification constraint cannot be read (constraints.gatekeeper.sh is not collected)', policies: 'constraints' };
  }
  return undefined;
}

/** Does an admission rule cover CREATE of core/v1 pods? */
function interceptsPodCreate(hook: Webhook): boolean {
  return (hook.rules ?? []).some((r) =>
    (r.apiGroups ?? []).some((g) => g === '' || g === '*') &&
    (r.resources ?? []).some((res) => res === 'pods' || res === '*' || res === '*/*') &&
    (r.operations ?? []).some((op) => op === 'CREATE' || op === '*'));
}

/**
 * Label-selector semantics (matchLabels AND matchExpressions). `complete` = the labels are the
 * object's real labels; otherwise a selector on a key we do not know yields `undefined`.
 */
export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>, complete: boolean): boolean | undefined {
  if (!selector) return true;
  let unknown = false;
  const known = (key: string): boolean => complete || key in labels;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!known(key)) unknown = true;
    else if (labels[key] !== value) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    if (!known(e.key)) {
      unknown = true;
      continue;
    }
    const has = e.key in labels;
    const value = labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(value ?? '')) return false; break;
      case 'NotIn': if (has && values.includes(value ?? '')) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // an invalid operator selects nothing
    }
  }
  return unknown ? undefined : true;
}

/** §1.5 flag parsing: `--name=value`, `--name value`, bare `--name` = true; the last occurrence wins. */
export function parseFlags(tokens: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    if (eq >= 0) flags.set(token.slice(2, eq), token.slice(eq + 1));
    else {
      const next = tokens[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags.set(token.slice(2), next);
        i++;
      } else flags.set(token.slice(2), 'true');
    }
  }
  return flags;
}

/** kube-apiserver static pods (D-CP) and whether each enables ImagePolicyWebhook. */
function apiServers(snapshot: Snapshot): { name: string; enabled: boolean }[] {
  return snapshot.list<Pod>('pods')
    .filter((p) => p.metadata?.namespace === 'kube-system' && p.metadata.labels?.['component'] === 'kube-apiserver' && isStaticPod(p))
    .map((p) => {
      const containers: readonly Container[] = p.spec?.containers ?? [];
      const c = containers.find((x) => x.name === 'kube-apiserver') ?? containers[0];
      const flags = parseFlags([...(c?.command ?? []).slice(1), ...(c?.args ?? [])]);
      const list = (name: string) => (flags.get(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const enabled = [...list('enable-admission-plugins'), ...list('admission-control')].includes('ImagePolicyWebhook') &&
        !list('disable-admission-plugins').includes('ImagePolicyWebhook');
      return { name: p.metadata?.name ?? '', enabled };
    });
}

/** GKE / AKS, whose signature enforcement (Binary Authorization, Image Integrity) is a cluster setting outside the API. */
function hostedProvider(snapshot: Snapshot): 'gke' | 'aks' | undefined {
  const git = snapshot.version?.gitVersion ?? '';
  if (git.includes('-gke.')) return 'gke';
  for (const node of snapshot.list<Node>('nodes')) {
    const id = node.spec?.providerID ?? '';
    const labels = node.metadata?.labels ?? {};
    if (id.startsWith('gce://') && labels['cloud.google.com/gke-nodepool'] !== undefined) return 'gke';
    if (id.startsWith('azure://') || labels['kubernetes.azure.com/cluster'] !== undefined) return 'aks';
  }
  return undefined;
}

const PROVIDER_HINT = {
  gke: 'GKE Binary Authorization is a cluster setting not visible through the Kubernetes API: check `gcloud container clusters describe <cluster> --location <location> --format=\'value(binaryAuthorization)\'`',
  aks: 'AKS Image Integrity is a cluster/Azure Policy setting not visible through the Kubernetes API: check `az aks show -g <rg> -n <cluster> --query securityProfile`',
} as const;

/* ---------- Policy objects (Appendix C.4): Kyverno, Kyverno ImageValidatingPolicy, sigstore ClusterImagePolicy ---------- */

/** Kinds whose admission puts a pod in the namespace (Kyverno auto-generates pod-controller rules). */
const POD_KINDS = new Set(['pod', 'deployment', 'replicaset', 'statefulset', 'daemonset', 'job', 'cronjob', 'replicationcontroller', '*']);
/** Resources (plural) of the same, for ValidatingAdmissionPolicy-style resourceRules. */
const POD_RESOURCES = new Set(['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers', '*', '*/*']);

interface KyvernoResourceFilter {
  readonly kinds?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: LabelSelector;
  readonly selector?: LabelSelector;
  readonly names?: readonly string[];
  readonly name?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly operations?: readonly string[];
}

interface KyvernoFilter {
  readonly resources?: KyvernoResourceFilter;
  readonly subjects?: readonly unknown[];
  readonly roles?: readonly string[];
  readonly clusterRoles?: readonly string[];
}

interface KyvernoMatch extends KyvernoFilter {
  readonly any?: readonly KyvernoFilter[];
  readonly all?: readonly KyvernoFilter[];
}

interface FailureActionOverride {
  readonly action?: string;
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: LabelSelector;
}

interface KyvernoRule {
  readonly name?: string;
  readonly match?: KyvernoMatch;
  readonly exclude?: KyvernoMatch;
  readonly validate?: { readonly failureAction?: string; readonly failureActionOverrides?: readonly FailureActionOverride[] };
  readonly verifyImages?: readonly { readonly imageReferences?: readonly string[]; readonly failureAction?: string; readonly required?: boolean }[];
}

interface Conditions {
  readonly conditions?: readonly { readonly type?: string; readonly status?: string }[];
}

export interface KyvernoPolicy extends K8sObject {
  readonly spec?: {
    readonly validationFailureAction?: string;
    readonly validationFailureActionOverrides?: readonly FailureActionOverride[];
    readonly failurePolicy?: string;
    readonly rules?: readonly KyvernoRule[];
  };
  readonly status?: Conditions;
}

interface ResourceRule {
  readonly apiGroups?: readonly string[];
  readonly operations?: readonly string[];
  readonly resources?: readonly string[];
}

export interface ImageValidatingPolicy extends K8sObject {
  readonly spec?: {
    readonly validationActions?: readonly string[];
    readonly failurePolicy?: string;
    readonly matchConstraints?: {
      readonly resourceRules?: readonly ResourceRule[];
      readonly excludeResourceRules?: readonly ResourceRule[];
      readonly namespaceSelector?: LabelSelector;
      readonly objectSelector?: LabelSelector;
    };
    readonly matchConditions?: readonly unknown[];
    readonly evaluation?: { readonly mode?: string; readonly admission?: { readonly enabled?: boolean } };
  };
  readonly status?: Conditions;
}

export interface ClusterImagePolicy extends K8sObject {
  readonly spec?: { readonly mode?: string; readonly images?: readonly { readonly glob?: string }[] };
}

/** Kyverno's `*` / `?` wildcards in namespace names. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/** A selector that selects something narrower than "all": non-empty. */
function narrows(selector: LabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length > 0 || (selector?.matchExpressions ?? []).length > 0;
}

/** Coverage of one namespace: `covers` undefined = labels unknown; `limits` make it unconfirmed. */
interface Coverage {
  readonly covers: boolean | undefined;
  readonly limits: readonly string[];
}

const NO: Coverage = { covers: false, limits: [] };

type Labels = (namespace: string) => Readonly<Record<string, string>>;

/** One Kyverno match/exclude filter against pods created in `ns`. */
function kyvernoFilterCovers(f: KyvernoFilter, ns: string, labels: Labels, complete: boolean): Coverage {
  const r = f.resources ?? {};
  const limits: string[] = [];
  if (r.kinds && r.kinds.length > 0 && !r.kinds.some((k) => k.split('/').some((part) => POD_KINDS.has(part.toLowerCase())))) return NO;
  if (r.operations && r.operations.length > 0 && !r.operations.some((op) => op === 'CREATE' || op === '*')) return NO;
  if (r.namespaces && r.namespaces.length > 0 && !r.namespaces.some((p) => wildcardMatch(p, ns))) return NO;
  const bySelector = selectorMatches(r.namespaceSelector, labels(ns), complete);
  if (bySelector === false) return NO;
  if (narrows(r.selector) || (r.names ?? []).length > 0 || (r.name ?? '') !== '' || Object.keys(r.annotations ?? {}).length > 0) limits.push('limited to some pods by name, labels or annotations');
  if ((f.subjects ?? []).length > 0 || (f.roles ?? []).length > 0 || (f.clusterRoles ?? []).length > 0) limits.push('limited to some users');
  return { covers: bySelector, limits };
}

/** `match`/`exclude` semantics: any = union, all = intersection, legacy top-level resources = one filter. */
function kyvernoMatchCovers(m: KyvernoMatch | undefined, ns: string, labels: Labels, complete: boolean): Coverage {
  if (!m) return NO;
  const filters = m.any ?? m.all ?? (m.resources || m.subjects || m.roles || m.clusterRoles ? [m] : []);
  if (filters.length === 0) return NO;
  const results = filters.map((f) => kyvernoFilterCovers(f, ns, labels, complete));
  if (m.all && !m.any) {
    if (results.some((r) => r.covers === false)) return NO;
    return { covers: results.some((r) => r.covers === undefined) ? undefined : true, limits: [...new Set(results.flatMap((r) => r.limits))] };
  }
  const clean = results.find((r) => r.covers === true && r.limits.length === 0);
  if (clean) return clean;
  const limited = results.find((r) => r.covers === true);
  if (limited) return limited;
  return results.some((r) => r.covers === undefined) ? { covers: undefined, limits: [...new Set(results.flatMap((r) => r.limits))] } : NO;
}

/** Is the rule's exclude block exempting the namespace (false) or only some pods in it (limits)? */
function kyvernoExclude(rule: KyvernoRule, ns: string, labels: Labels, complete: boolean): Coverage {
  if (!rule.exclude) return { covers: true, limits: [] };
  const ex = kyvernoMatchCovers(rule.exclude, ns, labels, complete);
  if (ex.covers === false) return { covers: true, limits: [] };
  const filters = rule.exclude.any ?? rule.exclude.all ?? [rule.exclude];
  const wholeNamespace = ex.covers === true && ex.limits.length === 0 &&
    filters.every((f) => !f.resources?.kinds || f.resources.kinds.some((k) => ['pod', '*'].includes((k.split('/').pop() ?? '').toLowerCase())));
  if (wholeNamespace) return NO;
  return { covers: true, limits: [ex.covers === undefined ? 'an exclude block may exempt this namespace (labels unknown)' : 'an exclude block exempts some pods'] };
}

function isEnforce(action: string | undefined): boolean {
  return (action ?? '').toLowerCase() === 'enforce';
}

function overrideFor(overrides: readonly FailureActionOverride[] | undefined, ns: string, labels: Labels, complete: boolean): string | undefined {
  for (const o of overrides ?? []) {
    const byName = (o.namespaces ?? []).some((p) => wildcardMatch(p, ns));
    const bySelector = narrows(o.namespaceSelector) && selectorMatches(o.namespaceSelector, labels(ns), complete) === true;
    if (byName || bySelector) return o.action;
  }
  return undefined;
}

/**
 * Enforce or Audit for `ns`: a verifyImages entry's failureAction (Kyverno ≥ 1.13) wins, then the
 * rule's validate.failureAction(Overrides), then spec.validationFailureActionOverrides and
 * spec.validationFailureAction; Kyverno's default is Audit.
 */
function kyvernoEnforces(policy: KyvernoPolicy, rule: KyvernoRule, ns: string, labels: Labels, complete: boolean): boolean {
  const ruleLevel = overrideFor(rule.validate?.failureActionOverrides, ns, labels, complete) ?? rule.validate?.failureAction;
  const policyLevel = overrideFor(policy.spec?.validationFailureActionOverrides, ns, labels, complete) ?? policy.spec?.validationFailureAction;
  return (rule.verifyImages ?? []).some((v) => isEnforce(v.failureAction ?? ruleLevel ?? policyLevel));
}

function notReady(status: Conditions | undefined): boolean {
  return (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'False');
}

const IVP_VERSION = `imagevalidatingpolicies.${resourceInfo('imagevalidatingpolicies').group}/${resourceInfo('imagevalidatingpolicies').version}`;

const AUDIT_NOTE = 'Audit mode: failures are reported, not blocked (set failureAction: Enforce)';

/** What the collector said about an optional list: readable, absent (not served) or unreadable (with why). */
type ListState = { readonly state: 'read' } | { readonly state: 'absent' } | { readonly state: 'unreadable'; readonly why: string };

function listState(snapshot: Snapshot, name: ResourceName): ListState {
  if (snapshot.has(name)) return { state: 'read' };
  const error: DataError | undefined = snapshot.error(name);
  if (error?.code === 'not-served') return { state: 'absent' };
  return { state: 'unreadable', why: error?.message ?? 'not collected' };
}

/** Verifiers from Kyverno ClusterPolicy/Policy verifyImages rules. */
function kyvernoVerifiers(snapshot: Snapshot, labels: Labels, complete: boolean, webhookLimit: (ns: string) => boolean | undefined, noWebhook: string | undefined): Verifier[] {
  const out: Verifier[] = [];
  const lists: [string, string, ResourceName][] = [['ClusterPolicy', 'clusterpolicies.kyverno.io', 'kyverno-clusterpolicies'], ['Policy', 'policies.kyverno.io', 'kyverno-policies']];
  for (const [kind, resource, name] of lists) {
    for (const policy of snapshot.list<KyvernoPolicy>(name)) {
      const policyName = policy.metadata?.name ?? '';
      const policyNs = kind === 'Policy' ? policy.metadata?.namespace ?? '' : undefined;
      const common: string[] = [];
      if (policy.spec?.failurePolicy === 'Ignore') common.push('failurePolicy: Ignore (admits pods when Kyverno is down)');
      if (notReady(policy.status)) common.push('the policy is not Ready');
      if (noWebhook) common.push(noWebhook);
      for (const rule of policy.spec?.rules ?? []) {
        if ((rule.verifyImages ?? []).length === 0) continue;
        const ruleName = rule.name ?? '';
        const refs = (rule.verifyImages ?? []).flatMap((v) => v.imageReferences ?? []);
        const notRequired = (rule.verifyImages ?? []).some((v) => v.required === false);
        const coverage = (ns: string): Coverage => {
          if (policyNs !== undefined && policyNs !== ns) return NO;
          const m = kyvernoMatchCovers(rule.match, ns, labels, complete);
          if (m.covers === false) return NO;
          const ex = kyvernoExclude(rule, ns, labels, complete);
          if (ex.covers === false) return NO;
          const hook = webhookLimit(ns);
          if (hook === false) return NO;
          return { covers: m.covers === undefined || hook === undefined ? undefined : true, limits: [...m.limits, ...ex.limits] };
        };
        const enforces = (ns: string) => kyvernoEnforces(policy, rule, ns, labels, complete);
        out.push({
          product: 'Kyverno verifyImages',
          source: `${kind} "${policyNs !== undefined ? `${policyNs}/` : ''}${policyName}" rule "${ruleName}"${refs.length > 0 ? ` for ${refs.slice(0, 3).join(', ')}${refs.length > 3 ? ', …' : ''}` : ''}`,
          path: `${resource}[${policyNs !== undefined ? `${policyNs}/` : ''}${policyName}].spec.rules[name=${ruleName}].verifyImages`,
          inspect: policyNs !== undefined ? command`kubectl -n ${policyNs} get policies.kyverno.io ${policyName} -o yaml` : command`kubectl get clusterpolicies.kyverno.io ${policyName} -o yaml`,
          confidence: common.length === 0 && !notRequired ? 'enforcing' : 'unconfirmed',
          note: [...common, ...(notRequired ? ['required: false (unsigned images are admitted)'] : [])].join('; '),
          covers: (ns) => coverage(ns).covers,
          limits: (ns) => [...coverage(ns).limits, ...(enforces(ns) ? [] : [AUDIT_NOTE])],
          policy: true,
        });
      }
    }
  }
  return out;
}

/** Verifiers from Kyverno ImageValidatingPolicies (policies.kyverno.io). */
function imageValidatingVerifiers(snapshot: Snapshot, labels: Labels, complete: boolean, noWebhook: string | undefined): Verifier[] {
  const out: Verifier[] = [];
  for (const policy of snapshot.list<ImageValidatingPolicy>('imagevalidatingpolicies')) {
    const spec = policy.spec ?? {};
    const name = policy.metadata?.name ?? '';
    if (spec.evaluation?.mode === 'JSON' || spec.evaluation?.admission?.enabled === false) continue;
    const rules = spec.matchConstraints?.resourceRules ?? [];
    const podRule = rules.some((r) =>
      (r.resources ?? []).some((res) => POD_RESOURCES.has(res)) &&
      (r.operations === undefined || r.operations.length === 0 || r.operations.some((op) => op === 'CREATE' || op === '*')));
    if (!podRule) continue;
    const deny = (spec.validationActions ?? []).includes('Deny');
    const notes: string[] = [];
    if (!deny) notes.push(`validationActions ${JSON.stringify(spec.validationActions ?? [])} without Deny: failures are reported, not blocked`);
    if (spec.failurePolicy === 'Ignore') notes.push('failurePolicy: Ignore (admits pods when Kyverno is down)');
    if (narrows(spec.matchConstraints?.objectSelector)) notes.push('an objectSelector limits it to some pods');
    if ((spec.matchConditions ?? []).length > 0) notes.push('matchConditions limit it to some pods');
    if ((spec.matchConstraints?.excludeResourceRules ?? []).length > 0) notes.push('excludeResourceRules exempt some resources');
    if (notReady(policy.status)) notes.push('the policy is not Ready');
    if (noWebhook) notes.push(noWebhook);
    out.push({
      product: 'Kyverno ImageValidatingPolicy',
      source: `ImageValidatingPolicy "${name}"`,
      path: `imagevalidatingpolicies.policies.kyverno.io[name=${name}].spec`,
      inspect: command`kubectl get imagevalidatingpolicies.policies.kyverno.io ${name} -o yaml`,
      confidence: notes.length === 0 ? 'enforcing' : 'unconfirmed',
      note: notes.join('; '),
      covers: (ns) => selectorMatches(spec.matchConstraints?.namespaceSelector, labels(ns), complete),
      audit: !deny,
      policy: true,
    });
  }
  return out;
}

/** A starting point: a Kyverno verifyImages ClusterPolicy for one namespace (placeholders in <>). */
export function kyvernoPolicy(namespace: string): string {
  return [
    'apiVersion: kyverno.io/v1',
    'kind: ClusterPolicy',
    'metadata:',
    '  name: verify-image-signatures',
    'spec:',
    '  webhookTimeoutSeconds: 30',
    '  rules:',
    '  - name: verify-signature',
    '    match:',
    '      any:',
    '      - resources:',
    '          kinds: ["Pod"]',
    `          namespaces: [${JSON.stringify(namespace)}]`,
    '    verifyImages:',
    '    - imageReferences: ["<registry>/*"]',
    '      failureAction: Enforce   # Kyverno >= 1.13; older: spec.validationFailureAction: Enforce',
    '      attestors:',
    '      - entries:',
    '        - keys:',
    '            publicKeys: |-',
    '              <contents of cosign.pub>',
    '',
  ].join('\n');
}

export const check: Check = {
  id: 'container/image-signature-enforcement-absent',
  layer: 'container',
  title: 'No image-signature verification at admission',
  severity: 'medium',
  description:
    'For every namespace that runs workloads, looks for an admission verifier of image signatures (Appendix C.4) that applies to the namespace: ' +
    'Kyverno ClusterPolicy/Policy rules with verifyImages in Enforce mode (verifyImages[].failureAction, validate.failureAction or spec.validationFailureAction, ' +
    'with overrides) whose match/exclude (kinds Pod or pod controllers, namespaces, namespaceSelector) covers the namespace; Kyverno ImageValidatingPolicies ' +
    'whose validationActions contain Deny; sigstore policy-controller (webhooks *.policy.sigstore.dev selecting the namespace, i.e. opt-in label ' +
    'policy.sigstore.dev/include=true, and at least one ClusterImagePolicy); Connaisseur, IBM Portieris, Ratify with Gatekeeper; or ImagePolicyWebhook in the ' +
    'kube-apiserver static pod\'s --enable-admission-plugins. Fails when none applies; warns when the verifier only audits (Audit, warn mode, no Deny), fails open ' +
    '(failurePolicy: Ignore), is limited by objectSelector/matchConditions/exclude, or when its policies cannot be read (e.g. 403 on clusterpolicies.kyverno.io). ' +
    'On GKE/AKS, where enforcement is a cluster setting, it is unable instead of failing.',
  remediation: 'Sign images in CI and deploy an admission verifier that enforces signatures in every application namespace.',
  references: [
    ref.fourC('Image Signing and Enforcement'), ref.cis('5.5.1'), ref.kubescape('C-0236'), ref.kubescape('C-0237'), ref.kubescape('C-0289'),
    ref.nsa('Pod security (Building secure container images)'),
    ref.doc('sigstore policy-controller', 'https://docs.sigstore.dev/policy-controller/overview/'),
    ref.doc('Kyverno: verify images', 'https://kyverno.io/docs/writing-policies/verify-images/'),
  ],
  needs: ['pods', 'validatingwebhookconfigurations'],
  optionalNeeds: [
    'mutatingwebhookconfigurations', 'namespaces', 'nodes', 'version', ...WORKLOAD_OWNERS,
    'kyverno-clusterpolicies', 'kyverno-policies', 'imagevalidatingpolicies', 'sigstore-clusterimagepolicies',
  ],
  evaluate: (snapshot) => {
    const nsLabels = new Map<string, Readonly<Record<string, string>>>();
    for (const ns of snapshot.list<Namespace>('namespaces')) if (ns.metadata?.name) nsLabels.set(ns.metadata.name, ns.metadata.labels ?? {});
    const haveNamespaces = snapshot.has('namespaces');
    const labelsOf = (ns: string) => ({ ...(nsLabels.get(ns) ?? {}), 'kubernetes.io/metadata.name': ns });

    // Ratify has no webhook of its own: it is a Gatekeeper external-data provider.
    const ratifyRunning = snapshot.list<Pod>('pods').some((p) => (p.spec?.containers ?? []).some((c) => /(^|\/)ratify$/.test(parseRepo(c.image ?? ''))));
    const verifiers: Verifier[] = [];
    const configs: [string, string, readonly WebhookConfiguration[]][] = [
      ['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', snapshot.list<WebhookConfiguration>('validatingwebhookconfigurations')],
      ['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', snapshot.list<WebhookConfiguration>('mutatingwebhookconfigurations')],
    ];
    // Policy objects: read → judged from the policies; not served → not there; otherwise (403, …) the
    // product's webhook stays as an unconfirmed verifier naming what could not be read.
    const kyverno = [listState(snapshot, 'kyverno-clusterpolicies'), listState(snapshot, 'kyverno-policies')];
    const kyvernoUnreadable = kyverno.flatMap((st) => (st.state === 'unreadable' ? [st.why] : []));
    const ivp = listState(snapshot, 'imagevalidatingpolicies');
    const cip = listState(snapshot, 'sigstore-clusterimagepolicies');
    const cips = snapshot.list<ClusterImagePolicy>('sigstore-clusterimagepolicies');
    const cipNames = cips.map((c) => c.metadata?.name ?? '');
    const cipEnforcing = cips.filter((c) => (c.spec?.mode ?? 'enforce').toLowerCase() !== 'warn');

    let sigstoreSelector = false;
    let sigstoreWebhook = false;
    const kyvernoHooks: Webhook[] = [];
    for (const [kind, plural, list] of configs) {
      for (const cfg of list) {
        const cfgName = cfg.metadata?.name ?? '';
        if (cfgName.startsWith('kyverno-resource-')) kyvernoHooks.push(...(cfg.webhooks ?? []));
        for (const hook of cfg.webhooks ?? []) {
          const known = recognise(cfgName, hook, ratifyRunning);
          if (!known || !interceptsPodCreate(hook)) continue;
          const selectorKeys = [...Object.keys(hook.namespaceSelector?.matchLabels ?? {}), ...(hook.namespaceSelector?.matchExpressions ?? []).map((e) => e.key)];
          const limits: string[] = [];
          let dedicated = known.dedicated;
          let audit = false;
          if (known.product === 'Kyverno') {
            if (kyvernoUnreadable.length === 0) continue; // the policies themselves are judged below
            limits.push(`${known.note} (${kyvernoUnreadable.join('; ')})`);
          } else if (known.product === 'Kyverno ImageValidatingPolicy') {
            if (ivp.state === 'read') continue; // the policies themselves are judged below
            // Kyverno registers ivpol.* webhooks only for ImageValidatingPolicies, so "not served" here means
            // version skew (Kyverno >= 1.15 serves v1beta1/v1; the table reads v1alpha1), not absence.
            dedicated = false;
            limits.push(`${known.note} (${ivp.state === 'unreadable' ? ivp.why : `${IVP_VERSION} is not served; this Kyverno may serve another version`})`);
          } else if (known.product === 'sigstore policy-controller') {
            if (selectorKeys.includes(SIGSTORE_LABEL)) sigstoreSelector = true;
            sigstoreWebhook = true;
            if (cip.state === 'unreadable') {
              dedicated = false;
              limits.push(`whether ClusterImagePolicies exist and enforce cannot be read (${cip.why})`);
            } else if (cips.length === 0) continue; // nothing to verify against: see the failure message
            else if (cipEnforcing.length === 0) {
              dedicated = false;
              audit = true;
              limits.push(`every ClusterImagePolicy (${cipNames.join(', ')}) is in warn mode: failures are reported, not blocked`);
            }
          } else if (known.note) limits.push(known.note);
          if (hook.failurePolicy === 'Ignore') limits.unshift('failurePolicy: Ignore (admits pods when the verifier is down)');
          if (narrows(hook.objectSelector)) limits.unshift('an objectSelector limits it to some pods');
          if ((hook.matchConditions ?? []).length > 0) limits.unshift('matchConditions limit it to some pods');
          const enforcing = dedicated && limits.length === 0;
          verifiers.push({
            product: known.product,
            source: `${kind} "${cfgName}" webhook "${hook.name ?? ''}"${known.product === 'sigstore policy-controller' && cipEnforcing.length > 0 ? ` with ClusterImagePolicy ${cipEnforcing.map((c) => `"${c.metadata?.name ?? ''}"`).join(', ')}` : ''}`,
            path: `${plural}[name=${cfgName}].webhooks[name=${hook.name ?? ''}]`,
            ...(known.policies ? { inspect: command`kubectl get ${known.policies} -A -o yaml` } : {}),
            confidence: enforcing ? 'enforcing' : 'unconfirmed',
            note: limits.join('; '),
            covers: (ns) => selectorMatches(hook.namespaceSelector, labelsOf(ns), haveNamespaces),
            audit,
          });
        }
      }
    }

    // ClusterImagePolicies without the webhook that applies them: policy-controller is not admitting pods.
    if (cips.length > 0 && !sigstoreWebhook) {
      sigstoreSelector = true;
      verifiers.push({
        product: 'sigstore policy-controller',
        source: `ClusterImagePolicy ${cipNames.map((n) => `"${n}"`).join(', ')}`,
        path: 'clusterimagepolicies.policy.sigstore.dev',
        inspect: 'kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations | grep -i sigstore',
        confidence: 'unconfirmed',
        note: 'no policy.sigstore.dev admission webhook intercepts pod creation (is policy-controller running?)',
        covers: (ns) => selectorMatches({ matchExpressions: [{ key: SIGSTORE_LABEL, operator: 'In', values: ['true'] }] }, labelsOf(ns), haveNamespaces),
      });
    }

    // Kyverno applies policies through its kyverno-resource-* webhooks, whose namespaceSelector (Kyverno's
    // config.webhooks) limits every policy.
    const kyvernoWebhook = kyvernoHooks.length > 0
      ? (ns: string) => {
        const r = kyvernoHooks.map((h) => selectorMatches(h.namespaceSelector, labelsOf(ns), haveNamespaces));
        return r.includes(true) ? true : r.includes(undefined) ? undefined : false;
      }
      : () => true;
    const noKyvernoWebhook = kyvernoHooks.length === 0 ? 'no kyverno-resource-* admission webhook is registered (is Kyverno running?)' : undefined;
    verifiers.push(...kyvernoVerifiers(snapshot, labelsOf, haveNamespaces, kyvernoWebhook, noKyvernoWebhook));
    verifiers.push(...imageValidatingVerifiers(snapshot, labelsOf, haveNamespaces, noKyvernoWebhook));

    const servers = apiServers(snapshot);
    if (servers.length > 0 && servers.some((s) => s.enabled)) {
      const all = servers.every((s) => s.enabled);
      verifiers.push({
        product: 'ImagePolicyWebhook',
        source: `kube-apiserver --enable-admission-plugins (${servers.filter((s) => s.enabled).map((s) => s.name).join(', ')})`,
        path: 'kube-system/kube-apiserver --enable-admission-plugins',
        confidence: all ? 'enforcing' : 'unconfirmed',
        note: (all ? '' : `not enabled on ${servers.filter((s) => !s.enabled).map((s) => s.name).join(', ')}; `) +
          'its backend and defaultAllow live in --admission-control-config-file, which is not visible',
        covers: () => true,
      });
    }

    // Namespaces that run workloads (static control-plane pods are inventory, §7 trap 4).
    const workloads = new Map<string, number>();
    for (const w of snapshot.workloads()) {
      if (w.isStatic || w.namespace === '') continue;
      workloads.set(w.namespace, (workloads.get(w.namespace) ?? 0) + 1);
    }

    const mutatingNote = snapshot.has('mutatingwebhookconfigurations') ? '' : ` (mutatingwebhookconfigurations could not be listed: ${snapshot.error('mutatingwebhookconfigurations')?.message ?? 'not collected'}; Connaisseur and Portieris use mutating webhooks)`;
    const provider = hostedProvider(snapshot);
    const out: FindingDraft[] = [];
    const uncovered: string[] = [];
    for (const ns of [...workloads.keys()].sort()) {
      const count = workloads.get(ns) ?? 0;
      const applying = verifiers.map((v) => {
        const covers = v.covers(ns);
        const extra = covers === false ? [] : v.limits?.(ns) ?? [];
        return { v, covers, extra, audit: v.audit === true || extra.includes(AUDIT_NOTE) };
      }).filter((x) => x.covers !== false);
      const enforcing = applying.find((x) => x.covers === true && x.v.confidence === 'enforcing' && x.extra.length === 0);
      if (enforcing) continue;
      const what = `Namespace "${ns}" runs ${count} ${count === 1 ? 'workload' : 'workloads'}`;
      const scope = snapshot.isSystemNamespace(ns) ? 'system' as const : 'workload' as const;
      const patch = kyvernoPolicy(ns);
      const labelCmd = sigstoreSelector ? command`kubectl label namespace ${ns} ${`${SIGSTORE_LABEL}=true`}` : undefined;
      const why = 'Without signature verification at admission, any image that can be pulled can run: a compromised registry, a typo-squatted name or a tampered tag goes unnoticed. The 4C guidance is to sign images and enforce signatures at admission.';
      const ev: Evidence[] = [{ path: `namespaces[name=${ns}].workloads`, value: String(count) }];
      if (nsLabels.get(ns)?.[SIGSTORE_LABEL] !== undefined) ev.push({ path: `namespaces[name=${ns}].metadata.labels["${SIGSTORE_LABEL}"]`, value: nsLabels.get(ns)?.[SIGSTORE_LABEL] ?? '' });

      if (applying.length > 0) {
        const detail = applying.map(({ v, covers, extra }) => {
          const notes = [...(covers === undefined ? ['namespace labels unknown'] : []), ...(v.note ? [v.note] : []), ...extra];
          return `${v.product} (${[v.source, ...notes].join('; ')})`;
        }).join(', ');
        const auditOnly = applying.every((x) => x.audit);
        for (const { v } of applying) ev.push({ path: v.path, value: v.product });
        const inspect = applying.find(({ v }) => v.inspect !== undefined)?.v.inspect;
        const label = labelCmd && nsLabels.get(ns)?.[SIGSTORE_LABEL] !== 'true' ? labelCmd : undefined;
        out.push({
          subject: { kind: 'Namespace', name: ns },
          status: 'warn',
          scope,
          message: auditOnly
            ? `${what}; image signatures are verified only in audit/warn mode, not enforced: ${detail}`
            : `${what}; image signatures may be verified but enforcement cannot be confirmed: ${detail}`,
          evidence: ev,
          remediation: {
            why,
            fix: 'Confirm that the verifier enforces (not audit/warn) for this namespace and fails closed (failurePolicy: Fail); for Kyverno, make sure a verifyImages rule with failureAction Enforce matches the namespace. Verify an image by hand with cosign verify <image>@<digest> --key <key>.',
            ...(label ?? inspect ? { command: label ?? inspect } : {}),
            patch,
          },
        });
        continue;
      }
      uncovered.push(ns);
      if (provider) continue;
      const hints: string[] = [];
      const labelled = nsLabels.get(ns)?.[SIGSTORE_LABEL] === 'true';
      const noPolicies = sigstoreWebhook && cips.length === 0 && cip.state !== 'unreadable';
      if (noPolicies) {
        hints.push(`sigstore policy-controller is installed, but ${cip.state === 'absent' ? 'clusterimagepolicies.policy.sigstore.dev is not served' : 'no ClusterImagePolicy exists'}, so no signature is verified`);
      } else if (sigstoreSelector) hints.push(`sigstore policy-controller is installed, but the namespace lacks the label ${SIGSTORE_LABEL}=true`);
      const elsewhere = [...new Set(verifiers.filter((v) => v.policy && v.covers(ns) === false).map((v) => v.source))];
      if (elsewhere.length > 0) hints.push(`${elsewhere.slice(0, 3).join(', ')}${elsewhere.length > 3 ? ', …' : ''} ${elsewhere.length === 1 ? 'does' : 'do'} not match this namespace`);
      out.push({
        subject: { kind: 'Namespace', name: ns },
        scope,
        message: `${what} and no image-signature verifier admits its pods${hints.length > 0 ? ` (${hints.join('; ')})` : ''}${mutatingNote}`,
        evidence: ev,
        remediation: {
          why,
          fix: noPolicies
            ? `Create a ClusterImagePolicy (mode: enforce) whose images globs cover this namespace's images and whose authorities hold your signing key or keyless identity${labelled ? '' : `, then opt the namespace in (label ${SIGSTORE_LABEL}=true)`}; or use the Kyverno policy below.`
            : sigstoreSelector
              ? `Opt the namespace in to sigstore policy-controller (label ${SIGSTORE_LABEL}=true) after checking that a ClusterImagePolicy covers its images.`
              : 'Sign images in CI (cosign sign <image>@<digest>), then deploy a verifier — Kyverno verifyImages (policy below), sigstore policy-controller (opt namespaces in with kubectl label namespace <ns> policy.sigstore.dev/include=true), Connaisseur or Ratify with Gatekeeper — in Enforce mode, and verify by hand with cosign verify <image>@<digest> --key <key>.',
          ...(labelCmd && !labelled ? { command: labelCmd } : {}),
          patch,
        },
      });
    }

    const cpNote = servers.length === 0 ? '; kube-apiserver flags not visible (no static control-plane pod), so ImagePolicyWebhook was not checked' : '';
    if (provider && uncovered.length > 0) {
      return {
        findings: out,
        status: 'unable',
        reason: `no in-cluster signature verifier for ${uncovered.length} namespace(s) (${uncovered.slice(0, 5).join(', ')}${uncovered.length > 5 ? ', …' : ''}); ${PROVIDER_HINT[provider]}`,
      };
    }
    if (workloads.size === 0) return findings(out, `no namespace runs workloads${cpNote}`);
    const names = [...new Set(verifiers.filter((v) => v.confidence === 'enforcing').map((v) => v.product))];
    return findings(out, `every namespace that runs workloads is covered by ${names.join(', ')}${cpNote}`);
  },
};
