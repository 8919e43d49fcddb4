/**
 * hostPorts (baseline, v1.0): every `ports[*].hostPort` must be unset or 0. PSS mentions an
 * optional known list; PSA implements none.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { arr, containerName, containersPhrase, obj, pluralize, sortedSet, str, visitContainers } from './helpers.js';

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  const ports = new Set<string>();
  visitContainers(spec, (container) => {
    let valid = true;
    for (const item of arr(container.ports)) {
      const hostPort = obj(item)?.hostPort;
      if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
        valid = false;
        ports.add(str(hostPort));
      }
    }
    if (!valid) bad.push(containerName(container));
  });
  if (bad.length === 0) return undefined;
  const list = sortedSet(ports);
  return {
    reason: 'hostPort',
    detail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
  };
};

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0 }],
};
