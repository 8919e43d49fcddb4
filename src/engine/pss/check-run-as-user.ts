/**
 * runAsUser (restricted, v1.23; v1.35 exempts user-namespace pods). Neither the pod nor any
 * container may set `runAsUser: 0`; unset is allowed.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, isUserNamespacePod, securityContextOf, visitContainers } from './helpers.js';

const v1Dot23: CheckPodFn = (_meta, spec) => {
  const badSetters: string[] = [];
  if (securityContextOf(spec)?.runAsUser === 0) badSetters.push('pod');
  const bad: string[] = [];
  visitContainers(spec, (container) => {
    if (securityContextOf(container)?.runAsUser === 0) bad.push(containerName(container));
  });
  if (bad.length > 0) badSetters.push(containersPhrase(bad));
  if (badSetters.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${badSetters.join(' and ')} must not set runAsUser=0` };
};

const v1Dot35: CheckPodFn = (meta, spec) => (isUserNamespacePod(spec) ? undefined : v1Dot23(meta, spec));

export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minimumMinor: 23, checkPod: v1Dot23 },
    { minimumMinor: 35, checkPod: v1Dot35 },
  ],
};
