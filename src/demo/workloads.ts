/**
 * Controllers and the objects they own, built the way the controllers would have left them:
 * Deployment → ReplicaSets (one per revision, with pod-template-hash) → Pods; StatefulSet,
 * DaemonSet and ReplicationController → Pods; CronJob → Jobs → Pods.
 */
import type { K8sObject, PodSpec } from '../engine/k8s.js';
import { DEMO_NOW, iso, type DemoContext, type DemoNode, type Labels, type Obj } from './context.js';
import { DAEMONSET_TOLERATIONS, meta, pod, podTemplate, templateSpec } from './pods.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface WorkloadParams {
  readonly namespace: string;
  readonly name: string;
  /** Selector labels (also on the pods). Default `{ app: name }`. */
  readonly selector?: Labels;
  /** Labels of the controller object. Default: the selector labels. */
  readonly labels?: Labels;
  /** Extra pod-template labels beyond the selector. */
  readonly podLabels?: Labels;
  readonly annotations?: Labels;
  readonly podAnnotations?: Labels;
  readonly spec: PodSpec;
  /** Creation time window, in days before DEMO_NOW. */
  readonly ageDays?: readonly [number, number];
  /** Highest container restart count a pod may show. */
  readonly maxRestarts?: number;
}

function basics(ctx: DemoContext, p: WorkloadParams) {
  const selector = p.selector ?? { app: p.name };
  const age = p.ageDays ?? [20, 300];
  return {
    selector,
    labels: p.labels ?? selector,
    podLabels: { ...selector, ...p.podLabels },
    createdMs: ctx.agoMs(age[0], age[1]),
  };
}

/** Spreads replicas over the worker nodes, starting at a random node. */
function spread(ctx: DemoContext, count: number, nodes: readonly DemoNode[] = ctx.workers()): DemoNode[] {
  const start = ctx.rng.int(0, nodes.length - 1);
  return Array.from({ length: count }, (_, i) => nodes[(start + i) % nodes.length] as DemoNode);
}

function restarts(ctx: DemoContext, p: WorkloadParams): number {
  const max = p.maxRestarts ?? 0;
  return max > 0 && ctx.rng.chance(0.4) ? ctx.rng.int(1, max) : 0;
}

/** Some time between `fromMs` and now, never later than one minute before DEMO_NOW. */
function between(ctx: DemoContext, fromMs: number, share = 1): number {
  const span = Math.max(0, DEMO_NOW - MINUTE - fromMs) * share;
  return fromMs + Math.floor((ctx.rng.float() * span) / 1000) * 1000;
}

// ---------------------------------------------------------------------------- Deployment

export interface DeploymentParams extends WorkloadParams {
  readonly replicas: number;
  /** Older revisions, oldest first; each keeps `running` pods (default 0: scaled down). */
  readonly history?: readonly { readonly spec: PodSpec; readonly running?: number }[];
}

export function deployment(ctx: DemoContext, p: DeploymentParams): K8sObject {
  const { selector, labels, podLabels, createdMs } = basics(ctx, p);
  const revisions = [...(p.history ?? []), { spec: p.spec, running: p.replicas }];
  const latest = revisions.length;
  const running = revisions.reduce((n, r) => n + (r.running ?? 0), 0);
  const rolledAt = revisions.map((_, i) => (i === 0 ? createdMs : between(ctx, createdMs, (i / latest) * 0.95)));
  rolledAt.sort((a, b) => a - b);
  const progressMs = rolledAt[latest - 1] ?? createdMs;

  const deploy = ctx.add({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(ctx, {
      name: p.name,
      namespace: p.namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': String(latest), ...p.annotations },
      createdMs,
      generation: latest + (p.replicas === 0 ? 1 : 0),
    }),
    spec: {
      replicas: p.replicas,
      selector: { matchLabels: selector },
      template: podTemplate(podLabels, p.spec, p.podAnnotations),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: latest + (p.replicas === 0 ? 1 : 0),
      ...(running > 0 && { replicas: running, updatedReplicas: p.replicas, readyReplicas: running, availableReplicas: running }),
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: iso(progressMs + MINUTE), lastTransitionTime: iso(createdMs + MINUTE), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: iso(progressMs + MINUTE), lastTransitionTime: iso(createdMs), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${p.name}-…" has successfully progressed.` },
      ],
    },
  });

  let newest = '';
  revisions.forEach((rev, i) => {
    const hash = ctx.rng.suffix(10);
    const rsName = `${p.name}-${hash}`;
    const rsCreated = rolledAt[i] ?? createdMs;
    const keep = rev.running ?? 0;
    const rs = ctx.add({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(ctx, {
        name: rsName,
        namespace: p.namespace,
        labels: { ...podLabels, 'pod-template-hash': hash },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(p.replicas),
          'deployment.kubernetes.io/max-replicas': String(p.replicas + Math.ceil(p.replicas / 4)),
          'deployment.kubernetes.io/revision': String(i + 1),
        },
        createdMs: rsCreated,
        owner: deploy,
        generation: keep === 0 && i < latest - 1 ? 2 : 1,
      }),
      spec: {
        replicas: keep,
        selector: { matchLabels: { ...selector, 'pod-template-hash': hash } },
        template: podTemplate({ ...podLabels, 'pod-template-hash': hash }, rev.spec, p.podAnnotations),
      },
      status:
        keep > 0
          ? { replicas: keep, fullyLabeledReplicas: keep, readyReplicas: keep, availableReplicas: keep, observedGeneration: 1 }
          : { replicas: 0, observedGeneration: keep === 0 && i < latest - 1 ? 2 : 1 },
    });
    if (i === latest - 1) newest = rsName;
    const spec = templateSpec(rev.spec);
    spread(ctx, keep).forEach((node) => {
      pod(ctx, {
        namespace: p.namespace,
        name: `${rsName}-${ctx.rng.suffix()}`,
        generateName: `${rsName}-`,
        labels: { ...podLabels, 'pod-template-hash': hash },
        ...(p.podAnnotations !== undefined && { annotations: p.podAnnotations }),
        owner: rs,
        spec,
        node,
        createdMs: between(ctx, rsCreated, 0.5),
        restarts: restarts(ctx, p),
      });
    });
  });
  const progressing = ((deploy['status'] as Obj)['conditions'] as Obj[])[1] as Obj;
  progressing['message'] = `ReplicaSet "${newest}" has successfully progressed.`;
  return deploy;
}

// ---------------------------------------------------------------------------- StatefulSet

export interface StatefulSetParams extends WorkloadParams {
  readonly replicas: number;
  readonly serviceName: string;
  /** PersistentVolumeClaim templates: name and size. */
  readonly claims?: readonly { readonly name: string; readonly storage: string }[];
}

export function statefulSet(ctx: DemoContext, p: StatefulSetParams): K8sObject {
  const { selector, labels, podLabels, createdMs } = basics(ctx, p);
  const revision = `${p.name}-${ctx.rng.hex(10)}`;
  const claims = (p.claims ?? []).map((c) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: c.name, creationTimestamp: null },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: c.storage } }, storageClassName: 'gp3', volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  }));
  const sts = ctx.add({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(ctx, { name: p.name, namespace: p.namespace, labels, createdMs, generation: 1, ...(p.annotations && { annotations: p.annotations }) }),
    spec: {
      replicas: p.replicas,
      selector: { matchLabels: selector },
      serviceName: p.serviceName,
      template: podTemplate(podLabels, p.spec, p.podAnnotations),
      ...(claims.length > 0 && { volumeClaimTemplates: claims }),
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      minReadySeconds: 0,
    },
    status: {
      observedGeneration: 1,
      replicas: p.replicas,
      readyReplicas: p.replicas,
      currentReplicas: p.replicas,
      updatedReplicas: p.replicas,
      availableReplicas: p.replicas,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    },
  });
  const spec = templateSpec(p.spec);
  spread(ctx, p.replicas).forEach((node, i) => {
    const name = `${p.name}-${i}`;
    const volumes = [...(spec.volumes ?? []), ...(p.claims ?? []).map((c) => ({ name: c.name, persistentVolumeClaim: { claimName: `${c.name}-${name}` } }))];
    pod(ctx, {
      namespace: p.namespace,
      name,
      generateName: `${p.name}-`,
      labels: { ...podLabels, 'apps.kubernetes.io/pod-index': String(i), 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name },
      owner: sts,
      spec: { ...spec, volumes },
      node,
      createdMs: between(ctx, createdMs, 0.3) + i * MINUTE,
      hostname: name,
      subdomain: p.serviceName,
      restarts: restarts(ctx, p),
    });
  });
  return sts;
}

// ---------------------------------------------------------------------------- DaemonSet

export interface DaemonSetParams extends WorkloadParams {
  /** Tolerates the control-plane taint (runs on every node), else workers only. */
  readonly everyNode: boolean;
}

export function daemonSet(ctx: DemoContext, p: DaemonSetParams): K8sObject {
  const { selector, labels, podLabels, createdMs } = basics(ctx, p);
  const nodes = p.everyNode ? ctx.nodes : ctx.workers();
  const revisionHash = ctx.rng.suffix(10);
  const ds = ctx.add({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(ctx, {
      name: p.name,
      namespace: p.namespace,
      labels,
      annotations: { 'deprecated.daemonset.template.generation': '1', ...p.annotations },
      createdMs,
      generation: 1,
    }),
    spec: {
      selector: { matchLabels: selector },
      template: podTemplate(podLabels, p.spec, p.podAnnotations),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: nodes.length,
      desiredNumberScheduled: nodes.length,
      numberAvailable: nodes.length,
      numberMisscheduled: 0,
      numberReady: nodes.length,
      observedGeneration: 1,
      updatedNumberScheduled: nodes.length,
    },
  });
  const spec = templateSpec(p.spec);
  const extra = spec.hostNetwork ? [{ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }] : [];
  const own = (spec.tolerations as Obj[] | undefined) ?? [];
  for (const node of nodes) {
    const podName = `${p.name}-${ctx.rng.suffix()}`;
    pod(ctx, {
      namespace: p.namespace,
      name: podName,
      generateName: `${p.name}-`,
      labels: { ...podLabels, 'controller-revision-hash': revisionHash, 'pod-template-generation': '1' },
      owner: ds,
      spec,
      node,
      createdMs: Math.max(createdMs, node.createdMs) + ctx.rng.int(5, 90) * 1000,
      tolerations: [...own, ...DAEMONSET_TOLERATIONS, ...extra],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.name] }] }],
          },
        },
      },
      restarts: restarts(ctx, p),
    });
  }
  return ds;
}

// ---------------------------------------------------------------------------- Jobs

export interface JobParams extends WorkloadParams {
  readonly parallelism?: number;
  readonly state: 'running' | 'complete';
  readonly backoffLimit?: number;
  readonly ttlSecondsAfterFinished?: number;
}

interface JobBuild {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly annotations?: Labels;
  readonly spec: PodSpec;
  readonly owner?: K8sObject;
  readonly createdMs: number;
  readonly parallelism: number;
  readonly state: 'running' | 'complete';
  readonly backoffLimit: number;
  readonly ttlSecondsAfterFinished?: number;
}

function buildJob(ctx: DemoContext, b: JobBuild): K8sObject {
  const uid = ctx.uid();
  const jobLabels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': b.name, 'controller-uid': uid, 'job-name': b.name };
  const podLabels = { ...b.labels, ...jobLabels };
  const spec = templateSpec({ ...b.spec, restartPolicy: b.spec.restartPolicy ?? 'Never' });
  const startMs = b.createdMs + 1000;
  const finishMs = startMs + ctx.rng.int(30, 900) * 1000;
  const complete = b.state === 'complete';
  const metadata = meta(ctx, {
    name: b.name,
    namespace: b.namespace,
    labels: { ...b.labels, ...jobLabels },
    createdMs: b.createdMs,
    generation: 1,
    ...(b.annotations && { annotations: b.annotations }),
    ...(b.owner && { owner: b.owner }),
  });
  metadata['uid'] = uid;
  const job = ctx.add({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      parallelism: b.parallelism,
      completions: b.parallelism,
      backoffLimit: b.backoffLimit,
      ...(b.ttlSecondsAfterFinished !== undefined && { ttlSecondsAfterFinished: b.ttlSecondsAfterFinished }),
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      manualSelector: false,
      template: { metadata: { creationTimestamp: null, labels: podLabels }, spec },
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    },
    status: complete
      ? {
          conditions: [
            { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: iso(finishMs), lastTransitionTime: iso(finishMs), reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
            { type: 'Complete', status: 'True', lastProbeTime: iso(finishMs), lastTransitionTime: iso(finishMs), reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
          ],
          startTime: iso(startMs),
          completionTime: iso(finishMs),
          succeeded: b.parallelism,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
        }
      : { active: b.parallelism, ready: b.parallelism, startTime: iso(startMs), terminating: 0, uncountedTerminatedPods: {} },
  });
  spread(ctx, b.parallelism).forEach((node) => {
    pod(ctx, {
      namespace: b.namespace,
      name: `${b.name}-${ctx.rng.suffix()}`,
      generateName: `${b.name}-`,
      labels: podLabels,
      owner: job,
      spec,
      node,
      createdMs: b.createdMs,
      phase: complete ? 'Succeeded' : 'Running',
    });
  });
  return job;
}

/** A Job not created by a CronJob (a one-off run or a Helm hook). */
export function job(ctx: DemoContext, p: JobParams): K8sObject {
  const { podLabels, labels, createdMs } = basics(ctx, { ...p, selector: p.selector ?? {} });
  return buildJob(ctx, {
    namespace: p.namespace,
    name: p.name,
    labels: { ...labels, ...podLabels },
    spec: p.spec,
    createdMs,
    parallelism: p.parallelism ?? 1,
    state: p.state,
    backoffLimit: p.backoffLimit ?? 6,
    ...(p.annotations && { annotations: p.annotations }),
    ...(p.ttlSecondsAfterFinished !== undefined && { ttlSecondsAfterFinished: p.ttlSecondsAfterFinished }),
  });
}

// ---------------------------------------------------------------------------- CronJob

export interface CronJobParams extends WorkloadParams {
  readonly schedule: string;
  /** Period of the schedule in minutes, used to place past runs. */
  readonly everyMinutes: number;
  /** Offset of the run within its period, in minutes. */
  readonly atMinute?: number;
  /** Completed runs still kept (successfulJobsHistoryLimit); 0: never ran yet. */
  readonly runs: number;
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
}

export function cronJob(ctx: DemoContext, p: CronJobParams): K8sObject {
  const { labels, podLabels, createdMs } = basics(ctx, { ...p, selector: p.selector ?? {} });
  const period = p.everyMinutes * MINUTE;
  const offset = (p.atMinute ?? 0) * MINUTE;
  const lastRun = Math.floor((DEMO_NOW - offset) / period) * period + offset;
  const runTimes = Array.from({ length: p.runs }, (_, i) => lastRun - (p.runs - 1 - i) * period);
  const created = p.runs > 0 ? Math.min(createdMs, (runTimes[0] ?? DEMO_NOW) - DAY) : createdMs;
  const cj = ctx.add({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(ctx, { name: p.name, namespace: p.namespace, labels, createdMs: created, generation: 1, ...(p.annotations && { annotations: p.annotations }) }),
    spec: {
      schedule: p.schedule,
      concurrencyPolicy: p.concurrencyPolicy ?? 'Forbid',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { creationTimestamp: null, labels: podLabels },
        spec: {
          backoffLimit: 2,
          template: podTemplate(podLabels, { ...p.spec, restartPolicy: p.spec.restartPolicy ?? 'OnFailure' }, p.podAnnotations),
        },
      },
    },
    status: runTimes.length > 0 ? { lastScheduleTime: iso(lastRun), lastSuccessfulTime: iso(lastRun + 4 * MINUTE) } : {},
  });
  for (const runMs of runTimes) {
    buildJob(ctx, {
      namespace: p.namespace,
      name: `${p.name}-${Math.floor(runMs / MINUTE)}`,
      labels: podLabels,
      annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': iso(runMs) },
      spec: { ...p.spec, restartPolicy: p.spec.restartPolicy ?? 'OnFailure' },
      owner: cj,
      createdMs: runMs,
      parallelism: 1,
      state: 'complete',
      backoffLimit: 2,
    });
  }
  return cj;
}

// ---------------------------------------------------------------------------- ReplicationController, bare Pod

export interface ReplicationControllerParams extends WorkloadParams {
  readonly replicas: number;
}

export function replicationController(ctx: DemoContext, p: ReplicationControllerParams): K8sObject {
  const { selector, labels, podLabels, createdMs } = basics(ctx, p);
  const rc = ctx.add({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: meta(ctx, { name: p.name, namespace: p.namespace, labels, createdMs, generation: 1 }),
    spec: { replicas: p.replicas, selector, template: podTemplate(podLabels, p.spec, p.podAnnotations) },
    status: { replicas: p.replicas, fullyLabeledReplicas: p.replicas, readyReplicas: p.replicas, availableReplicas: p.replicas, observedGeneration: 1 },
  });
  const spec = templateSpec(p.spec);
  spread(ctx, p.replicas).forEach((node) => {
    pod(ctx, {
      namespace: p.namespace,
      name: `${p.name}-${ctx.rng.suffix()}`,
      generateName: `${p.name}-`,
      labels: podLabels,
      owner: rc,
      spec,
      node,
      createdMs: between(ctx, createdMs, 0.8),
      restarts: restarts(ctx, p),
    });
  });
  return rc;
}

/** A pod created directly (`kubectl run`), with no controller. */
export function barePod(ctx: DemoContext, p: WorkloadParams): K8sObject {
  const { podLabels, createdMs } = basics(ctx, { ...p, selector: p.selector ?? { run: p.name } });
  return pod(ctx, {
    namespace: p.namespace,
    name: p.name,
    labels: podLabels,
    spec: templateSpec(p.spec),
    node: spread(ctx, 1)[0] as DemoNode,
    createdMs,
    restarts: restarts(ctx, p),
  });
}
