/**
 * restrictedVolumes (restricted, v1.0; overrides hostPathVolumes). Inline volumes may only be
 * configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or
 * secret. `image` became allowed in Kubernetes 1.33 code for every policy version.
 *
 * A volume with no source at all is what the API server defaults to `emptyDir`
 * (`SetDefaults_Volume`), so it is allowed here too: stored objects never have one, manifests
 * (and upstream's own fixtures, e.g. restricted/v1.37/pass/restrictedvolumes0.yaml) do. A volume
 * whose only source is a key this table does not know is reported as `unknown`.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { arr, joinQuote, obj, pluralize, present, sortedSet, str } from './helpers.js';

export const ALLOWED_VOLUME_SOURCES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
];

/** In PSA's order: the first one set names the volume's type in the detail. */
export const RESTRICTED_VOLUME_SOURCES: readonly string[] = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

/** The restricted type of a volume, or undefined when it is allowed. */
export function restrictedVolumeType(volume: Readonly<Record<string, unknown>>): string | undefined {
  if (ALLOWED_VOLUME_SOURCES.some((key) => present(volume[key]))) return undefined;
  const known = RESTRICTED_VOLUME_SOURCES.find((key) => present(volume[key]));
  if (known) return known;
  const anySource = Object.entries(volume).some(([key, value]) => key !== 'name' && present(value));
  return anySource ? 'unknown' : undefined; // no source → defaulted to emptyDir
}

const v1Dot0: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const item of arr(spec.volumes)) {
    const volume = obj(item);
    if (!volume) continue;
    const type = restrictedVolumeType(volume);
    if (type === undefined) continue;
    bad.push(str(volume.name));
    types.add(type);
  }
  if (bad.length === 0) return undefined;
  const list = sortedSet(types);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
  };
};

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ minimumMinor: 0, checkPod: v1Dot0, overrides: ['hostPathVolumes'] }],
};
