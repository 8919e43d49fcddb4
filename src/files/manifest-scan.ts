/**
 * Offline manifest scanning (`scan --manifests`, code/manifest-misconfiguration): which checks
 * can decide from manifest objects alone, and the snapshot built from those objects, in which
 * each object remembers its file and line so findings carry them (Snapshot.sources).
 */
import type { K8sObject } from '../engine/k8s.js';
import { snapshotFromObjects } from '../engine/objects.js';
import type { Snapshot, SnapshotInput, SourceLocation } from '../engine/snapshot.js';
import type { Check, Remediation } from '../engine/types.js';
import type { ManifestObject } from './manifest-parse.js';

/** Container checks that need live-cluster state (reports, admission, runtime classes), not an object. */
const CONTAINER_LIVE_ONLY: ReadonlySet<string> = new Set([
  'container/image-vulnerabilities', 'container/vulnerability-scanning-absent',
  'container/image-signature-enforcement-absent', 'container/sandboxed-runtime-not-used',
]);

/** The object-local cluster and cloud checks of CHECKS.md §5 code/manifest-misconfiguration. */
export const MANIFEST_CLUSTER_CHECKS: ReadonlySet<string> = new Set([
  'cluster/rbac-wildcard-verbs', 'cluster/rbac-wildcard-resources', 'cluster/ingress-without-tls', 'cluster/service-external-ips',
  'cluster/memory-limit-missing', 'cluster/cpu-limit-missing', 'cluster/secrets-as-env-vars', 'cluster/credentials-in-env-or-configmap',
  'cluster/sa-token-automount', 'cluster/pss-label-invalid', 'cloud/loadbalancer-unrestricted-source',
]);

/** True when `check` decides from the objects of a manifest set alone. */
export function isManifestCheck(check: Pick<Check, 'id' | 'layer'>): boolean {
  if (check.layer === 'container') return !CONTAINER_LIVE_ONLY.has(check.id);
  return MANIFEST_CLUSTER_CHECKS.has(check.id);
}

/** Workload messages say "(from template; admission mutations not applied)": true of every manifest, so noise here. */
export function offlineMessage(message: string): string {
  return message.replace(' (from template; admission mutations not applied)', '');
}

/**
 * A finding on a manifest object is fixed in the file, not with a kubectl command against a live
 * object (which may not exist, or may lack the namespace the file leaves out): the command is
 * dropped, the fix names the file and line, and a YAML/JSON patch is kept.
 */
export function offlineRemediation(remediation: Remediation, file: string | undefined, line: number | undefined): Remediation {
  return {
    why: remediation.why,
    fix: file ? `In ${file}${line ? ` (line ${line})` : ''}: ${remediation.fix}` : remediation.fix,
    ...(remediation.patch ? { patch: remediation.patch } : {}),
  };
}

export const NOT_FROM_MANIFESTS = 'needs live-cluster state; not decidable from manifest files';

/** A snapshot of manifest objects; each object's file and line travel in `sources`. */
export function manifestSnapshot(objects: readonly ManifestObject[], extra: Omit<SnapshotInput, 'lists' | 'sources'> = {}): Snapshot {
  const sources = new Map<object, SourceLocation>();
  const list: K8sObject[] = [];
  for (const o of objects) {
    list.push(o.object);
    sources.set(o.object, { file: o.file, line: o.line });
  }
  return snapshotFromObjects(list, { ...extra, sources }).snapshot;
}

/**
 * Snapshots of manifest objects within which no two objects share an identity (kind,
 * namespace, name). A tree often holds the same object more than once: one file per
 * environment or overlay, usually with the namespace left out. In one snapshot the second
 * copy's findings would be deduplicated away and the first file named for both, so each
 * further copy goes to a later snapshot. The first snapshot holds every object's first copy.
 */
export function manifestSnapshots(objects: readonly ManifestObject[], extra: Omit<SnapshotInput, 'lists' | 'sources'> = {}): Snapshot[] {
  const groups: ManifestObject[][] = [];
  const seen = new Map<string, number>();
  for (const o of objects) {
    const meta = o.object.metadata;
    const identity = `${String(o.object.kind ?? '')}/${String(meta?.namespace ?? 'default')}/${String(meta?.name ?? '')}`;
    const copy = seen.get(identity) ?? 0;
    seen.set(identity, copy + 1);
    (groups[copy] ??= []).push(o);
  }
  if (groups.length === 0) return [manifestSnapshot([], extra)];
  return groups.map((group) => manifestSnapshot(group, extra));
}

