/**
 * API defaulting that changes a PSS decision, for objects that did not go through an API server
 * (local manifests; CHECKS.md §6.2). Stored objects already carry these defaults.
 *
 * - Pods (not templates, since Kubernetes 1.28) with `hostNetwork: true`: every container and init container port
 *   without a `hostPort` gets `hostPort = containerPort`.
 * - A volume with no source becomes `emptyDir`: the restrictedVolumes check already treats it so,
 *   because upstream's own fixtures contain such volumes.
 */
import type { PodSpec } from '../k8s.js';
import { arr, obj } from './helpers.js';

/** The spec with manifest defaults applied (a copy when something changed; the input is never mutated). */
export function applyManifestDefaults(kind: string, spec: PodSpec): PodSpec {
  if (kind !== 'Pod' || spec.hostNetwork !== true) return spec;
  let changed = false;
  const defaultPorts = (list: unknown): unknown => {
    if (!Array.isArray(list)) return list;
    return list.map((item) => {
      const container = obj(item);
      if (!container || !Array.isArray(container.ports)) return item;
      const ports = arr(container.ports).map((p) => {
        const port = obj(p);
        if (!port || (port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0)) return p;
        if (typeof port.containerPort !== 'number' || port.containerPort === 0) return p;
        changed = true;
        return { ...port, hostPort: port.containerPort };
      });
      return { ...container, ports };
    });
  };
  const next = {
    ...spec,
    initContainers: defaultPorts(spec.initContainers),
    containers: defaultPorts(spec.containers),
  } as PodSpec;
  return changed ? next : spec;
}
