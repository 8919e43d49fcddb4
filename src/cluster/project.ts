/**
 * The slim projection of listed objects (DESIGN.md §8): the collector applies it to each page
 * as it is parsed, so a 50,000-pod cluster never holds the full objects (about 550 MB) and
 * never two copies of a list. It drops only what no check reads — server bookkeeping
 * (metadata.managedFields, about a quarter of a pod) and the status noise of the two big
 * kinds — and keeps everything else as the API returned it, so checks and evidence paths see
 * the same objects. test/cluster/project.test.ts proves the whole catalog gives the same
 * findings over the projected demo cluster as over the full one.
 *
 * Pod status kept: phase, reason, qosClass, startTime and each container status's name,
 * image and imageID (image checks suggest the running digest). Node status: everything
 * but the image list (often hundreds of entries per node) and the volume bookkeeping.
 */
import type { K8sObject } from '../engine/k8s.js';
import type { ResourceName } from '../engine/resources.js';

type Mutable = Record<string, unknown>;

const isObject = (v: unknown): v is Mutable => typeof v === 'object' && v !== null && !Array.isArray(v);

function slimStatuses(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((s: unknown) => {
    if (!isObject(s)) return s;
    const out: Mutable = { name: s.name };
    if (s.image !== undefined) out.image = s.image;
    if (s.imageID !== undefined) out.imageID = s.imageID;
    return out;
  });
}

const POD_STATUS_KEPT = ['phase', 'reason', 'qosClass', 'startTime'] as const;
const POD_CONTAINER_STATUSES = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'] as const;
const NODE_STATUS_DROPPED = ['images', 'volumesInUse', 'volumesAttached'] as const;

function slimPodStatus(status: unknown): unknown {
  if (!isObject(status)) return status;
  const out: Mutable = {};
  for (const key of POD_STATUS_KEPT) if (status[key] !== undefined) out[key] = status[key];
  for (const key of POD_CONTAINER_STATUSES) if (status[key] !== undefined) out[key] = slimStatuses(status[key]);
  return out;
}

/** Projects one listed object in place (it was just parsed from a page: nothing else holds it). */
export function projectItem(name: ResourceName, item: K8sObject): K8sObject {
  const obj = item as unknown as Mutable;
  const metadata = obj.metadata;
  if (isObject(metadata) && metadata.managedFields !== undefined) delete metadata.managedFields;
  if (name === 'pods') {
    if (obj.status !== undefined) obj.status = slimPodStatus(obj.status);
  } else if (name === 'nodes' && isObject(obj.status)) {
    for (const key of NODE_STATUS_DROPPED) delete obj.status[key];
  }
  return item;
}
