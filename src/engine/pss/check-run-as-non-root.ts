/**
 * runAsNonRoot (restricted, v1.0; v1.35 exempts user-namespace pods). The pod or every container
 * must set `runAsNonRoot: true`, and nothing may set it to `false`.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, isUserNamespacePod, present, securityContextOf, visitContainers } from './helpers.js';

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const badSetters: string[] = [];
  let podRunAsNonRoot = false;
  const podValue = securityContextOf(spec)?.runAsNonRoot;
  if (present(podValue)) {
    if (podValue !== true) badSetters.push('pod');
    else podRunAsNonRoot = true;
  }

  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(spec, (container) => {
    const value = securityContextOf(container)?.runAsNonRoot;
    if (present(value)) {
      if (value !== true) explicitlyBad.push(containerName(container));
    } else if (!podRunAsNonRoot) {
      implicitlyBad.push(containerName(container));
    }
  });
  if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));

  if (badSetters.length > 0) {
    return { reason: 'runAsNonRoot != true', detail: `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  }
  if (implicitlyBad.length > 0) {
    return { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true` };
  }
  return undefined;
};

const v1Dot35: CheckPodFn = (meta, spec) => (isUserNamespacePod(spec) ? undefined : v1Dot0(meta, spec));

export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minimumMinor: 0, checkPod: v1Dot0 },
    { minimumMinor: 35, checkPod: v1Dot35 },
  ],
};
