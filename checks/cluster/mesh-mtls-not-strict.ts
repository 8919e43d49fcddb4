import { WORKLOAD_OWNERS, describeWorkload, evidence, findings, notApplicable, unable } from '../../src/engine/helpers.js';
import type { K8sObject, LabelSelector, Namespace } from '../../src/engine/k8s.js';
import { isEmptySelector } from '../../src/engine/netpol.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Snapshot, Workload } from '../../src/engine/snapshot.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** Istio's default root namespace (meshConfig.rootNamespace); a custom one is not visible through the API. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';
const LINKERD_WEBHOOK = 'linkerd-proxy-injector-webhook-config';
/** Linkerd default inbound policies that still accept plaintext (unmeshed) clients. */
const LINKERD_PLAINTEXT = new Set(['all-unauthenticated', 'cluster-unauthenticated', 'audit']);
const LINKERD_POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';
const LINKERD_POLICY_ENV = 'LINKERD2_PROXY_INBOUND_DEFAULT_POLICY';

interface PeerAuthentication extends K8sObject {
  readonly spec?: {
    readonly selector?: LabelSelector | null;
    readonly mtls?: { readonly mode?: string } | null;
    readonly portLevelMtls?: Readonly<Record<string, { readonly mode?: string }>> | null;
  };
}

const STRICT_PATCH = '{"spec":{"mtls":{"mode":"STRICT"}}}';

export function meshWideStrictPolicy(namespace: string): string {
  return [
    'apiVersion: security.istio.io/v1',
    'kind: PeerAuthentication',
    'metadata:',
    '  name: default',
    `  namespace: ${JSON.stringify(namespace)}`,
    'spec:',
    '  mtls:',
    '    mode: STRICT',
    '',
  ].join('\n');
}

function istioFindings(snapshot: Snapshot): FindingDraft[] {
  const policies = snapshot.list<PeerAuthentication>('peerauthentications');
  const out: FindingDraft[] = [];
  const meshWide = policies.filter((pa) => pa.metadata?.namespace === ISTIO_ROOT_NAMESPACE && isEmptySelector(pa.spec?.selector));
  const strictMeshWide = meshWide.find((pa) => (pa.spec?.mtls?.mode ?? '').toUpperCase() === 'STRICT');
  if (!strictMeshWide) {
    const existing = meshWide[0];
    const mode = existing?.spec?.mtls?.mode ?? 'UNSET';
    const patch = meshWideStrictPolicy(ISTIO_ROOT_NAMESPACE);
    out.push({
      subject: existing
        ? { kind: 'PeerAuthentication', namespace: ISTIO_ROOT_NAMESPACE, name: existing.metadata?.name ?? '' }
        : { kind: 'Namespace', name: ISTIO_ROOT_NAMESPACE },
      discriminator: 'mesh-wide',
      scope: 'workload',
      status: 'warn',
      message: existing
        ? `Istio mesh-wide PeerAuthentication "${ISTIO_ROOT_NAMESPACE}/${existing.metadata?.name ?? ''}" sets mtls.mode ${mode}: workloads without their own STRICT policy still accept plaintext`
        : `Istio is installed but there is no mesh-wide PeerAuthentication (namespace ${ISTIO_ROOT_NAMESPACE}, no selector) with mtls.mode STRICT: the default PERMISSIVE mode accepts plaintext`,
      evidence: existing
        ? [evidence('spec.mtls.mode', mode)]
        : [evidence(`peerauthentications[namespace=${ISTIO_ROOT_NAMESPACE},selector={}]`, '(none)')],
      remediation: {
        why: 'In PERMISSIVE mode sidecars accept plaintext next to mTLS, so any pod outside the mesh can talk to meshed services unauthenticated and unencrypted.',
        fix: 'Once every client is meshed (check the Kiali or istioctl x describe output), apply a mesh-wide PeerAuthentication named default in the root namespace with mtls.mode STRICT.',
        command: existing
          ? command`kubectl -n ${ISTIO_ROOT_NAMESPACE} patch peerauthentication ${existing.metadata?.name ?? ''} --type=merge -p ${STRICT_PATCH}`
          : `kubectl apply -f - <<'EOF'\n${patch}EOF`,
        ...(existing ? {} : { patch }),
      },
    });
  }
  for (const pa of policies) {
    if (meshWide.includes(pa)) continue;
    const ns = pa.metadata?.namespace ?? '';
    const name = pa.metadata?.name ?? '';
    const mode = (pa.spec?.mtls?.mode ?? '').toUpperCase();
    const weakPorts = Object.entries(pa.spec?.portLevelMtls ?? {}).filter(([, v]) => ['PERMISSIVE', 'DISABLE'].includes((v?.mode ?? '').toUpperCase()));
    const weakMode = mode === 'PERMISSIVE' || mode === 'DISABLE';
    if (!weakMode && weakPorts.length === 0) continue;
    const scopeText = isEmptySelector(pa.spec?.selector) ? `namespace "${ns}"` : `workloads matching ${JSON.stringify(pa.spec?.selector?.matchLabels ?? {})} in "${ns}"`;
    const parts = [
      ...(weakMode ? [`mtls.mode ${mode}`] : []),
      ...weakPorts.map(([port, v]) => `port ${port} ${(v?.mode ?? '').toUpperCase()}`),
    ];
    const patch = weakPorts.length > 0 ? '{"spec":{"mtls":{"mode":"STRICT"},"portLevelMtls":null}}' : STRICT_PATCH;
    out.push({
      subject: { kind: 'PeerAuthentication', namespace: ns, name },
      discriminator: 'weak-mode',
      status: 'warn',
      message: `PeerAuthentication "${ns}/${name}" sets ${parts.join(', ')} for ${scopeText}: ${parts.some((p) => p.includes('DISABLE')) ? 'mutual TLS is switched off there' : 'plaintext is accepted next to mTLS'}`,
      evidence: [
        ...(weakMode ? [evidence('spec.mtls.mode', mode)] : []),
        ...weakPorts.map(([port, v]) => evidence(`spec.portLevelMtls["${port}"].mode`, (v?.mode ?? '').toUpperCase())),
      ],
      remediation: {
        why: 'PERMISSIVE or DISABLE lets clients outside the mesh reach these workloads without mutual TLS, bypassing workload identity and encryption.',
        fix: 'Confirm every client of these workloads is meshed, then set mtls.mode STRICT (and remove the port-level exceptions).',
        command: command`kubectl -n ${ns} patch peerauthentication ${name} --type=merge -p ${patch}`,
      },
    });
  }
  return out;
}

function linkerdPolicy(workload: Workload, namespaceAnnotations: Readonly<Record<string, string>>): string | undefined {
  const spec = workload.revisions[0]?.spec;
  const proxy = (spec?.containers ?? []).find((c) => c.name === 'linkerd-proxy') ?? (spec?.initContainers ?? []).find((c) => c.name === 'linkerd-proxy');
  if (!proxy) return undefined; // not meshed
  const env = proxy.env?.find((e) => e.name === LINKERD_POLICY_ENV)?.value;
  return env ?? workload.revisions[0]?.meta.annotations?.[LINKERD_POLICY_ANNOTATION] ?? namespaceAnnotations[LINKERD_POLICY_ANNOTATION] ?? 'all-unauthenticated';
}

function linkerdFindings(snapshot: Snapshot): { out: FindingDraft[]; meshed: number } {
  const nsAnnotations = new Map(snapshot.list<Namespace>('namespaces').map((n) => [n.metadata?.name ?? '', n.metadata?.annotations ?? {}]));
  const byNamespace = new Map<string, { workload: Workload; policy: string }[]>();
  let meshed = 0;
  for (const w of snapshot.workloads()) {
    if (w.namespace === 'linkerd' || w.namespace.startsWith('linkerd-')) continue;
    const policy = linkerdPolicy(w, nsAnnotations.get(w.namespace) ?? {});
    if (policy === undefined) continue;
    meshed++;
    if (!LINKERD_PLAINTEXT.has(policy)) continue;
    const list = byNamespace.get(w.namespace) ?? [];
    list.push({ workload: w, policy });
    byNamespace.set(w.namespace, list);
  }
  const out: FindingDraft[] = [];
  for (const [ns, list] of [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const names = list.map((x) => `${describeWorkload(x.workload)} (${x.policy})`);
    out.push({
      subject: { kind: 'Namespace', name: ns },
      discriminator: 'linkerd',
      status: 'warn',
      message: `Linkerd-meshed workloads in namespace "${ns}" accept plaintext from unmeshed clients (default inbound policy): ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}; Server/AuthorizationPolicy resources that may require mTLS on some ports are not evaluated`,
      evidence: list.slice(0, 5).map((x) => evidence(`${x.workload.specPath}.containers[name=linkerd-proxy].env[${LINKERD_POLICY_ENV}]`, x.policy)),
      remediation: {
        why: 'With an *-unauthenticated default inbound policy the Linkerd proxy accepts plaintext connections from pods outside the mesh, so mTLS is opportunistic, not required.',
        fix: 'Once every client is meshed, annotate the namespace with config.linkerd.io/default-inbound-policy: all-authenticated (or cluster-authenticated) and restart the workloads so the proxies pick it up.',
        command: [
          command`kubectl annotate namespace ${ns} --overwrite ${`${LINKERD_POLICY_ANNOTATION}=all-authenticated`}`,
          command`kubectl -n ${ns} rollout restart deployment`,
        ].join('\n'),
      },
    });
  }
  return { out, meshed };
}

export const check: Check = {
  id: 'cluster/mesh-mtls-not-strict',
  layer: 'cluster',
  title: 'Service mesh mTLS not strict',
  severity: 'low',
  description:
    'Applies when a service mesh is installed. Istio (PeerAuthentication security.istio.io served and the istio-system namespace, a PeerAuthentication ' +
    'or an istio- webhook present): warns when no mesh-wide PeerAuthentication (root namespace istio-system, no selector) sets spec.mtls.mode STRICT, ' +
    'and for every namespace or workload PeerAuthentication whose mtls.mode or portLevelMtls is PERMISSIVE or DISABLE. Linkerd (namespace linkerd or ' +
    'webhook linkerd-proxy-injector-webhook-config): warns per namespace when meshed workloads run with a default inbound policy that accepts ' +
    'plaintext (all-unauthenticated, the default, cluster-unauthenticated or audit). Not applicable when no mesh is installed.',
  remediation: 'Require mutual TLS in the mesh (Istio mesh-wide PeerAuthentication STRICT, Linkerd default inbound policy all-authenticated) after confirming all clients are meshed.',
  references: [
    ref.fourC('Code (Access over TLS only, mTLS)'), ref.nsa('Network separation (Encryption)'),
    ref.doc('Istio: PeerAuthentication', 'https://istio.io/latest/docs/reference/config/security/peer_authentication/'),
    ref.doc('Linkerd: default policies', 'https://linkerd.io/2/reference/authorization-policy/'),
  ],
  needs: ['namespaces'],
  optionalNeeds: ['peerauthentications', 'mutatingwebhookconfigurations', 'pods', ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    const namespaces = new Set(snapshot.list<Namespace>('namespaces').map((n) => n.metadata?.name ?? ''));
    const webhooks = snapshot.list<K8sObject>('mutatingwebhookconfigurations').map((w) => w.metadata?.name ?? '');
    const paError = snapshot.error('peerauthentications');
    const istioServed = snapshot.has('peerauthentications');
    const istio = istioServed && (namespaces.has(ISTIO_ROOT_NAMESPACE) || snapshot.list('peerauthentications').length > 0 || webhooks.some((w) => w.startsWith('istio-')));
    const linkerd = namespaces.has('linkerd') || webhooks.includes(LINKERD_WEBHOOK);
    // PeerAuthentication served but unreadable: Istio may be there and cannot be judged.
    if (paError && paError.code !== 'not-served' && !linkerd) return unable(`cannot read Istio PeerAuthentications: ${paError.message}`);
    if (!istio && !linkerd) return notApplicable('no service mesh installed (no Istio PeerAuthentication API with an istio-system namespace, no Linkerd)');

    const out: FindingDraft[] = [];
    const notes: string[] = [];
    if (istio) out.push(...istioFindings(snapshot));
    if (paError && paError.code !== 'not-served') notes.push(`Istio PeerAuthentications could not be read (${paError.message})`);
    if (linkerd) {
      if (!snapshot.has('pods')) {
        notes.push(`Linkerd is installed but pods could not be read (${snapshot.error('pods')?.message ?? 'not collected'}), so the proxies' inbound policy is unknown`);
      } else {
        const { out: l, meshed } = linkerdFindings(snapshot);
        out.push(...l);
        if (meshed === 0) notes.push('Linkerd is installed but no workload outside its namespaces is meshed');
      }
    }
    if (out.length === 0 && notes.some((n) => n.includes('could not be read'))) return unable(notes.join('; '));
    return findings(out, notes.length > 0 ? notes.join('; ') : undefined);
  },
};
