/**
 * windowsHostProcess (baseline, v1.0; all pods): neither the pod nor any container may set
 * `securityContext.windowsOptions.hostProcess: true`.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, obj, securityContextOf, visitContainers } from './helpers.js';

function hostProcess(holder: { readonly securityContext?: unknown }): boolean {
  return obj(securityContextOf(holder)?.windowsOptions)?.hostProcess === true;
}

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  visitContainers(spec, (container) => {
    if (hostProcess(container)) bad.push(containerName(container));
  });
  const setters: string[] = [];
  if (hostProcess(spec)) setters.push('pod');
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return undefined;
  return { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` };
};

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0 }],
};
