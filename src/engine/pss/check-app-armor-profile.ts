/**
 * appArmorProfile (baseline, v1.0). `appArmorProfile.type` on the pod or any container must be
 * `RuntimeDefault` or `Localhost`; every `container.apparmor.security.beta.kubernetes.io/*`
 * annotation must be empty, `runtime/default` or `localhost/*`. The field part was added to the
 * v1.0 implementation in Kubernetes 1.30, so it applies to every policy version.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, goQuote, joinQuote, obj, pluralize, securityContextOf, sortedSet, str, visitContainers } from './helpers.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(value: string): boolean {
  return value.length === 0 || value === 'runtime/default' || value.startsWith('localhost/');
}

function allowedProfileType(type: string): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

const v1Dot0: CheckPodFn = (meta, spec) => {
  const badSetters: string[] = [];
  const badValues = new Set<string>();

  const podProfile = obj(securityContextOf(spec)?.appArmorProfile);
  if (podProfile && !allowedProfileType(str(podProfile.type))) {
    badSetters.push('pod');
    badValues.add(str(podProfile.type));
  }

  const badContainers: string[] = [];
  visitContainers(spec, (container) => {
    const profile = obj(securityContextOf(container)?.appArmorProfile);
    if (profile && !allowedProfileType(str(profile.type))) {
      badContainers.push(containerName(container));
      badValues.add(str(profile.type));
    }
  });
  if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));

  const forbiddenAnnotations: string[] = [];
  for (const [key, raw] of Object.entries(obj(meta.annotations) ?? {})) {
    const value = str(raw);
    if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotationValue(value)) forbiddenAnnotations.push(`${key}=${goQuote(value)}`);
  }

  const badValueList = sortedSet(badValues);
  if (forbiddenAnnotations.length > 0) {
    badValueList.push(...sortedSet(forbiddenAnnotations));
    badSetters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  }
  if (badSetters.length === 0) return undefined;
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValueList.length),
    detail: `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
  };
};

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0 }],
};
