/**
 * Small pure helpers for checks (STYLE.md §3.2): visiting containers, naming subjects and
 * field paths, and building the R-WL remediation command with every value shell-quoted.
 */
import type { Container, PodSpec } from './k8s.js';
import { command, literal } from './shell.js';
import type { PodSpecRevision, Snapshot, Workload } from './snapshot.js';
import type { CheckOutcome, DataNeed, Evidence, FindingDraft, FindingSubject } from './types.js';

/** Controllers read to resolve pods to their top owner; optional for workload checks (without them pods are reported at the nearest readable owner). */
export const WORKLOAD_OWNERS: readonly DataNeed[] = ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers'];

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  readonly container: Container;
  readonly list: ContainerList;
  readonly index: number;
}

/** Every container of a pod spec: init, regular and ephemeral (PSA `visitContainers`). */
export function containersOf(spec: PodSpec): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    (spec[list] ?? []).forEach((container, index) => out.push({ container, list, index }));
  }
  return out;
}

/** `spec.template.spec.containers[name=web]` */
export function containerPath(workload: Workload, ref: ContainerRef): string {
  return `${workload.specPath}.${ref.list}[name=${ref.container.name}]`;
}

export function workloadSubject(workload: Workload, container?: string): FindingSubject {
  return {
    kind: workload.kind,
    ...(workload.namespace ? { namespace: workload.namespace } : {}),
    name: workload.name,
    ...(container !== undefined ? { container } : {}),
  };
}

/** `Deployment "shop/api" (3 replicas)` or `CronJob "ops/backup" (from template; admission mutations not applied)`. */
export function describeWorkload(workload: Workload): string {
  const id = workload.namespace ? `${workload.namespace}/${workload.name}` : workload.name;
  let suffix = '';
  if (workload.source === 'template') suffix = ' (from template; admission mutations not applied)';
  else if (workload.kind !== 'Pod') suffix = ` (${workload.replicas} ${workload.replicas === 1 ? 'replica' : 'replicas'})`;
  return `${workload.kind} "${id}"${suffix}`;
}

/** kubectl's resource name for a kind: `Deployment` → `deployment`. */
export function kindResource(kind: string): string {
  return kind.toLowerCase();
}

const PATCHABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

/**
 * R-WL (CHECKS.md Appendix A): the command that applies `podSpecPatch` to the workload's
 * pod template, or the export/edit/replace sequence for kinds whose pod spec is immutable.
 */
export function workloadPatchCommand(workload: Workload, podSpecPatch: unknown): string {
  const ns = workload.namespace;
  const json = (value: unknown): string => JSON.stringify(value);
  if (PATCHABLE.has(workload.kind)) {
    return command`kubectl -n ${ns} patch ${literal(kindResource(workload.kind))} ${workload.name} --type=strategic -p ${json({ spec: { template: { spec: podSpecPatch } } })}`;
  }
  if (workload.kind === 'CronJob') {
    return command`kubectl -n ${ns} patch cronjob ${workload.name} --type=strategic -p ${json({ spec: { jobTemplate: { spec: { template: { spec: podSpecPatch } } } } })}`;
  }
  const file = `${workload.name}.yaml`;
  return [
    command`kubectl -n ${ns} get ${/^[A-Z][A-Za-z]*$/.test(workload.kind) ? literal(kindResource(workload.kind)) : kindResource(workload.kind)} ${workload.name} -o yaml > ${file}`,
    `# edit ${workload.specPath} in the file: ${json(podSpecPatch)}; drop status, uid, resourceVersion`,
    command`kubectl replace --force -f ${file}`,
  ].join('\n');
}

/** The strategic-merge fragment that sets fields of one container. */
export function containerPatch(ref: ContainerRef, fields: Record<string, unknown>): Record<string, unknown> {
  return { [ref.list]: [{ name: ref.container.name, ...fields }] };
}

/**
 * Visit each workload's pod specs (newest revision first) and collect findings once per
 * workload: a finding that appears only in an older revision says so.
 */
export function visitWorkloads(
  snapshot: Snapshot,
  visit: (workload: Workload, revision: PodSpecRevision) => readonly FindingDraft[],
  options: { readonly includeStatic?: boolean } = {},
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const workload of snapshot.workloads()) {
    // Static control-plane pods are inventory, not workloads (CHECKS.md §7 trap 4).
    if (workload.isStatic && !options.includeStatic) continue;
    const seen = new Set<string>();
    workload.revisions.forEach((revision, i) => {
      for (const draft of visit(workload, revision)) {
        const id = `${draft.subject.container ?? ''}|${draft.discriminator ?? ''}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(i === 0 ? draft : { ...draft, message: `${draft.message} (older revision still running)` });
      }
    });
  }
  return out;
}

export function evidence(path: string, value: unknown): Evidence {
  return { path, value: typeof value === 'string' ? value : JSON.stringify(value) };
}

/** A check's result: findings decide fail/warn; with none it passes (with an optional note). */
export function findings(drafts: readonly FindingDraft[], passNote?: string): CheckOutcome {
  return passNote && drafts.length === 0 ? { findings: drafts, reason: passNote } : { findings: drafts };
}

export function notApplicable(reason: string): CheckOutcome {
  return { findings: [], status: 'not-applicable', reason };
}

export function unable(reason: string): CheckOutcome {
  return { findings: [], status: 'unable', reason };
}
