/**
 * NetworkPolicy semantics (CHECKS.md §3F), pure: label selectors, effective policyTypes,
 * which policies select a pod, ingress/egress isolation, and whether a given flow is allowed.
 * Used by the cluster network checks and by cloud/metadata-endpoint-reachable (egress to the
 * instance metadata service). Only networking.k8s.io/v1 NetworkPolicy is modelled; CNI-specific
 * policies (Cilium, Calico, AdminNetworkPolicy) are not evaluated here.
 *
 * Semantics, as the API documents them:
 * - a policy applies to pods in its own namespace matched by `spec.podSelector` (`{}` = all);
 * - effective `policyTypes`: as written; when omitted (or empty) `Ingress`, plus `Egress` when
 *   `spec.egress` is present;
 * - a pod is ingress-isolated when some applying policy has `Ingress` among its effective types
 *   (likewise egress); an isolated pod accepts only the union of all applying policies' rules;
 * - a rule with no `from`/`to` allows every peer; with no `ports` every port;
 * - a peer is an `ipBlock` (cidr minus `except`), or pods chosen by `podSelector` (policy's
 *   namespace) and/or `namespaceSelector`; pod/namespace selectors never match external IPs;
 * - a port entry: `protocol` (default TCP), `port` numeric or named, `endPort` for a range;
 *   named ports resolve only against the destination pod's container ports, never an IP.
 */
import type { Container, K8sObject, LabelSelector, NetworkPolicy } from './k8s.js';
import type { ResourceName } from './resources.js';
import { cidrContains } from './net.js';
import type { Snapshot, Workload } from './snapshot.js';

export type PolicyType = 'Ingress' | 'Egress';
type Labels = Readonly<Record<string, string>>;

/** The label the API server puts on every namespace (v1.21+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

// ---------------------------------------------------------------------------- shapes

export interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface PolicyPeer {
  readonly podSelector?: LabelSelector | null;
  readonly namespaceSelector?: LabelSelector | null;
  readonly ipBlock?: { readonly cidr?: string; readonly except?: readonly string[] } | null;
}

export interface IngressRule {
  readonly from?: readonly PolicyPeer[] | null;
  readonly ports?: readonly PolicyPort[] | null;
}

export interface EgressRule {
  readonly to?: readonly PolicyPeer[] | null;
  readonly ports?: readonly PolicyPort[] | null;
}

function ingressRules(np: NetworkPolicy): readonly IngressRule[] {
  return (np.spec?.ingress ?? []) as readonly IngressRule[];
}

function egressRules(np: NetworkPolicy): readonly EgressRule[] {
  return (np.spec?.egress ?? []) as readonly EgressRule[];
}

// ---------------------------------------------------------------------------- selectors

/** True for a selector that selects everything: absent, `{}`, or with empty matchLabels/matchExpressions. */
export function isEmptySelector(selector: LabelSelector | null | undefined): boolean {
  if (!selector) return true;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * Label selector semantics (metav1.LabelSelectorAsSelector): every matchLabels pair and every
 * matchExpressions requirement must hold; `{}` matches everything. An unknown operator, or
 * In/NotIn without values, matches nothing (the API server rejects such selectors).
 */
export function selectorMatches(selector: LabelSelector | null | undefined, labels: Labels | undefined): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (values.length === 0 || !present || !values.includes(have[req.key] as string)) return false;
        break;
      case 'NotIn':
        if (values.length === 0) return false;
        if (present && values.includes(have[req.key] as string)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------- policy types and selection

/** Effective policyTypes: as written; omitted or empty → Ingress, plus Egress when spec.egress is present. */
export function effectivePolicyTypes(np: NetworkPolicy): readonly PolicyType[] {
  const written = (np.spec?.policyTypes ?? []).filter((t): t is PolicyType => t === 'Ingress' || t === 'Egress');
  if ((np.spec?.policyTypes ?? []).length > 0) return [...new Set(written)];
  return np.spec?.egress !== undefined && np.spec.egress !== null ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function hasPolicyType(np: NetworkPolicy, type: PolicyType): boolean {
  return effectivePolicyTypes(np).includes(type);
}

/** A pod (or a workload's pod template) as policies see it: its namespace and its pod labels. */
export interface PodRef {
  readonly namespace: string;
  readonly labels: Labels;
  /** Container ports, to resolve named ports of policies that select this pod (ingress). */
  readonly containers?: readonly Container[];
}

/** True when `np` applies to the pod: same namespace and its podSelector matches. */
export function policySelects(np: NetworkPolicy, pod: PodRef): boolean {
  return (np.metadata?.namespace ?? '') === pod.namespace && selectorMatches(np.spec?.podSelector, pod.labels);
}

/** NetworkPolicies grouped by namespace; build once per snapshot (see `netpolIndex`). */
export class NetpolIndex {
  readonly #byNamespace = new Map<string, NetworkPolicy[]>();

  constructor(policies: readonly NetworkPolicy[]) {
    for (const np of policies) {
      const ns = np.metadata?.namespace ?? '';
      const list = this.#byNamespace.get(ns);
      if (list) list.push(np);
      else this.#byNamespace.set(ns, [np]);
    }
  }

  /** Every policy in the namespace. */
  inNamespace(namespace: string): readonly NetworkPolicy[] {
    return this.#byNamespace.get(namespace) ?? [];
  }

  namespaces(): readonly string[] {
    return [...this.#byNamespace.keys()];
  }

  /** Policies that apply to the pod. */
  selecting(pod: PodRef): readonly NetworkPolicy[] {
    return this.inNamespace(pod.namespace).filter((np) => selectorMatches(np.spec?.podSelector, pod.labels));
  }
}

const INDEXES = new WeakMap<Snapshot, NetpolIndex>();

/** The snapshot's NetworkPolicy index, built once and shared by every check. */
export function netpolIndex(snapshot: Snapshot): NetpolIndex {
  let index = INDEXES.get(snapshot);
  if (!index) {
    index = new NetpolIndex(snapshot.list<NetworkPolicy>('networkpolicies'));
    INDEXES.set(snapshot, index);
  }
  return index;
}

type Source = Snapshot | NetpolIndex | readonly NetworkPolicy[];

function indexOf(source: Source): NetpolIndex {
  if (source instanceof NetpolIndex) return source;
  if (Array.isArray(source)) return new NetpolIndex(source as readonly NetworkPolicy[]);
  return netpolIndex(source as Snapshot);
}

/** The pods a workload runs, one per distinct revision (pod labels and containers, not the controller's labels). */
export function podRefsOf(workload: Workload): PodRef[] {
  return workload.revisions.map((r) => ({
    namespace: workload.namespace,
    labels: r.meta.labels ?? {},
    containers: [...(r.spec.containers ?? []), ...(r.spec.initContainers ?? [])],
  }));
}

function isWorkload(subject: PodRef | Workload): subject is Workload {
  return (subject as Workload).revisions !== undefined;
}

export interface Isolation {
  readonly ingress: boolean;
  readonly egress: boolean;
  /** Policies that apply to the pod (any type). */
  readonly policies: readonly NetworkPolicy[];
}

/** Ingress/egress isolation of a pod; for a workload, isolated only when every running revision is. */
export function isolation(source: Source, subject: PodRef | Workload): Isolation {
  const index = indexOf(source);
  const pods = isWorkload(subject) ? podRefsOf(subject) : [subject];
  let ingress = pods.length > 0;
  let egress = pods.length > 0;
  const policies = new Set<NetworkPolicy>();
  for (const pod of pods) {
    const selecting = index.selecting(pod);
    selecting.forEach((np) => policies.add(np));
    if (!selecting.some((np) => hasPolicyType(np, 'Ingress'))) ingress = false;
    if (!selecting.some((np) => hasPolicyType(np, 'Egress'))) egress = false;
  }
  return { ingress, egress, policies: [...policies] };
}

// ---------------------------------------------------------------------------- ports and peers

export interface PortQuery {
  /** Destination port; undefined = "any port of the protocol". */
  readonly port?: number;
  /** TCP (default), UDP or SCTP. */
  readonly protocol?: string;
}

/** Named port → number on the destination pod, for the given protocol. */
function resolveNamedPort(name: string, protocol: string, containers: readonly Container[] | undefined): number | undefined {
  for (const c of containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === name && (p.protocol ?? 'TCP').toUpperCase() === protocol && p.containerPort !== undefined) return p.containerPort;
    }
  }
  return undefined;
}

/**
 * Whether a rule's `ports` admit the query. Empty/absent = all ports. A named port matches
 * only when `destination` containers define it (never for IP destinations).
 */
export function portsAllow(ports: readonly PolicyPort[] | null | undefined, query: PortQuery, destination?: readonly Container[]): boolean {
  if (!ports || ports.length === 0) return true;
  const protocol = (query.protocol ?? 'TCP').toUpperCase();
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP').toUpperCase() !== protocol) return false;
    if (p.port === undefined || p.port === null) return true;
    if (query.port === undefined) return true;
    if (typeof p.port === 'number') {
      if (p.endPort !== undefined && p.endPort !== null) return query.port >= p.port && query.port <= p.endPort;
      return query.port === p.port;
    }
    if (destination === undefined) return false;
    return resolveNamedPort(p.port, protocol, destination) === query.port;
  });
}

/** `cidr` contains the address and no `except` entry does. Invalid CIDRs match nothing. */
export function ipBlockContains(block: { readonly cidr?: string; readonly except?: readonly string[] }, ip: string): boolean {
  if (!block.cidr || !cidrContains(block.cidr, ip)) return false;
  return !(block.except ?? []).some((ex) => cidrContains(ex, ip));
}

/** A pod peer for ingress/egress queries: its namespace (and labels), its labels and optionally its IP. */
export interface PodPeer {
  readonly namespace: string;
  /** Labels of the peer's namespace; `kubernetes.io/metadata.name` is added when missing. */
  readonly namespaceLabels?: Labels;
  readonly podLabels: Labels;
  /** The peer pod's IP: ipBlock peers match it only when given. */
  readonly ip?: string;
  /** The peer's containers, to resolve named ports when it is the destination. */
  readonly containers?: readonly Container[];
}

export interface IpPeer {
  readonly ip: string;
}

export type Peer = PodPeer | IpPeer;

function isPodPeer(peer: Peer): peer is PodPeer {
  return (peer as PodPeer).podLabels !== undefined;
}

/** Whether one `from`/`to` entry of a policy in `policyNamespace` matches the peer. */
export function peerMatches(entry: PolicyPeer, policyNamespace: string, peer: Peer): boolean {
  if (entry.ipBlock) return peer.ip !== undefined && ipBlockContains(entry.ipBlock, peer.ip);
  if (!isPodPeer(peer)) return false; // pod/namespace selectors never match external IPs
  const hasPod = entry.podSelector !== undefined && entry.podSelector !== null;
  const hasNs = entry.namespaceSelector !== undefined && entry.namespaceSelector !== null;
  if (!hasPod && !hasNs) return false;
  if (hasNs) {
    const nsLabels = { [NAMESPACE_NAME_LABEL]: peer.namespace, ...peer.namespaceLabels };
    if (!selectorMatches(entry.namespaceSelector, nsLabels)) return false;
  } else if (peer.namespace !== policyNamespace) {
    return false;
  }
  return !hasPod || selectorMatches(entry.podSelector, peer.podLabels);
}

function peersAllow(peers: readonly PolicyPeer[] | null | undefined, policyNamespace: string, peer: Peer): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((entry) => peerMatches(entry, policyNamespace, peer));
}

// ---------------------------------------------------------------------------- queries

export interface FlowVerdict {
  readonly allowed: boolean;
  /** The pod is isolated in this direction (some applying policy has the type). */
  readonly isolated: boolean;
  /** Policies that apply to the pod and have the direction's type. */
  readonly policies: readonly NetworkPolicy[];
  /** The first rule that allows the flow, when isolated and allowed. */
  readonly allowedBy?: { readonly policy: NetworkPolicy; readonly rule: number };
}

export interface EgressTarget extends PortQuery {
  readonly ip: string;
}

/**
 * May the pod (or any running revision of the workload) open a connection to `target`?
 * `target` is an IP (pod/namespace selectors never match it) or a pod peer.
 */
export function egressAllowed(source: Source, subject: PodRef | Workload, target: EgressTarget | (PodPeer & PortQuery)): FlowVerdict {
  const index = indexOf(source);
  const pods = isWorkload(subject) ? podRefsOf(subject) : [subject];
  let last: FlowVerdict = { allowed: false, isolated: true, policies: [] };
  for (const pod of pods) {
    const verdict = egressOne(index, pod, target);
    if (verdict.allowed) return verdict;
    last = verdict;
  }
  return last;
}

function egressOne(index: NetpolIndex, pod: PodRef, target: EgressTarget | (PodPeer & PortQuery)): FlowVerdict {
  const policies = index.selecting(pod).filter((np) => hasPolicyType(np, 'Egress'));
  if (policies.length === 0) return { allowed: true, isolated: false, policies };
  const destination = isPodPeer(target) ? target.containers : undefined;
  // An IP destination never resolves named ports; a pod destination may, if its containers are known.
  const namedPortsOf = isPodPeer(target) ? (destination ?? []) : undefined;
  for (const np of policies) {
    const ns = np.metadata?.namespace ?? '';
    const rules = egressRules(np);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as EgressRule;
      if (peersAllow(rule.to, ns, target) && portsAllow(rule.ports, target, namedPortsOf)) {
        return { allowed: true, isolated: true, policies, allowedBy: { policy: np, rule: i } };
      }
    }
  }
  return { allowed: false, isolated: true, policies };
}

/**
 * May `peer` (a pod with its namespace labels, or an IP) connect to the pod or workload on
 * `query.port`/`query.protocol`? Named ports resolve against the destination pod's containers.
 */
export function ingressAllowedFrom(source: Source, subject: PodRef | Workload, peer: Peer, query: PortQuery = {}): FlowVerdict {
  const index = indexOf(source);
  const pods = isWorkload(subject) ? podRefsOf(subject) : [subject];
  let last: FlowVerdict = { allowed: false, isolated: true, policies: [] };
  for (const pod of pods) {
    const policies = index.selecting(pod).filter((np) => hasPolicyType(np, 'Ingress'));
    if (policies.length === 0) return { allowed: true, isolated: false, policies };
    let verdict: FlowVerdict = { allowed: false, isolated: true, policies };
    outer: for (const np of policies) {
      const ns = np.metadata?.namespace ?? '';
      const rules = ingressRules(np);
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i] as IngressRule;
        if (peersAllow(rule.from, ns, peer) && portsAllow(rule.ports, query, pod.containers ?? [])) {
          verdict = { allowed: true, isolated: true, policies, allowedBy: { policy: np, rule: i } };
          break outer;
        }
      }
    }
    if (verdict.allowed) return verdict;
    last = verdict;
  }
  return last;
}

// ---------------------------------------------------------------------------- default deny

/**
 * A default-deny policy for the direction: `podSelector: {}`, the type among its effective
 * policyTypes, and no rules for that direction.
 */
export function isDefaultDeny(np: NetworkPolicy, type: PolicyType): boolean {
  if (!isEmptySelector(np.spec?.podSelector) || !hasPolicyType(np, type)) return false;
  return (type === 'Ingress' ? ingressRules(np) : egressRules(np)).length === 0;
}

/** Cloud instance metadata endpoints (CHECKS.md cloud/metadata-endpoint-reachable). */
export const METADATA_TARGETS: readonly (EgressTarget & { readonly label: string })[] = [
  { ip: '169.254.169.254', port: 80, protocol: 'TCP', label: 'IMDS (AWS, GCP, Azure, OCI, OpenStack, IBM)' },
  { ip: 'fd00:ec2::254', port: 80, protocol: 'TCP', label: 'AWS IMDS (IPv6)' },
  { ip: '100.100.100.200', port: 80, protocol: 'TCP', label: 'Alibaba Cloud metadata' },
];

/** A namespace with workloads and no NetworkPolicy at all. */
export interface UncoveredNamespace {
  /** Live pods (phase not Succeeded/Failed), static pods excluded. */
  readonly pods: number;
  /** Workloads at their top owner: live ones, and controllers with no pod right now (CronJobs between runs, scaled to zero). Finished Jobs are left out. */
  readonly workloads: readonly Workload[];
}

const UNCOVERED = new WeakMap<Snapshot, ReadonlyMap<string, UncoveredNamespace>>();

/**
 * Namespaces that run workloads (live pods, or controllers that will start pods again) and have
 * no NetworkPolicy at all. cluster/namespace-without-networkpolicy reports the non-system ones;
 * the other network checks skip all of them so one gap is reported once.
 */
export function namespacesWithoutPolicy(snapshot: Snapshot): ReadonlyMap<string, UncoveredNamespace> {
  let out = UNCOVERED.get(snapshot);
  if (!out) {
    const index = netpolIndex(snapshot);
    const counts = new Map<string, { pods: number; workloads: Workload[] }>();
    for (const w of snapshot.workloads()) {
      if (w.isStatic || (w.source === 'template' && w.kind === 'Job')) continue;
      if (index.inNamespace(w.namespace).length > 0) continue;
      const entry = counts.get(w.namespace) ?? { pods: 0, workloads: [] };
      entry.pods += w.replicas;
      entry.workloads.push(w);
      counts.set(w.namespace, entry);
    }
    out = counts;
    UNCOVERED.set(snapshot, out);
  }
  return out;
}

/** Namespaced CNI-specific policy kinds (may cover a namespace; not evaluated). */
export const NAMESPACED_CNI_POLICIES: readonly ResourceName[] = ['ciliumnetworkpolicies', 'calico-networkpolicies'];
/** Cluster-wide CNI-specific and admin policy kinds (may cover any namespace; not evaluated). */
export const CLUSTER_CNI_POLICIES: readonly ResourceName[] = ['ciliumclusterwidenetworkpolicies', 'calico-globalnetworkpolicies', 'adminnetworkpolicies'];

const CNI_POLICY_LABEL: Readonly<Partial<Record<ResourceName, string>>> = {
  ciliumnetworkpolicies: 'CiliumNetworkPolicy',
  'calico-networkpolicies': 'Calico NetworkPolicy',
  ciliumclusterwidenetworkpolicies: 'CiliumClusterwideNetworkPolicy',
  'calico-globalnetworkpolicies': 'Calico GlobalNetworkPolicy',
  adminnetworkpolicies: 'AdminNetworkPolicy',
};

/**
 * CNI-specific or admin policies that might also cover the namespace (`Kind "name"` each):
 * those in the namespace plus every cluster-wide one. They are not evaluated; their presence
 * turns a FAIL into a WARN (CHECKS.md §1.3 D-NP).
 */
export function otherPoliciesCovering(snapshot: Snapshot, namespace: string): string[] {
  const local = NAMESPACED_CNI_POLICIES.flatMap((name) => snapshot.list<K8sObject>(name)
    .filter((o) => o.metadata?.namespace === namespace)
    .map((o) => `${CNI_POLICY_LABEL[name] ?? name} "${o.metadata?.name ?? ''}"`));
  const global = CLUSTER_CNI_POLICIES.flatMap((name) => snapshot.list<K8sObject>(name).map((o) => `${CNI_POLICY_LABEL[name] ?? name} "${o.metadata?.name ?? ''}"`));
  return [...local, ...global];
}
