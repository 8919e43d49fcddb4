/** hostPathVolumes (baseline, v1.0; replaced by restrictedVolumes at restricted): no `hostPath` volume. */
import type { CheckPodFn, PssCheck } from './types.js';
import { arr, joinQuote, obj, pluralize, present, str } from './helpers.js';

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const names: string[] = [];
  for (const item of arr(spec.volumes)) {
    const volume = obj(item);
    if (volume && present(volume.hostPath)) names.push(str(volume.name));
  }
  if (names.length === 0) return undefined;
  return { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}` };
};

export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0 }],
};
