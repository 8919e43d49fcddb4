/**
 * seccompProfile_baseline (baseline; overridden at restricted from v1.19). v1.0–v1.18 read only
 * the alpha annotations (`seccomp.security.alpha.kubernetes.io/pod`, and
 * `container.seccomp.security.alpha.kubernetes.io/<name>` for each visited container): a present
 * value must be `runtime/default`, `docker/default` or `localhost/*`. v1.19+ read only the fields:
 * a present `seccompProfile.type` must be `RuntimeDefault` or `Localhost`.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, containersPhrase, goQuote, joinQuote, obj, pluralize, securityContextOf, sortedSet, str, visitContainers } from './helpers.js';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export function validSeccompType(type: string): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function validAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

const v1Dot0: CheckPodFn = (meta, spec) => {
  const annotations = obj(meta.annotations) ?? {};
  const forbidden = new Set<string>();
  const inspect = (key: string): void => {
    if (!Object.hasOwn(annotations, key)) return;
    const value = str(annotations[key]);
    if (!validAnnotationValue(value)) forbidden.add(`${key}=${goQuote(value)}`);
  };
  inspect(POD_ANNOTATION);
  visitContainers(spec, (container) => inspect(CONTAINER_ANNOTATION_PREFIX + containerName(container)));
  if (forbidden.size === 0) return undefined;
  const list = sortedSet(forbidden);
  return { reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}` };
};

const v1Dot19: CheckPodFn = (_meta, spec) => {
  const badSetters: string[] = [];
  const badValues = new Set<string>();
  const podProfile = obj(securityContextOf(spec)?.seccompProfile);
  if (podProfile && !validSeccompType(str(podProfile.type))) {
    badSetters.push('pod');
    badValues.add(str(podProfile.type));
  }
  const bad: string[] = [];
  visitContainers(spec, (container) => {
    const profile = obj(securityContextOf(container)?.seccompProfile);
    if (profile && !validSeccompType(str(profile.type))) {
      bad.push(containerName(container));
      badValues.add(str(profile.type));
    }
  });
  if (bad.length > 0) badSetters.push(containersPhrase(bad));
  if (badSetters.length === 0) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
  };
};

export const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: v1Dot0 },
    { minimumMinor: 19, checkPod: v1Dot19 },
  ],
};
