/**
 * Host-path classification shared by container/sensitive-hostpath-mount and
 * container/hostpath-volume (which must not report a volume the former reports).
 */
/** Host paths that give node root, kubelet credentials or static-pod injection (CHECKS.md row). */
export const SENSITIVE_PATHS: readonly string[] = [
  '/', '/etc', '/root', '/home', '/boot', '/dev', '/proc', '/sys',
  '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes', '/etc/kubernetes/manifests',
  '/var/lib/etcd', '/var/lib/docker', '/var/lib/containerd', '/var/log',
];

/** Container-runtime sockets: API access to the runtime is root on the node, read-only or not. */
export const RUNTIME_SOCKETS: readonly string[] = [
  '/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock',
  '/run/crio/crio.sock', '/var/run/crio/crio.sock', '/var/run/cri-dockerd.sock', '/run/k3s/containerd/containerd.sock',
];

/** Collapses `//`, resolves `.` and `..`, drops a trailing `/` (but keeps `/`). */
export function normalizeHostPath(path: string): string {
  if (path !== '/' && !path.endsWith('/') && !path.includes('//') && !path.includes('/.')) return path;
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined;
}

/**
 * The sensitive paths and sockets a host path exposes: those it equals or is an ancestor of.
 * Descendants (e.g. `/var/log/pods`, `/etc/localtime`) are not sensitive here (§7 trap 23).
 */
export function exposedSensitivePaths(hostPath: string): { paths: string[]; sockets: string[] } {
  const p = normalizeHostPath(hostPath);
  const prefix = p === '/' ? '/' : `${p}/`;
  const covers = (target: string) => target === p || target.startsWith(prefix);
  return { paths: SENSITIVE_PATHS.filter(covers), sockets: RUNTIME_SOCKETS.filter(covers) };
}
