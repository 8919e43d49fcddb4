/**
 * procMount_restricted (restricted, v1.35; overrides procMount). Keeps the unconditional v1.0
 * rule at restricted after baseline relaxed it for user-namespace pods.
 */
import type { PssCheck } from './types.js';
import { procMountV1Dot0 } from './check-proc-mount.js';

export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ minimumMinor: 35, checkPod: procMountV1Dot0, overrides: ['procMount'] }],
};
