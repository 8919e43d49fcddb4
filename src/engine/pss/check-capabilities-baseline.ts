/**
 * capabilities_baseline (baseline, v1.0). `capabilities.add` may only hold the runtime's default
 * set, compared exactly (`chown`, `CAP_CHOWN` are forbidden although runtimes accept them).
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { arr, containerName, containersPhrase, joinQuote, obj, securityContextOf, sortedSet, str, visitContainers } from './helpers.js';

export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  const nonDefault = new Set<string>();
  visitContainers(spec, (container) => {
    const capabilities = obj(securityContextOf(container)?.capabilities);
    if (!capabilities) return;
    let valid = true;
    for (const raw of arr(capabilities.add)) {
      const capability = str(raw);
      if (!BASELINE_CAPABILITIES.has(capability)) {
        valid = false;
        nonDefault.add(capability);
      }
    }
    if (!valid) bad.push(containerName(container));
  });
  if (bad.length === 0) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(nonDefault))} in securityContext.capabilities.add`,
  };
};

export const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0 }],
};
