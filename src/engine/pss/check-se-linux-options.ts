/**
 * seLinuxOptions (baseline, v1.0; v1.31 allows `container_engine_t`). On the pod and every
 * container, `seLinuxOptions.type` must be empty or an allowed container type, and `user` and
 * `role` must be empty; `level` is not restricted.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import type { Fields } from './helpers.js';
import { containerName, containersPhrase, joinQuote, obj, pluralize, securityContextOf, sortedSet, str, visitContainers } from './helpers.js';

const TYPES_V1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_V1_31: ReadonlySet<string> = new Set([...TYPES_V1_0, 'container_engine_t']);

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckPodFn {
  return (_meta, spec) => {
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const valid = (options: Fields): boolean => {
      let ok = true;
      const type = str(options.type);
      if (!allowedTypes.has(type)) {
        ok = false;
        badTypes.add(type);
      }
      if (str(options.user).length > 0) {
        ok = false;
        setUser = true;
      }
      if (str(options.role).length > 0) {
        ok = false;
        setRole = true;
      }
      return ok;
    };

    const badSetters: string[] = [];
    const podOptions = obj(securityContextOf(spec)?.seLinuxOptions);
    if (podOptions && !valid(podOptions)) badSetters.push('pod');
    const bad: string[] = [];
    visitContainers(spec, (container) => {
      const options = obj(securityContextOf(container)?.seLinuxOptions);
      if (options && !valid(options)) bad.push(containerName(container));
    });
    if (bad.length > 0) badSetters.push(containersPhrase(bad));
    if (badSetters.length === 0) return undefined;

    const data: string[] = [];
    const types = sortedSet(badTypes);
    if (types.length > 0) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return { reason: 'seLinuxOptions', detail: `${badSetters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
  };
}

export const seLinuxOptionsCheck: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: seLinuxOptions(TYPES_V1_0) },
    { minimumMinor: 31, checkPod: seLinuxOptions(TYPES_V1_31) },
  ],
};
