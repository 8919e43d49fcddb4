/** hostNamespaces (baseline, v1.0): `hostNetwork`, `hostPID` and `hostIPC` must not be true. */
import type { CheckPodFn, PssCheck } from './types.js';

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const shared: string[] = [];
  if (spec.hostNetwork === true) shared.push('hostNetwork=true');
  if (spec.hostPID === true) shared.push('hostPID=true');
  if (spec.hostIPC === true) shared.push('hostIPC=true');
  return shared.length > 0 ? { reason: 'host namespaces', detail: shared.join(', ') } : undefined;
};

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0 }],
};
