/**
 * allowPrivilegeEscalation (restricted, v1.8; v1.25 exempts Windows pods). Every container must
 * set `securityContext.allowPrivilegeEscalation: false`; unset counts as allowed escalation.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, isWindowsPod, securityContextOf, visitContainers } from './helpers.js';

const v1Dot8: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  visitContainers(spec, (container) => {
    if (securityContextOf(container)?.allowPrivilegeEscalation !== false) bad.push(containerName(container));
  });
  if (bad.length === 0) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`,
  };
};

const v1Dot25: CheckPodFn = (meta, spec) => (isWindowsPod(spec) ? undefined : v1Dot8(meta, spec));

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minimumMinor: 8, checkPod: v1Dot8 },
    { minimumMinor: 25, checkPod: v1Dot25 },
  ],
};
