/**
 * Builds a snapshot from loose objects (fixtures today, manifest files later): each object
 * goes to the list of its resource, and every known resource counts as collected (empty),
 * so checks see "none exist" rather than "not collected".
 */
import type { K8sObject, List } from './k8s.js';
import { RESOURCES, resourceForObject, type ResourceName } from './resources.js';
import type { ConfigMap } from './k8s.js';
import { SYSTEM_CONFIGMAPS, Snapshot, type SnapshotInput } from './snapshot.js';

/** Flattens `kind: List` documents. */
export function flattenObjects(objects: readonly K8sObject[]): K8sObject[] {
  return objects.flatMap((obj) => (obj.kind === 'List' || obj.kind?.endsWith('List')) && Array.isArray((obj as List).items) ? flattenObjects((obj as List).items) : [obj]);
}

export function snapshotFromObjects(objects: readonly K8sObject[], extra: Omit<SnapshotInput, 'lists'> = {}): { snapshot: Snapshot; unknown: K8sObject[] } {
  const lists = Object.fromEntries(RESOURCES.map((r) => [r.name, [] as K8sObject[]])) as Record<ResourceName, K8sObject[]>;
  const unknown: K8sObject[] = [];
  for (const obj of flattenObjects(objects)) {
    const info = resourceForObject(obj.apiVersion, obj.kind);
    if (info) lists[info.name].push(obj);
    else unknown.push(obj);
  }
  // The D-CM-SYS ConfigMaps among the objects are also what a `get` of each would return.
  const systemConfigMaps = new Map<string, ConfigMap | null>(SYSTEM_CONFIGMAPS.map(([ns, name]) => [`${ns}/${name}`, null]));
  for (const cm of lists.configmaps) {
    const key = `${cm.metadata?.namespace ?? ''}/${cm.metadata?.name ?? ''}`;
    if (systemConfigMaps.has(key)) systemConfigMaps.set(key, cm as ConfigMap);
  }
  return { snapshot: new Snapshot({ systemConfigMaps, ...extra, lists }), unknown };
}
