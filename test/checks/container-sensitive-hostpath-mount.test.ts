import { describe, expect, it } from 'vitest';
import { exposedSensitivePaths, normalizeHostPath } from '../../checks/container/sensitive-hostpath-mount.js';

describe('normalizeHostPath', () => {
  it.each([
    ['/', '/'], ['//', '/'], ['/etc/', '/etc'], ['//etc//kubernetes/', '/etc/kubernetes'], ['/var/./lib/../lib/kubelet', '/var/lib/kubelet'],
    ['/var/run/docker.sock', '/var/run/docker.sock'],
  ])('%s → %s', (input, out) => expect(normalizeHostPath(input)).toBe(out));
});

describe('exposedSensitivePaths: equal or ancestor, never descendant (§7 trap 23)', () => {
  const hit = (p: string) => {
    const e = exposedSensitivePaths(p);
    return e.paths.length + e.sockets.length > 0;
  };
  it.each(['/', '/etc', '/etc/', '/var', '/var/lib', '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes/manifests', '/var/log',
    '/var/run', '/run', '/run/containerd', '/var/run/docker.sock', '/run/k3s', '/dev', '/proc', '/sys', '/root', '/home', '/boot'])('%s is sensitive', (p) =>
    expect(hit(p)).toBe(true));
  it.each(['/var/log/pods', '/var/log/containers', '/var/lib/kubelet/pods', '/var/lib/kubelet/plugins/x', '/etc/localtime', '/etc/ssl/certs',
    '/etcd', '/var/logs', '/data', '/opt/app', '/run/containerd/io.containerd.runtime.v2.task', '/dev/shm', '/proc/sys/net', '/home/user'])('%s is not', (p) =>
    expect(hit(p)).toBe(false));
  it('reports runtime sockets below an ancestor', () => {
    expect(exposedSensitivePaths('/var/run').sockets).toEqual(['/var/run/docker.sock', '/var/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/var/run/cri-dockerd.sock']);
    expect(exposedSensitivePaths('/etc').sockets).toEqual([]);
  });
});
