/**
 * Pods and pod templates as the API server returns them: API defaults applied to templates,
 * and on live pods the scheduler's node, the service-account token volume, default
 * tolerations, and a realistic status (container statuses with image digests, IPs, QoS).
 */
import type { Container, K8sObject, ObjectMeta, PodSpec } from '../engine/k8s.js';
import { DemoContext, iso, ownerRef, type DemoNode, type Labels, type Obj } from './context.js';

export interface MetaParams {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly createdMs: number;
  readonly owner?: K8sObject;
  readonly generateName?: string;
  readonly generation?: number;
}

/** Object metadata while it is being built. */
export type Meta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] } & Obj;

/** `metadata` of a stored object; `resourceVersion` is stamped when the cluster is finished. */
export function meta(ctx: DemoContext, p: MetaParams): Meta {
  const m: Obj = { name: p.name };
  if (p.generateName !== undefined) m['generateName'] = p.generateName;
  if (p.namespace !== undefined) m['namespace'] = p.namespace;
  m['uid'] = ctx.uid();
  if (p.generation !== undefined) m['generation'] = p.generation;
  m['creationTimestamp'] = iso(p.createdMs);
  if (p.labels && Object.keys(p.labels).length > 0) m['labels'] = { ...p.labels };
  if (p.annotations && Object.keys(p.annotations).length > 0) m['annotations'] = { ...p.annotations };
  if (p.owner) m['ownerReferences'] = [ownerRef(p.owner)];
  return m as Meta;
}

// ---------------------------------------------------------------------------- images

export interface ImageRef {
  /** Fully qualified repository, e.g. `docker.io/library/nginx`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses an image reference the way container runtimes normalise it. */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const path = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  const first = path.split('/')[0] ?? '';
  const hasRegistry = path.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = hasRegistry ? path : `docker.io/${path}`;
  if (!hasRegistry && !path.includes('/')) repository = `docker.io/library/${path}`;
  return { repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

function pullPolicy(image: string): string {
  const ref = parseImage(image);
  if (ref.digest) return 'IfNotPresent';
  return ref.tag === undefined || ref.tag === 'latest' ? 'Always' : 'IfNotPresent';
}

// ---------------------------------------------------------------------------- spec defaults

function defaultContainer(c: Container): Container {
  const out: Obj = { ...c };
  if (c.image !== undefined && c.imagePullPolicy === undefined) out['imagePullPolicy'] = pullPolicy(c.image);
  out['terminationMessagePath'] ??= '/dev/termination-log';
  out['terminationMessagePolicy'] ??= 'File';
  if (c.ports) out['ports'] = c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
  out['resources'] = defaultResources(c.resources);
  return out as unknown as Container;
}

/** The API copies limits into missing requests. */
function defaultResources(r: Container['resources']): Obj {
  if (!r) return {};
  const limits = r.limits ?? {};
  const requests: Record<string, string | number> = { ...(r.requests ?? {}) };
  for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
  const out: Obj = {};
  if (Object.keys(limits).length > 0) out['limits'] = { ...limits };
  if (Object.keys(requests).length > 0) out['requests'] = requests;
  return out;
}

/** API defaults that templates and pods share. */
export function templateSpec(spec: PodSpec): PodSpec {
  const out: Obj = { ...spec };
  out['containers'] = (spec.containers ?? []).map(defaultContainer);
  if (spec.initContainers) out['initContainers'] = spec.initContainers.map(defaultContainer);
  out['restartPolicy'] ??= 'Always';
  out['terminationGracePeriodSeconds'] ??= 30;
  out['dnsPolicy'] ??= spec.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst';
  out['securityContext'] ??= {};
  out['schedulerName'] ??= 'default-scheduler';
  if (spec.serviceAccountName !== undefined) out['serviceAccount'] = spec.serviceAccountName;
  return out as PodSpec;
}

export function podTemplate(labels: Labels, spec: PodSpec, annotations?: Labels): Obj {
  const m: Obj = { creationTimestamp: null, labels: { ...labels } };
  if (annotations) m['annotations'] = { ...annotations };
  return { metadata: m, spec: templateSpec(spec) };
}

const NOT_READY_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export const DAEMONSET_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The token volume the ServiceAccount admission plugin adds when automounting is on. */
function apiAccessVolume(ctx: DemoContext): { volume: Obj; mount: { name: string; mountPath: string; readOnly: boolean } } {
  const name = `kube-api-access-${ctx.rng.suffix()}`;
  return {
    volume: {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
        ],
      },
    },
    mount: { name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
  };
}

export interface PodParams {
  readonly namespace: string;
  readonly name: string;
  readonly generateName?: string;
  readonly labels: Labels;
  readonly annotations?: Labels;
  /** Controller (ReplicaSet, Job, …) or the Node of a mirror pod; absent for a bare pod. */
  readonly owner?: K8sObject;
  /** The defaulted template spec (see templateSpec). */
  readonly spec: PodSpec;
  readonly node: DemoNode;
  readonly createdMs: number;
  readonly phase?: 'Running' | 'Succeeded';
  readonly restarts?: number;
  /** Mirror pods of static manifests: no service account, no admission-added fields. */
  readonly staticPod?: boolean;
  readonly tolerations?: readonly Obj[];
  readonly affinity?: Obj;
  readonly hostname?: string;
  readonly subdomain?: string;
}

/** A live pod bound to a node, with admission/scheduler additions and status. */
export function pod(ctx: DemoContext, p: PodParams): K8sObject {
  const spec: Obj = { ...templateSpec(p.spec) };
  const hostNetwork = p.spec.hostNetwork === true;
  const withHostPorts = (c: Container): Container =>
    hostNetwork && c.ports ? { ...c, ports: c.ports.map((port) => ({ ...port, hostPort: port.hostPort ?? port.containerPort })) } : c;
  let containers = (spec['containers'] as Container[]).map(withHostPorts);
  let initContainers = spec['initContainers'] as Container[] | undefined;

  if (!p.staticPod) {
    const saName = p.spec.serviceAccountName ?? 'default';
    const sa = ctx.find('ServiceAccount', p.namespace, saName);
    if (!sa) throw new Error(`demo: pod ${p.namespace}/${p.name} uses missing ServiceAccount ${saName}`);
    spec['serviceAccountName'] = saName;
    spec['serviceAccount'] = saName;
    const automount = p.spec.automountServiceAccountToken ?? (sa['automountServiceAccountToken'] as boolean | undefined) ?? true;
    if (automount) {
      const { volume, mount } = apiAccessVolume(ctx);
      const addMount = (c: Container): Container => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), mount] });
      containers = containers.map(addMount);
      initContainers = initContainers?.map(addMount);
      spec['volumes'] = [...(p.spec.volumes ?? []), volume];
    }
    spec['enableServiceLinks'] ??= true;
    spec['preemptionPolicy'] ??= 'PreemptLowerPriority';
    spec['priority'] ??= priorityOf(p.spec.priorityClassName as string | undefined);
    const base = p.tolerations ?? (p.spec.tolerations as Obj[] | undefined) ?? [];
    spec['tolerations'] = [...base, ...missing(NOT_READY_TOLERATIONS, base)];
  } else {
    spec['priority'] = priorityOf(p.spec.priorityClassName as string | undefined);
    spec['tolerations'] = [{ operator: 'Exists', effect: 'NoExecute' }];
    spec['enableServiceLinks'] = true;
    spec['preemptionPolicy'] = 'PreemptLowerPriority';
  }
  spec['containers'] = containers;
  if (initContainers) spec['initContainers'] = initContainers;
  if (p.affinity) spec['affinity'] = p.affinity;
  if (p.hostname) spec['hostname'] = p.hostname;
  if (p.subdomain) spec['subdomain'] = p.subdomain;
  spec['nodeName'] = p.node.name;

  const podIP = hostNetwork ? p.node.internalIP : ctx.podIP(p.node);
  // A pod cannot be scheduled before its node joined the cluster.
  const createdMs = Math.max(p.createdMs, p.node.createdMs + 60_000);
  const metadata = meta(ctx, {
    name: p.name,
    namespace: p.namespace,
    labels: p.labels,
    createdMs,
    ...(p.generateName !== undefined && { generateName: p.generateName }),
    ...(p.annotations !== undefined && { annotations: p.annotations }),
    ...(p.owner !== undefined && { owner: p.owner }),
  });
  if (p.staticPod && p.owner) {
    // The kubelet sets a controller reference to its Node, without blockOwnerDeletion.
    const { blockOwnerDeletion: _unused, ...ref } = ownerRef(p.owner);
    metadata['ownerReferences'] = [ref];
  }

  const finalSpec = spec as PodSpec;
  return ctx.add({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: finalSpec,
    status: podStatus(ctx, finalSpec, { ...p, createdMs }, podIP),
  } as K8sObject);
}

function missing(defaults: readonly Obj[], present: readonly Obj[]): Obj[] {
  return defaults.filter((d) => !present.some((t) => t['key'] === d['key'] && t['effect'] === d['effect']));
}

function priorityOf(className: string | undefined): number {
  if (className === 'system-node-critical') return 2000001000;
  if (className === 'system-cluster-critical') return 2000000000;
  return 0;
}

// ---------------------------------------------------------------------------- status

/** QoS class as the API computes it from requests and limits. */
export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    for (const res of ['cpu', 'memory']) {
      if (limits[res] !== undefined || requests[res] !== undefined) any = true;
      if (limits[res] === undefined || (requests[res] !== undefined && String(requests[res]) !== String(limits[res]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function containerStatus(ctx: DemoContext, c: Container, state: 'running' | 'completed' | 'init-done', startedMs: number, restarts: number): Obj {
  const ref = parseImage(c.image ?? '');
  const tagged = `${ref.repository}:${ref.tag ?? 'latest'}`;
  const digest = ref.digest ?? ctx.digest(tagged);
  const containerID = `containerd://${ctx.rng.hex(64)}`;
  const status: Obj = {
    name: c.name,
    image: ref.digest ? `${ref.repository}@${ref.digest}` : tagged,
    imageID: `${ref.repository}@${digest}`,
    containerID,
  };
  if (state === 'running') {
    status['ready'] = true;
    status['restartCount'] = restarts;
    status['started'] = true;
    status['state'] = { running: { startedAt: iso(startedMs + restarts * 3_600_000) } };
    status['lastState'] =
      restarts > 0
        ? { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: iso(startedMs), finishedAt: iso(startedMs + restarts * 3_600_000 - 5000), containerID: `containerd://${ctx.rng.hex(64)}` } }
        : {};
  } else {
    status['ready'] = state === 'init-done';
    status['restartCount'] = 0;
    status['started'] = false;
    const finishedMs = startedMs + (state === 'completed' ? ctx.rng.int(20, 600) : ctx.rng.int(1, 5)) * 1000;
    status['state'] = { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(startedMs), finishedAt: iso(finishedMs), containerID } };
    status['lastState'] = {};
  }
  return status;
}

function podStatus(ctx: DemoContext, spec: PodSpec, p: PodParams, podIP: string): Obj {
  const phase = p.phase ?? 'Running';
  const startMs = p.createdMs + 1000;
  const runMs = startMs + ctx.rng.int(2, 40) * 1000;
  const t = (ms: number) => iso(ms);
  const done = phase === 'Succeeded';
  const conditions: Obj[] = [
    { type: 'PodReadyToStartContainers', status: done ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: t(runMs) },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t(runMs), ...(done && { reason: 'PodCompleted' }) },
    { type: 'Ready', status: done ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: t(runMs + 5000), ...(done && { reason: 'PodCompleted' }) },
    { type: 'ContainersReady', status: done ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: t(runMs + 5000), ...(done && { reason: 'PodCompleted' }) },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t(p.createdMs) },
  ];
  const status: Obj = {
    phase,
    conditions,
    hostIP: p.node.internalIP,
    hostIPs: [{ ip: p.node.internalIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: t(startMs),
  };
  if (spec.initContainers?.length) {
    status['initContainerStatuses'] = spec.initContainers.map((c) => containerStatus(ctx, c, 'init-done', startMs, 0));
  }
  status['containerStatuses'] = (spec.containers ?? []).map((c) =>
    containerStatus(ctx, c, done ? 'completed' : 'running', runMs, done ? 0 : (p.restarts ?? 0)),
  );
  status['qosClass'] = qosClass(spec);
  return status;
}
