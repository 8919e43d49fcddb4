/**
 * sysctls (baseline; the allowed set grows at v1.27, v1.29, v1.32 and v1.37). Only
 * `spec.securityContext.sysctls[*].name` is inspected, verbatim (a `/`-separated spelling does
 * not match); values are not checked.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { arr, obj, securityContextOf, str } from './helpers.js';

const V1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range'];
const V1_27 = [...V1_0, 'net.ipv4.ip_local_reserved_ports'];
const V1_29 = [...V1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const V1_32 = [...V1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const V1_37 = [...V1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctls(allowed: readonly string[]): CheckPodFn {
  const set = new Set(allowed);
  return (_meta, spec) => {
    const forbidden: string[] = [];
    for (const item of arr(securityContextOf(spec)?.sysctls)) {
      const name = str(obj(item)?.name);
      if (!set.has(name)) forbidden.push(name);
    }
    return forbidden.length > 0 ? { reason: 'forbidden sysctls', detail: forbidden.join(', ') } : undefined;
  };
}

export const sysctlsCheck: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: sysctls(V1_0) },
    { minimumMinor: 27, checkPod: sysctls(V1_27) },
    { minimumMinor: 29, checkPod: sysctls(V1_29) },
    { minimumMinor: 32, checkPod: sysctls(V1_32) },
    { minimumMinor: 37, checkPod: sysctls(V1_37) },
  ],
};
