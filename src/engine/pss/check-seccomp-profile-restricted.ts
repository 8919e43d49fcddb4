/**
 * seccompProfile_restricted (restricted, v1.19; v1.25 exempts Windows pods; overrides
 * seccompProfile_baseline). A valid pod-level `seccompProfile` (RuntimeDefault or Localhost)
 * covers containers that set none; otherwise every container must set a valid one, and nothing
 * may set another type.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, isWindowsPod, joinQuote, obj, securityContextOf, sortedSet, str, visitContainers } from './helpers.js';
import { validSeccompType } from './check-seccomp-profile-baseline.js';

const v1Dot19: CheckPodFn = (_meta, spec) => {
  const badSetters: string[] = [];
  const badValues = new Set<string>();
  let podSeccompSet = false;
  const podProfile = obj(securityContextOf(spec)?.seccompProfile);
  if (podProfile) {
    if (!validSeccompType(str(podProfile.type))) {
      badSetters.push('pod');
      badValues.add(str(podProfile.type));
    } else {
      podSeccompSet = true;
    }
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(spec, (container) => {
    const profile = obj(securityContextOf(container)?.seccompProfile);
    if (profile) {
      if (!validSeccompType(str(profile.type))) {
        explicitlyBad.push(containerName(container));
        badValues.add(str(profile.type));
      }
    } else if (!podSeccompSet) {
      implicitlyBad.push(containerName(container));
    }
  });
  if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));
  if (badSetters.length > 0) {
    return {
      reason: 'seccompProfile',
      detail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    };
  }
  return undefined;
};

const v1Dot25: CheckPodFn = (meta, spec) => (isWindowsPod(spec) ? undefined : v1Dot19(meta, spec));

export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimumMinor: 19, checkPod: v1Dot19, overrides: ['seccompProfile_baseline'] },
    { minimumMinor: 25, checkPod: v1Dot25, overrides: ['seccompProfile_baseline'] },
  ],
};
