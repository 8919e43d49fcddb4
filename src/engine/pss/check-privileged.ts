/** privileged (baseline, v1.0): no container may set `securityContext.privileged: true`. */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, securityContextOf, visitContainers } from './helpers.js';

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  visitContainers(spec, (container) => {
    if (securityContextOf(container)?.privileged === true) bad.push(containerName(container));
  });
  if (bad.length === 0) return undefined;
  return { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` };
};

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0 }],
};
