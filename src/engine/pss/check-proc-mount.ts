/**
 * procMount (baseline, v1.0; v1.35 lets user-namespace pods unmask /proc; replaced by
 * procMount_restricted at restricted from v1.35). `securityContext.procMount` must be unset or
 * `Default`.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, isUserNamespacePod, joinQuote, present, securityContextOf, sortedSet, str, visitContainers } from './helpers.js';

/** The unconditional rule; also the implementation of procMount_restricted. */
export const procMountV1Dot0: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  visitContainers(spec, (container) => {
    const procMount = securityContextOf(container)?.procMount;
    if (!present(procMount) || procMount === 'Default') return;
    bad.push(containerName(container));
    types.add(str(procMount));
  });
  if (bad.length === 0) return undefined;
  return { reason: 'procMount', detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}` };
};

const v1Dot35: CheckPodFn = (meta, spec) => (isUserNamespacePod(spec) ? undefined : procMountV1Dot0(meta, spec));

export const procMount: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: procMountV1Dot0 },
    { minimumMinor: 35, checkPod: v1Dot35 },
  ],
};
