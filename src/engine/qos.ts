/**
 * Resource requests/limits for the quality-of-service checks (CHECKS.md §3E): effective
 * values as admission would leave them (LimitRange defaults for templates, requests defaulted
 * from limits), the namespace's LimitRange defaults, and the `kubectl set resources` command.
 */
import { containerPatch, containersOf, describeWorkload, kindResource, visitWorkloads, workloadPatchCommand, type ContainerRef } from './helpers.js';
import type { Container, K8sObject, Namespace, Pod, PodSpec } from './k8s.js';
import { command } from './shell.js';
import type { Snapshot, Workload } from './snapshot.js';
import type { FindingDraft } from './types.js';

export type ComputeResource = 'cpu' | 'memory';

export interface LimitRange extends K8sObject {
  readonly spec?: {
    readonly limits?: readonly {
      readonly type?: string;
      readonly default?: Readonly<Record<string, string | number>>;
      readonly defaultRequest?: Readonly<Record<string, string | number>>;
      readonly max?: Readonly<Record<string, string | number>>;
      readonly min?: Readonly<Record<string, string | number>>;
    }[];
  };
}

/** Container defaults LimitRanges of a namespace apply at admission (first LimitRange naming a resource wins). */
export interface ContainerDefaults {
  readonly limits: Readonly<Partial<Record<ComputeResource, { readonly value: string; readonly from: string }>>>;
  readonly requests: Readonly<Partial<Record<ComputeResource, { readonly value: string; readonly from: string }>>>;
}

export function containerDefaults(snapshot: Snapshot, namespace: string): ContainerDefaults {
  const limits: Partial<Record<ComputeResource, { value: string; from: string }>> = {};
  const requests: Partial<Record<ComputeResource, { value: string; from: string }>> = {};
  const ranges = snapshot.list<LimitRange>('limitranges')
    .filter((lr) => lr.metadata?.namespace === namespace)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const lr of ranges) {
    for (const item of lr.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      for (const r of ['cpu', 'memory'] as const) {
        const from = lr.metadata?.name ?? '';
        if (item.default?.[r] !== undefined) limits[r] ??= { value: String(item.default[r]), from };
        if (item.defaultRequest?.[r] !== undefined) requests[r] ??= { value: String(item.defaultRequest[r]), from };
        // The LimitRanger defaults a missing request to the default limit when no defaultRequest is given.
        else if (item.default?.[r] !== undefined) requests[r] ??= { value: String(item.default[r]), from };
      }
    }
  }
  return { limits, requests };
}

/** A container's effective limit/request for `r` and where it comes from. */
export interface Effective {
  readonly value?: string;
  /** `spec` (written), `limit` (request defaulted from the limit), `limitrange:<name>` (template only). */
  readonly source?: string;
}

function get(c: Container, field: 'limits' | 'requests', r: ComputeResource): string | undefined {
  const v = c.resources?.[field]?.[r];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/**
 * Effective limit of one container. Live pods already carry admission defaults; for a template
 * (`fromTemplate`) the namespace LimitRange defaults are what admission will add.
 */
export function effectiveLimit(c: Container, r: ComputeResource, defaults: ContainerDefaults | undefined): Effective {
  const own = get(c, 'limits', r);
  if (own !== undefined) return { value: own, source: 'spec' };
  const d = defaults?.limits[r];
  return d ? { value: d.value, source: `limitrange:${d.from}` } : {};
}

/** Effective request: written, else the limit (API defaulting), else a template's LimitRange default. */
export function effectiveRequest(c: Container, r: ComputeResource, defaults: ContainerDefaults | undefined): Effective {
  const own = get(c, 'requests', r);
  if (own !== undefined) return { value: own, source: 'spec' };
  const limit = get(c, 'limits', r);
  if (limit !== undefined) return { value: limit, source: 'limit' };
  const d = defaults?.requests[r];
  return d ? { value: d.value, source: `limitrange:${d.from}` } : {};
}

/** Init containers with `restartPolicy: Always` are sidecars: they run as long as the pod. */
export function isSidecar(ref: ContainerRef): boolean {
  return ref.list === 'initContainers' && ref.container['restartPolicy'] === 'Always';
}

/** Regular and init containers (ephemeral containers have no resources). */
export function resourceContainers(spec: PodSpec): ContainerRef[] {
  return containersOf(spec).filter((ref) => ref.list !== 'ephemeralContainers');
}

/** Pod-level resources (PodLevelResources, beta in 1.34) that set `r`. */
export function podLevel(spec: PodSpec, field: 'limits' | 'requests', r: ComputeResource): string | undefined {
  const res = spec['resources'] as { limits?: Record<string, unknown>; requests?: Record<string, unknown> } | undefined;
  const v = res?.[field]?.[r];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/** QoS class as the API computes it, from the spec (requests defaulted from limits). */
export function qosClassOf(spec: PodSpec, defaults?: ContainerDefaults): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const refs = resourceContainers(spec);
  const resources = ['cpu', 'memory'] as const;
  const podAny = resources.some((r) => podLevel(spec, 'limits', r) !== undefined || podLevel(spec, 'requests', r) !== undefined);
  let any = podAny;
  let guaranteed = true;
  for (const { container } of refs) {
    for (const r of resources) {
      const limit = effectiveLimit(container, r, defaults).value;
      const request = effectiveRequest(container, r, defaults).value;
      if (limit !== undefined || request !== undefined) any = true;
      if (limit === undefined || request === undefined || !sameQuantity(limit, request)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed && !podAny ? 'Guaranteed' : 'Burstable';
}

/** Quantity equality for the common suffixes (`1` = `1000m`, `1Gi` = `1024Mi`). */
export function sameQuantity(a: string, b: string): boolean {
  const na = quantityValue(a);
  const nb = quantityValue(b);
  return na !== undefined && nb !== undefined ? Math.abs(na - nb) < 1e-9 * Math.max(1, Math.abs(na)) : a === b;
}

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function quantityValue(q: string): number | undefined {
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return undefined;
  return Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? 1);
}

/** Kinds `kubectl set resources` can change in place (their pod template is mutable). */
const SET_RESOURCES_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'CronJob']);

/**
 * `kubectl -n {ns} set resources {kind}/{name} [-c {container}] --limits=… --requests=…` for
 * regular containers of mutable templates; the R-WL patch (or export/replace) otherwise.
 */
export function setResourcesCommand(
  workload: Workload,
  ref: ContainerRef | undefined,
  values: { readonly limits?: Readonly<Record<string, string>>; readonly requests?: Readonly<Record<string, string>> },
): string {
  const flags: string[] = [];
  for (const field of ['limits', 'requests'] as const) {
    const entries = Object.entries(values[field] ?? {});
    if (entries.length > 0) flags.push(`--${field}=${entries.map(([k, v]) => `${k}=${v}`).join(',')}`);
  }
  if (SET_RESOURCES_KINDS.has(workload.kind) && (ref === undefined || ref.list === 'containers')) {
    const target = `${kindResource(workload.kind)}/${workload.name}`;
    const container = ref ? command` -c ${ref.container.name}` : '';
    return command`kubectl -n ${workload.namespace} set resources ${target}` + container + flags.map((f) => command` ${f}`).join('');
  }
  const resources = { ...(values.limits ? { limits: values.limits } : {}), ...(values.requests ? { requests: values.requests } : {}) };
  if (ref) return workloadPatchCommand(workload, containerPatch(ref, { resources }));
  const spec = workload.revisions[0]?.spec;
  const all = spec ? resourceContainers(spec).filter((r) => r.list === 'containers') : [];
  return workloadPatchCommand(workload, { containers: all.map((r) => ({ name: r.container.name, resources })) });
}

// ---------------------------------------------------------------------------- limit checks

export interface MissingLimitOptions {
  readonly resource: ComputeResource;
  readonly why: string;
  /** Suggested `--limits` value when nothing better is known. */
  readonly placeholder: string;
}

/**
 * cluster/memory-limit-missing and cluster/cpu-limit-missing: one finding per workload
 * container (regular and init) without `limits.<resource>`. Templates get the namespace's
 * LimitRange defaults first (admission adds them); live pods already carry them, so a live
 * container without a limit next to a LimitRange default predates it.
 */
export function missingLimitFindings(snapshot: Snapshot, o: MissingLimitOptions): { drafts: FindingDraft[]; coveredByLimitRange: number } {
  const r = o.resource;
  let covered = 0;
  const defaultsByNs = new Map<string, ContainerDefaults>();
  const defaultsOf = (ns: string) => {
    let d = defaultsByNs.get(ns);
    if (!d) defaultsByNs.set(ns, (d = containerDefaults(snapshot, ns)));
    return d;
  };
  const drafts = visitWorkloads(snapshot, (workload, revision) => {
    if (isFinishedJob(snapshot, workload)) return [];
    const nsDefaults = defaultsOf(workload.namespace);
    const templateDefaults = workload.source === 'template' ? nsDefaults : undefined;
    const out: FindingDraft[] = [];
    for (const ref of resourceContainers(revision.spec)) {
      if (effectiveLimit(ref.container, r, templateDefaults).value !== undefined) {
        if (get(ref.container, 'limits', r) === undefined) covered++;
        continue;
      }
      const name = ref.container.name;
      const path = `${workload.specPath}.${ref.list}[name=${name}].resources.limits.${r}`;
      const request = get(ref.container, 'requests', r);
      const lrDefault = nsDefaults.limits[r];
      const podLimit = podLevel(revision.spec, 'limits', r);
      const notes: string[] = [];
      if (lrDefault) notes.push(`LimitRange "${lrDefault.from}" now defaults it to ${lrDefault.value}, but these pods were admitted before — restart the workload to apply it`);
      if (podLimit) notes.push(`the pod-level limit ${podLimit} still caps the pod as a whole`);
      const suggestion = r === 'memory' && request !== undefined ? request : o.placeholder;
      const requests = r === 'memory' && request === undefined ? { memory: '<request>' } : undefined;
      out.push({
        subject: { kind: workload.kind, namespace: workload.namespace, name: workload.name, container: name },
        message: `${ref.list === 'initContainers' ? 'init container' : 'container'} "${name}" of ${describeWorkload(workload)} has no ${r} limit${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
        evidence: [
          { path, value: 'unset' },
          ...(request !== undefined ? [{ path: `${workload.specPath}.${ref.list}[name=${name}].resources.requests.${r}`, value: request }] : []),
        ],
        remediation: {
          why: o.why,
          fix: r === 'memory'
            ? `Set a memory limit${request !== undefined ? ` (equal to the request ${request} avoids overcommitting node memory)` : ' sized from observed usage'}, or give the namespace a LimitRange default (R-LR).`
            : 'Set a CPU limit sized from observed usage (or deliberately leave CPU unlimited and rely on requests — then disable this check).',
          command: setResourcesCommand(workload, ref, { limits: { [r]: suggestion }, ...(requests ? { requests } : {}) }),
        },
      });
    }
    return out;
  });
  return { drafts, coveredByLimitRange: covered };
}

// ---------------------------------------------------------------------------- namespace policies

/** Live pods per namespace (phase not Succeeded/Failed). */
export function livePodsByNamespace(snapshot: Snapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of snapshot.list<Pod>('pods')) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ns = pod.metadata?.namespace ?? '';
    out.set(ns, (out.get(ns) ?? 0) + 1);
  }
  return out;
}

/** Active namespaces, sorted (a Terminating namespace is on its way out). */
export function activeNamespaces(snapshot: Snapshot): string[] {
  return snapshot.list<Namespace>('namespaces')
    .filter((n) => n.status?.phase !== 'Terminating')
    .map((n) => n.metadata?.name ?? '')
    .filter((n) => n !== '')
    .sort();
}

/**
 * A standalone Job that completed or failed runs no pod and never will again, so its
 * template's resources are moot (CHECKS.md §7 trap 15). CronJob runs are reported at the CronJob.
 */
export function isFinishedJob(snapshot: Snapshot, workload: Workload): boolean {
  if (workload.kind !== 'Job' || workload.source !== 'template' || !workload.uid) return false;
  const job = snapshot.byUid(workload.uid) as { status?: { conditions?: readonly { type?: string; status?: string }[] } } | undefined;
  return (job?.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}
