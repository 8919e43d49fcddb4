/**
 * hostProbesAndHostLifecycle (baseline, v1.34): probes (`livenessProbe`, `readinessProbe`,
 * `startupProbe`) and lifecycle handlers (`postStart`, `preStop`) must not name a `host` in
 * `httpGet` or `tcpSocket`; any non-empty host is forbidden, `127.0.0.1` included.
 */
import type { CheckPodFn, PssCheck } from './types.js';
import { containerName, joinQuote, obj, pluralize, sortedSet, str, visitContainers } from './helpers.js';

function hostsOf(handler: unknown): string[] {
  const h = obj(handler);
  if (!h) return [];
  const hosts: string[] = [];
  for (const action of [h.httpGet, h.tcpSocket]) {
    const host = obj(action)?.host;
    if (host !== undefined && host !== null && host !== '') hosts.push(str(host));
  }
  return hosts;
}

const v1Dot34: CheckPodFn = (_meta, spec) => {
  const bad = new Set<string>();
  const forbidden = new Set<string>();
  visitContainers(spec, (container) => {
    const lifecycle = obj(container.lifecycle);
    const handlers = [container.livenessProbe, container.readinessProbe, container.startupProbe, lifecycle?.postStart, lifecycle?.preStop];
    for (const handler of handlers) {
      const hosts = hostsOf(handler);
      if (hosts.length === 0) continue;
      bad.add(containerName(container));
      for (const host of hosts) forbidden.add(host);
    }
  });
  if (bad.size === 0) return undefined;
  const containers = sortedSet(bad);
  const hosts = sortedSet(forbidden);
  return {
    reason: 'probe or lifecycle host',
    detail: `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.length)} ${joinQuote(hosts)}`,
  };
};

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [{ minimumMinor: 34, checkPod: v1Dot34 }],
};
