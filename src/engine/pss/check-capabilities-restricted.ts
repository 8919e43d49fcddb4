/**
 * capabilities_restricted (restricted, v1.22; v1.25 exempts Windows pods; overrides
 * capabilities_baseline). Every container must drop the exact string `ALL` and may add only the
 * exact string `NET_BIND_SERVICE`.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { arr, containerName, containersPhrase, isWindowsPod, joinQuote, obj, securityContextOf, sortedSet, str, visitContainers } from './helpers.js';

const v1Dot22: CheckPodFn = (_meta, spec) => {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden = new Set<string>();
  visitContainers(spec, (container) => {
    const capabilities = obj(securityContextOf(container)?.capabilities);
    if (!capabilities) {
      missingDropAll.push(containerName(container));
      return;
    }
    if (!arr(capabilities.drop).some((c) => c === 'ALL')) missingDropAll.push(containerName(container));
    let added = false;
    for (const raw of arr(capabilities.add)) {
      const capability = str(raw);
      if (capability !== 'NET_BIND_SERVICE') {
        added = true;
        forbidden.add(capability);
      }
    }
    if (added) addingForbidden.push(containerName(container));
  });
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length > 0) {
    details.push(`${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  }
  if (details.length === 0) return undefined;
  return { reason: 'unrestricted capabilities', detail: details.join('; ') };
};

const v1Dot25: CheckPodFn = (meta, spec) => (isWindowsPod(spec) ? undefined : v1Dot22(meta, spec));

export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minimumMinor: 22, checkPod: v1Dot22, overrides: ['capabilities_baseline'] },
    { minimumMinor: 25, checkPod: v1Dot25, overrides: ['capabilities_baseline'] },
  ],
};
