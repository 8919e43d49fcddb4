/**
 * An immutable, indexed view of everything collected for one scan: resource lists, the
 * per-source errors, cluster version, kubeconfig facts and local files. Checks read it and
 * nothing else. Workloads are resolved to their top owner once (CHECKS.md §1.4) and shared.
 */
import type { ConfigMap, K8sObject, ObjectMeta, OwnerReference, Pod, PodSpec, Workloadish } from './k8s.js';
import type { ResourceName } from './resources.js';
import type { DataNeed } from './types.js';

/** `not-requested`: the user did not ask for this input (no --code DIR): checks that need it do not apply. */
export type DataErrorCode = 'forbidden' | 'not-served' | 'unauthorized' | 'timeout' | 'failed' | 'not-requested';

export interface DataError {
  readonly code: DataErrorCode;
  /** HTTP status when there was one. */
  readonly status?: number;
  /** One line, shown as the `unable` reason, e.g. `missing permission: list secrets`. */
  readonly message: string;
}

export interface ClusterVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
  readonly platform?: string;
}

export type AuthMethod = 'token' | 'token-file' | 'client-certificate' | 'exec' | 'auth-provider' | 'basic' | 'none';

/** Facts about the kubeconfig context in use (D-KCFG) plus the resolved server addresses (D-DNS). */
export interface KubeconfigInfo {
  readonly context: string;
  readonly cluster: string;
  readonly user: string;
  readonly server: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly authMethod: AuthMethod;
  /** Literal IP of the server host, or its DNS answers. Empty when resolution failed. */
  readonly serverAddresses: readonly string[];
  readonly dnsError?: string;
  /** Organisations (O=) of the client certificate, i.e. its Kubernetes groups; absent when there is none or it could not be read. */
  readonly clientCertificateGroups?: readonly string[];
}

/** `manifest` = any YAML/JSON file (F-K8S candidates); `report` = results files (SARIF, vulnerability reports). */
export type SourceFileKind = 'dockerfile' | 'manifest' | 'other' | 'lockfile' | 'ci' | 'source' | 'config' | 'report';

/** Where an object of an offline manifest scan came from. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** The Code layer's input: the source tree, plus results files the user passed (`--vuln-report`). */
export interface SourceFiles {
  readonly root: string;
  readonly files: readonly SourceFile[];
  readonly reports?: readonly SourceFile[];
}

export interface SourceFile {
  /** Relative to the scanned root, with `/` separators. */
  readonly path: string;
  readonly kind: SourceFileKind;
  readonly text: string;
}

/** User configuration some checks read (from settings); checks stay pure. */
export interface CheckConfig {
  /** Registries images may come from (host suffix match); empty = no allowlist configured. */
  readonly trustedRegistries: readonly string[];
  /** Namespaces whose pods must use a sandboxed RuntimeClass; empty = not configured. */
  readonly untrustedNamespaces: readonly string[];
  /** D-CM-ALL opt-in: list every ConfigMap and scan keys and values for credentials. Off by default. */
  readonly configMapContents: boolean;
}

export const DEFAULT_CHECK_CONFIG: CheckConfig = { trustedRegistries: [], untrustedNamespaces: [], configMapContents: false };

export interface SnapshotInput {
  readonly config?: CheckConfig;
  readonly lists?: Partial<Record<ResourceName, readonly K8sObject[]>>;
  readonly errors?: Partial<Record<DataNeed, DataError>>;
  readonly version?: ClusterVersion;
  readonly kubeconfig?: KubeconfigInfo;
  /** kube-public/cluster-info; `null` when the cluster has none (404). */
  readonly clusterInfo?: ConfigMap | null;
  /** D-CM-SYS: `namespace/name` → the ConfigMap, or `null` when it does not exist (404). */
  readonly systemConfigMaps?: ReadonlyMap<string, ConfigMap | null>;
  readonly files?: SourceFiles;
  /** Offline manifest scans: each object's file and line (findings on it carry them). */
  readonly sources?: ReadonlyMap<object, SourceLocation>;
  readonly systemNamespaces?: readonly string[];
  /** Namespaces the scan was limited to (`-n`); undefined = all. */
  readonly namespaces?: readonly string[];
  /** When the data was collected (ISO-8601); date-dependent checks use it, else the current time. */
  readonly collectedAt?: string;
}

/** CHECKS.md §7 trap 1: infrastructure namespaces. Prefix entries end with `*`. */
export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system', 'kube-public', 'kube-node-lease', 'gke-managed-*', 'gmp-system', 'gmp-public',
  'calico-system', 'calico-apiserver', 'tigera-operator', 'kube-flannel', 'local-path-storage', 'cilium-secrets',
];

/** One pod spec a workload runs: a live revision, or its template when no pod runs. */
export interface PodSpecRevision {
  readonly spec: PodSpec;
  readonly meta: ObjectMeta;
  /** Live pods running this revision (0 for a template). */
  readonly pods: number;
}

/** A workload at its top owner (Deployment, not its ReplicaSets or replica pods). */
export interface Workload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where the pod spec sits in this kind, e.g. `spec.template.spec`; evidence paths start here. */
  readonly specPath: string;
  /** `pods` = evaluated from live pods; `template` = no live pod, so admission mutations are not applied. */
  readonly source: 'pods' | 'template';
  /** Live (not completed) pods. */
  readonly replicas: number;
  /** Distinct pod specs, newest first; at least one. */
  readonly revisions: readonly PodSpecRevision[];
  /** A static (mirror) pod managed by the kubelet of a node; not changeable through the API. */
  readonly isStatic: boolean;
}

const TEMPLATE_PATHS: Readonly<Record<string, string>> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
  PodTemplate: 'template.spec',
};

/** Evidence path prefix of the pod spec in an object of `kind`. */
export function podSpecPath(kind: string): string {
  return TEMPLATE_PATHS[kind] ?? 'spec.template.spec';
}

const OWNER_LISTS = ['replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers'] as const satisfies readonly ResourceName[];
const TOP_LEVEL_KINDS: readonly ResourceName[] = ['deployments', 'statefulsets', 'daemonsets', 'cronjobs', 'jobs', 'replicasets', 'replicationcontrollers'];

function controllerOf(meta: ObjectMeta | undefined): OwnerReference | undefined {
  return meta?.ownerReferences?.find((ref) => ref.controller === true);
}

function templateOf(obj: Workloadish): { spec?: PodSpec; metadata?: ObjectMeta } | undefined {
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  if (obj.kind === 'PodTemplate') return obj.template;
  return obj.spec?.template;
}

function isLive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

export function isStaticPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined || controllerOf(pod.metadata)?.kind === 'Node';
}

/**
 * D-CM-SYS (CHECKS.md §1.3): ConfigMaps read one by one with `get` (never a list of every
 * ConfigMap): kubeadm's kubelet and cluster configuration, kube-proxy's configuration and
 * the AWS VPC CNI settings. Each is optional; absent ones are `null`.
 */
export const SYSTEM_CONFIGMAPS: readonly (readonly [namespace: string, name: string])[] = [
  ['kube-system', 'kubelet-config'],
  ['kube-system', 'kube-proxy'],
  ['kube-system', 'kubeadm-config'],
  ['kube-system', 'amazon-vpc-cni'],
];

export class Snapshot {
  readonly config: CheckConfig;
  readonly version?: ClusterVersion;
  readonly kubeconfig?: KubeconfigInfo;
  readonly clusterInfo?: ConfigMap | null;
  readonly files?: SourceFiles;
  readonly namespaces?: readonly string[];
  /** When the data was collected (ISO-8601), if known. */
  readonly collectedAt?: string;
  /** Offline manifest scans: each object's file and line (see `sourceOf`). */
  readonly sources?: ReadonlyMap<object, SourceLocation>;
  readonly #systemConfigMaps?: ReadonlyMap<string, ConfigMap | null>;
  readonly #lists: Partial<Record<ResourceName, readonly K8sObject[]>>;
  readonly #errors: Partial<Record<DataNeed, DataError>>;
  readonly #systemNamespaces: readonly string[];
  #byUid?: Map<string, K8sObject>;
  #workloads?: readonly Workload[];
  #sourceIndex?: Map<string, SourceLocation>;

  constructor(input: SnapshotInput) {
    this.config = input.config ?? DEFAULT_CHECK_CONFIG;
    this.#lists = input.lists ?? {};
    this.#errors = input.errors ?? {};
    this.version = input.version;
    this.kubeconfig = input.kubeconfig;
    this.clusterInfo = input.clusterInfo;
    this.#systemConfigMaps = input.systemConfigMaps;
    this.files = input.files;
    this.sources = input.sources;
    this.namespaces = input.namespaces;
    this.collectedAt = input.collectedAt;
    this.#systemNamespaces = input.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES;
  }

  /** The collected list, or empty when it was not collected (see `has`). */
  list<T extends K8sObject = K8sObject>(name: ResourceName): readonly T[] {
    return (this.#lists[name] ?? []) as readonly T[];
  }

  /** True when the data was collected without error. */
  has(need: DataNeed): boolean {
    if (this.#errors[need]) return false;
    switch (need) {
      case 'version': return this.version !== undefined;
      case 'kubeconfig': return this.kubeconfig !== undefined;
      case 'cluster-info': return this.clusterInfo !== undefined;
      case 'system-configmaps': return this.#systemConfigMaps !== undefined;
      case 'files': return this.files !== undefined;
      default: return this.#lists[need] !== undefined;
    }
  }

  /**
   * One D-CM-SYS ConfigMap (SYSTEM_CONFIGMAPS): the object, `null` when the cluster has none,
   * `undefined` when `system-configmaps` was not collected (or could not be read).
   */
  systemConfigMap(namespace: string, name: string): ConfigMap | null | undefined {
    if (!this.has('system-configmaps')) return undefined;
    return this.#systemConfigMaps?.get(`${namespace}/${name}`) ?? null;
  }

  error(need: DataNeed): DataError | undefined {
    return this.#errors[need];
  }

  /** Every need that failed, for the report's notices. */
  errors(): readonly (readonly [DataNeed, DataError])[] {
    return Object.entries(this.#errors) as [DataNeed, DataError][];
  }

  isSystemNamespace(namespace: string | undefined): boolean {
    if (namespace === undefined) return false;
    return this.#systemNamespaces.some((entry) =>
      entry.endsWith('*') ? namespace.startsWith(entry.slice(0, -1)) : namespace === entry,
    );
  }

  byUid(uid: string): K8sObject | undefined {
    if (!this.#byUid) {
      const index = new Map<string, K8sObject>();
      for (const name of OWNER_LISTS) {
        for (const obj of this.list(name)) if (obj.metadata?.uid) index.set(obj.metadata.uid, obj);
      }
      this.#byUid = index;
    }
    return this.#byUid.get(uid);
  }

  /** Offline manifest scans: the file and line of the object `Kind` `namespace/name`, when known. */
  sourceOf(kind: string, namespace: string | undefined, name: string): SourceLocation | undefined {
    if (!this.sources) return undefined;
    if (!this.#sourceIndex) {
      const index = new Map<string, SourceLocation>();
      for (const [obj, location] of this.sources) {
        const o = obj as K8sObject;
        const key = `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
        if (!index.has(key)) index.set(key, location);
      }
      this.#sourceIndex = index;
    }
    // Manifests often leave the namespace out; a check may name such an object in `default`.
    return this.#sourceIndex.get(`${kind}/${namespace ?? ''}/${name}`)
      ?? (namespace === 'default' ? this.#sourceIndex.get(`${kind}//${name}`) : undefined);
  }

  /** Workloads at their top owner: from live pods, and from templates of controllers with none. */
  workloads(): readonly Workload[] {
    this.#workloads ??= resolveWorkloads(this);
    return this.#workloads;
  }
}

interface Top {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly object?: K8sObject;
  readonly isStatic: boolean;
}

/** Follow controller owner references upwards; stop at Node (static pod) or an unreadable owner. */
function topOwner(snapshot: Snapshot, pod: Pod): { top: Top; revisionKey: string } {
  const namespace = pod.metadata?.namespace ?? '';
  const first = controllerOf(pod.metadata);
  if (!first || first.kind === 'Node') {
    return {
      top: { kind: 'Pod', namespace, name: pod.metadata?.name ?? '', uid: pod.metadata?.uid, object: pod, isStatic: first?.kind === 'Node' || isStaticPod(pod) },
      revisionKey: pod.metadata?.uid ?? pod.metadata?.name ?? '',
    };
  }
  // A revision is the immediate controller (a ReplicaSet is one Deployment revision) plus
  // the revision label that StatefulSets and DaemonSets put on their pods.
  const labels = pod.metadata?.labels ?? {};
  const revisionKey = `${first.uid}|${labels['controller-revision-hash'] ?? labels['pod-template-hash'] ?? ''}`;
  let ref: OwnerReference = first;
  const seen = new Set<string>();
  for (;;) {
    const owner = snapshot.byUid(ref.uid);
    if (!owner || seen.has(ref.uid)) {
      return { top: { kind: ref.kind, namespace, name: ref.name, uid: ref.uid, isStatic: false }, revisionKey };
    }
    seen.add(ref.uid);
    const next = controllerOf(owner.metadata);
    if (!next) {
      return { top: { kind: owner.kind ?? ref.kind, namespace, name: owner.metadata?.name ?? ref.name, uid: ref.uid, object: owner, isStatic: false }, revisionKey };
    }
    ref = next;
  }
}

function revisionOrder(snapshot: Snapshot, revisionKey: string, pods: readonly Pod[]): number {
  // Deployments number their ReplicaSets; otherwise the newest pod wins.
  const rsUid = revisionKey.split('|')[0] ?? '';
  const rs = snapshot.byUid(rsUid);
  const revision = Number(rs?.metadata?.annotations?.['deployment.kubernetes.io/revision']);
  if (Number.isFinite(revision)) return revision * 1e13;
  return Math.max(0, ...pods.map((p) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0));
}

function resolveWorkloads(snapshot: Snapshot): readonly Workload[] {
  interface Group { top: Top; revisions: Map<string, Pod[]> }
  const groups = new Map<string, Group>();
  for (const pod of snapshot.list<Pod>('pods')) {
    if (!isLive(pod) || !pod.spec) continue;
    const { top, revisionKey } = topOwner(snapshot, pod);
    const id = top.uid ?? `${top.kind}/${top.namespace}/${top.name}`;
    let group = groups.get(id);
    if (!group) {
      group = { top, revisions: new Map() };
      groups.set(id, group);
    }
    const pods = group.revisions.get(revisionKey);
    if (pods) pods.push(pod);
    else group.revisions.set(revisionKey, [pod]);
  }

  const workloads: Workload[] = [];
  for (const { top, revisions } of groups.values()) {
    const ordered = [...revisions.entries()]
      .map(([key, pods]) => ({ order: revisionOrder(snapshot, key, pods), pods }))
      .sort((a, b) => b.order - a.order);
    const meta = top.object?.metadata;
    workloads.push({
      kind: top.kind,
      namespace: top.namespace,
      name: top.name,
      uid: top.uid,
      labels: meta?.labels ?? {},
      annotations: meta?.annotations ?? {},
      specPath: podSpecPath(top.kind),
      source: 'pods',
      replicas: ordered.reduce((n, r) => n + r.pods.length, 0),
      revisions: ordered.map(({ pods }) => {
        const pod = pods[0] as Pod;
        return { spec: pod.spec as PodSpec, meta: pod.metadata ?? {}, pods: pods.length };
      }),
      isStatic: top.isStatic,
    });
  }

  // Controllers with no live pod (scaled to zero, CronJobs between runs): their template.
  const covered = new Set(groups.keys());
  for (const name of TOP_LEVEL_KINDS) {
    for (const obj of snapshot.list<Workloadish>(name)) {
      const uid = obj.metadata?.uid;
      if (uid && covered.has(uid)) continue;
      const parent = controllerOf(obj.metadata);
      if (parent && snapshot.byUid(parent.uid)) continue; // reported at its owner
      const template = templateOf(obj);
      if (!template?.spec) continue;
      workloads.push({
        kind: obj.kind ?? 'Unknown',
        namespace: obj.metadata?.namespace ?? '',
        name: obj.metadata?.name ?? '',
        uid,
        labels: obj.metadata?.labels ?? {},
        annotations: obj.metadata?.annotations ?? {},
        specPath: podSpecPath(obj.kind ?? ''),
        source: 'template',
        replicas: 0,
        revisions: [{ spec: template.spec, meta: template.metadata ?? {}, pods: 0 }],
        isStatic: false,
      });
    }
  }
  return workloads.sort((a, b) =>
    a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
