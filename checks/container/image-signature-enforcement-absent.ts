import { findings, WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import { parseImageReference } from '../../src/engine/images.js';
import type { Container, K8sObject, LabelSelector, Namespace, Node, Pod } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import { isStaticPod, type Snapshot } from '../../src/engine/snapshot.js';
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
    return { product: 'sigstore policy-controller', dedicated: true, note: 'ClusterImagePolicy objects and their mode (warn/enforce) are not read', policies: 'clusterimagepolicies.policy.sigstore.dev' };
  }
  if (cfg.includes('connaisseur') || name.includes('connaisseur')) {
    return { product: 'Connaisseur', dedicated: true, note: 'its detection (audit) mode is set in its configuration and not visible' };
  }
  if (cfg.includes('portieris') || cfg === 'image-admission-config' || name.includes('securityenforcement.admission.cloud.ibm.com')) {
    return { product: 'IBM Portieris', dedicated: true, note: 'ImagePolicy objects are not read', policies: 'clusterimagepolicies.portieris.cloud.ibm.com,imagepolicies.portieris.cloud.ibm.com' };
  }
  if (cfg.startsWith('kyverno') && (name.startsWith('ivpol.') || path.startsWith('/ivpol/'))) {
    return { product: 'Kyverno ImageValidatingPolicy', dedicated: true, note: 'the policies\' validationActions are not read', policies: 'imagevalidatingpolicies.policies.kyverno.io' };
  }
  if (cfg === 'kyverno-resource-validating-webhook-cfg' || cfg === 'kyverno-resource-mutating-webhook-cfg') {
    return { product: 'Kyverno', dedicated: false, note: 'Kyverno intercepts pods here, but whether a ClusterPolicy/Policy has verifyImages rules in Enforce mode cannot be read (clusterpolicies.kyverno.io is not collected)', policies: 'clusterpolicies.kyverno.io,policies.kyverno.io' };
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
    'For every namespace that runs workloads, looks for an admission verifier of image signatures (Appendix C.4) whose webhook intercepts pod CREATE ' +
    'and whose namespaceSelector selects the namespace: sigstore policy-controller (webhooks *.policy.sigstore.dev, opt-in label policy.sigstore.dev/include=true), ' +
    'Connaisseur, IBM Portieris, Kyverno ImageValidatingPolicy webhooks, or ImagePolicyWebhook in the kube-apiserver static pod\'s --enable-admission-plugins. ' +
    'Fails when none applies; warns when only Kyverno\'s generic webhooks apply (verifyImages rules are not read), when the verifier fails open ' +
    '(failurePolicy: Ignore) or is limited by objectSelector/matchConditions. On GKE/AKS, where enforcement is a cluster setting, it is unable instead of failing.',
  remediation: 'Sign images in CI and deploy an admission verifier that enforces signatures in every application namespace.',
  references: [
    ref.fourC('Image Signing and Enforcement'), ref.cis('5.5.1'), ref.kubescape('C-0236'), ref.kubescape('C-0237'), ref.kubescape('C-0289'),
    ref.nsa('Pod security (Building secure container images)'),
    ref.doc('sigstore policy-controller', 'https://docs.sigstore.dev/policy-controller/overview/'),
    ref.doc('Kyverno: verify images', 'https://kyverno.io/docs/writing-policies/verify-images/'),
  ],
  needs: ['pods', 'validatingwebhookconfigurations'],
  optionalNeeds: ['mutatingwebhookconfigurations', 'namespaces', 'nodes', 'version', ...WORKLOAD_OWNERS],
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
    let sigstoreSelector = false;
    for (const [kind, plural, list] of configs) {
      for (const cfg of list) {
        const cfgName = cfg.metadata?.name ?? '';
        for (const hook of cfg.webhooks ?? []) {
          const known = recognise(cfgName, hook, ratifyRunning);
          if (!known || !interceptsPodCreate(hook)) continue;
          const selectorKeys = [...Object.keys(hook.namespaceSelector?.matchLabels ?? {}), ...(hook.namespaceSelector?.matchExpressions ?? []).map((e) => e.key)];
          if (known.product === 'sigstore policy-controller' && selectorKeys.includes(SIGSTORE_LABEL)) sigstoreSelector = true;
          const limits: string[] = [];
          if (hook.failurePolicy === 'Ignore') limits.push('failurePolicy: Ignore (admits pods when the verifier is down)');
          if (Object.keys(hook.objectSelector?.matchLabels ?? {}).length > 0 || (hook.objectSelector?.matchExpressions ?? []).length > 0) limits.push('an objectSelector limits it to some pods');
          if ((hook.matchConditions ?? []).length > 0) limits.push('matchConditions limit it to some pods');
          const enforcing = known.dedicated && limits.length === 0;
          verifiers.push({
            product: known.product,
            source: `${kind} "${cfgName}" webhook "${hook.name ?? ''}"`,
            path: `${plural}[name=${cfgName}].webhooks[name=${hook.name ?? ''}]`,
            ...(known.policies ? { inspect: command`kubectl get ${known.policies} -A -o yaml` } : {}),
            confidence: enforcing ? 'enforcing' : 'unconfirmed',
            note: [...limits, known.note].join('; '),
            covers: (ns) => selectorMatches(hook.namespaceSelector, labelsOf(ns), haveNamespaces),
          });
        }
      }
    }

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
      const applying = verifiers.map((v) => ({ v, covers: v.covers(ns) })).filter((x) => x.covers !== false);
      const enforcing = applying.find((x) => x.covers === true && x.v.confidence === 'enforcing');
      if (enforcing) continue;
      const what = `Namespace "${ns}" runs ${count} ${count === 1 ? 'workload' : 'workloads'}`;
      const scope = snapshot.isSystemNamespace(ns) ? 'system' as const : 'workload' as const;
      const patch = kyvernoPolicy(ns);
      const labelCmd = sigstoreSelector ? command`kubectl label namespace ${ns} ${`${SIGSTORE_LABEL}=true`}` : undefined;
      const why = 'Without signature verification at admission, any image that can be pulled can run: a compromised registry, a typo-squatted name or a tampered tag goes unnoticed. The 4C guidance is to sign images and enforce signatures at admission.';
      const ev: Evidence[] = [{ path: `namespaces[name=${ns}].workloads`, value: String(count) }];
      if (nsLabels.get(ns)?.[SIGSTORE_LABEL] !== undefined) ev.push({ path: `namespaces[name=${ns}].metadata.labels["${SIGSTORE_LABEL}"]`, value: nsLabels.get(ns)?.[SIGSTORE_LABEL] ?? '' });

      if (applying.length > 0) {
        const detail = applying.map(({ v, covers }) => `${v.product} (${v.source}${covers === undefined ? '; namespace labels unknown' : ''}${v.note ? `; ${v.note}` : ''})`).join(', ');
        for (const { v } of applying) ev.push({ path: v.path, value: v.product });
        const inspect = applying.find(({ v }) => v.inspect !== undefined)?.v.inspect;
        const label = labelCmd && nsLabels.get(ns)?.[SIGSTORE_LABEL] !== 'true' ? labelCmd : undefined;
        out.push({
          subject: { kind: 'Namespace', name: ns },
          status: 'warn',
          scope,
          message: `${what}; image signatures may be verified but enforcement cannot be confirmed: ${detail}`,
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
      const sigstoreHint = sigstoreSelector ? ` (sigstore policy-controller is installed, but the namespace lacks the label ${SIGSTORE_LABEL}=true)` : '';
      out.push({
        subject: { kind: 'Namespace', name: ns },
        scope,
        message: `${what} and no image-signature verifier admits its pods${sigstoreHint}${mutatingNote}`,
        evidence: ev,
        remediation: {
          why,
          fix: sigstoreSelector
            ? `Opt the namespace in to sigstore policy-controller (label ${SIGSTORE_LABEL}=true) after checking that a ClusterImagePolicy covers its images.`
            : 'Sign images in CI (cosign sign <image>@<digest>), then deploy a verifier — Kyverno verifyImages (policy below), sigstore policy-controller (opt namespaces in with kubectl label namespace <ns> policy.sigstore.dev/include=true), Connaisseur or Ratify with Gatekeeper — in Enforce mode, and verify by hand with cosign verify <image>@<digest> --key <key>.',
          ...(labelCmd ? { command: labelCmd } : {}),
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
