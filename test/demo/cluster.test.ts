/**
 * Integrity of the demo cluster: it must look like what a real kube-apiserver returns, so the
 * embedded server, client-node and kubectl accept it and owner resolution works.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import { DEMO_NOW } from '../../src/demo/context.js';
import type { K8sObject, Pod } from '../../src/engine/k8s.js';
import { RESOURCES, groupVersion } from '../../src/engine/resources.js';
import { containersOf, get, objects, ofKind, pods, running, templateSpecOf } from './helpers.js';

const key = (o: K8sObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

describe('demoCluster determinism', () => {
  it('returns the same objects for the same seed, and the default seed is 42', () => {
    expect(JSON.stringify(demoCluster(42))).toBe(JSON.stringify(demoCluster(42)));
    expect(JSON.stringify(demoCluster())).toBe(JSON.stringify(demoCluster(42)));
  });

  it('returns a different cluster for another seed', () => {
    const a = demoCluster(42);
    const b = demoCluster(7);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    const uidsA = new Set(a.map((o) => o.metadata?.uid));
    expect(b.some((o) => uidsA.has(o.metadata?.uid))).toBe(false);
  });

  it('keeps its size within bounds for many seeds', () => {
    for (const seed of [1, 2, 3, 42, 99, 1234, 2 ** 31 - 1]) {
      const all = demoCluster(seed);
      const namespaces = all.filter((o) => o.kind === 'Namespace').length;
      const podCount = all.filter((o) => o.kind === 'Pod').length;
      expect(namespaces, `seed ${seed}`).toBeGreaterThanOrEqual(18);
      expect(namespaces, `seed ${seed}`).toBeLessThanOrEqual(22);
      expect(podCount, `seed ${seed}`).toBeGreaterThanOrEqual(130);
      expect(podCount, `seed ${seed}`).toBeLessThanOrEqual(170);
    }
  });

  it('announces a kubeadm v1.33 server version', () => {
    expect(DEMO_VERSION).toEqual({ major: '1', minor: '33', gitVersion: expect.stringMatching(/^v1\.33\.\d+$/), platform: 'linux/amd64' });
    for (const node of ofKind('Node')) {
      expect((node['status'] as any).nodeInfo.kubeletVersion).toMatch(/^v1\.33\.\d+$/);
    }
  });
});

describe('every object is a valid API object', () => {
  it('maps to a row of RESOURCES by apiVersion and kind, with namespace iff namespaced', () => {
    const rows = new Map(RESOURCES.map((r) => [`${groupVersion(r)}|${r.kind}`, r]));
    for (const o of objects) {
      const row = rows.get(`${o.apiVersion}|${o.kind}`);
      expect(row, `${o.apiVersion} ${key(o)}`).toBeDefined();
      expect(o.metadata?.namespace !== undefined, key(o)).toBe(row?.namespaced);
    }
  });

  it('has unique (kind, namespace, name) and unique uids', () => {
    const keys = objects.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    const uids = objects.map((o) => o.metadata?.uid);
    expect(uids.every((u) => typeof u === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u))).toBe(true);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('has metadata the API server always sets', () => {
    for (const o of objects) {
      const m = o.metadata ?? {};
      expect(m.name, key(o)).toMatch(/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/);
      expect(m.resourceVersion, key(o)).toMatch(/^[1-9]\d*$/);
      expect(m.creationTimestamp, key(o)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Date.parse(m.creationTimestamp ?? ''), key(o)).toBeLessThanOrEqual(DEMO_NOW);
      for (const v of [...Object.values(m.labels ?? {}), ...Object.values(m.annotations ?? {})]) expect(typeof v, key(o)).toBe('string');
    }
  });

  it('survives a JSON round trip unchanged (no undefined, no non-JSON values)', () => {
    const bad: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (value === undefined || typeof value === 'function' || (typeof value === 'number' && !Number.isFinite(value))) bad.push(path);
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
      else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    };
    for (const o of objects) walk(o, key(o));
    expect(bad).toEqual([]);
    expect(JSON.parse(JSON.stringify(objects))).toEqual(objects);
  });

  it('never creates an object before its namespace, owner or node', () => {
    const created = (o: K8sObject | undefined) => Date.parse(o?.metadata?.creationTimestamp ?? '');
    const byUid = new Map(objects.map((o) => [o.metadata?.uid, o]));
    for (const o of objects) {
      const ns = o.metadata?.namespace;
      if (ns !== undefined) expect(created(o), key(o)).toBeGreaterThanOrEqual(created(get('Namespace', undefined, ns)));
      for (const ref of o.metadata?.ownerReferences ?? []) {
        const owner = ref.kind === 'Node' ? get('Node', undefined, ref.name) : byUid.get(ref.uid);
        expect(created(o), `${key(o)} vs ${ref.kind}/${ref.name}`).toBeGreaterThanOrEqual(created(owner));
      }
      if (o.kind === 'Pod') expect(created(o), key(o)).toBeGreaterThanOrEqual(created(get('Node', undefined, (o as Pod).spec?.nodeName ?? '')));
    }
  });

  it('puts every namespaced object in an existing namespace', () => {
    const namespaces = new Set(ofKind('Namespace').map((n) => n.metadata?.name));
    for (const o of objects) if (o.metadata?.namespace !== undefined) expect(namespaces.has(o.metadata.namespace), key(o)).toBe(true);
  });
});

describe('ownership', () => {
  const byUid = new Map(objects.map((o) => [o.metadata?.uid, o]));

  it('resolves every ownerReference (kind Node by name), with exactly one controller', () => {
    for (const o of objects) {
      const refs = o.metadata?.ownerReferences ?? [];
      if (refs.length === 0) continue;
      expect(refs.filter((r) => r.controller === true), key(o)).toHaveLength(1);
      for (const ref of refs) {
        if (ref.kind === 'Node') {
          const node = get('Node', undefined, ref.name);
          expect(node, `${key(o)} → Node ${ref.name}`).toBeDefined();
          expect(node?.metadata?.uid).toBe(ref.uid);
          continue;
        }
        const owner = byUid.get(ref.uid);
        expect(owner, `${key(o)} → ${ref.kind}/${ref.name}`).toBeDefined();
        expect(owner?.kind).toBe(ref.kind);
        expect(owner?.apiVersion).toBe(ref.apiVersion);
        expect(owner?.metadata?.name).toBe(ref.name);
        expect(owner?.metadata?.namespace).toBe(o.metadata?.namespace);
      }
    }
  });

  it('owns every ReplicaSet that has pods by a Deployment', () => {
    const withPods = new Set(pods().flatMap((p) => (p.metadata?.ownerReferences ?? []).filter((r) => r.kind === 'ReplicaSet').map((r) => r.uid)));
    expect(withPods.size).toBeGreaterThan(10);
    for (const rs of ofKind('ReplicaSet').filter((r) => withPods.has(r.metadata?.uid ?? ''))) {
      expect(rs.metadata?.ownerReferences?.[0]?.kind, key(rs)).toBe('Deployment');
    }
  });

  it('labels pods so their controller selects them', () => {
    for (const p of pods()) {
      const ref = p.metadata?.ownerReferences?.[0];
      if (!ref || ref.kind === 'Node') continue;
      const owner = byUid.get(ref.uid) as any;
      const selector: Record<string, string> = owner.kind === 'ReplicationController' ? owner.spec.selector : owner.spec.selector.matchLabels;
      for (const [k, v] of Object.entries(selector)) expect(p.metadata?.labels?.[k], `${key(p)} label ${k}`).toBe(v);
    }
  });

  it('gives every controller a template matching its own selector', () => {
    for (const o of [...ofKind('Deployment'), ...ofKind('ReplicaSet'), ...ofKind('StatefulSet'), ...ofKind('DaemonSet'), ...ofKind('Job')]) {
      const spec = o['spec'] as any;
      for (const [k, v] of Object.entries(spec.selector.matchLabels as Record<string, string>)) expect(spec.template.metadata.labels[k], key(o)).toBe(v);
    }
  });

  it('reports controller status consistent with the pods it owns', () => {
    const owned = (o: K8sObject) => pods().filter((p) => p.metadata?.ownerReferences?.[0]?.uid === o.metadata?.uid);
    for (const rs of ofKind('ReplicaSet')) expect(owned(rs), key(rs)).toHaveLength((rs['spec'] as any).replicas);
    for (const sts of ofKind('StatefulSet')) expect(owned(sts), key(sts)).toHaveLength((sts['spec'] as any).replicas);
    for (const ds of ofKind('DaemonSet')) expect(owned(ds), key(ds)).toHaveLength((ds['status'] as any).desiredNumberScheduled);
    for (const dep of ofKind('Deployment')) {
      const rsets = ofKind('ReplicaSet', dep.metadata?.namespace).filter((r) => r.metadata?.ownerReferences?.[0]?.uid === dep.metadata?.uid);
      const total = rsets.reduce((n, r) => n + owned(r).length, 0);
      expect(total, key(dep)).toBe((dep['status'] as any).replicas ?? 0);
      const revisions = rsets.map((r) => Number(r.metadata?.annotations?.['deployment.kubernetes.io/revision']));
      expect(Math.max(...revisions), key(dep)).toBe(Number(dep.metadata?.annotations?.['deployment.kubernetes.io/revision']));
    }
  });
});

describe('pods', () => {
  const nodeNames = new Set(ofKind('Node').map((n) => n.metadata?.name));

  it('are bound to existing nodes, with host and pod IPs', () => {
    for (const p of pods()) {
      expect(nodeNames.has(p.spec?.nodeName), key(p)).toBe(true);
      expect(p.status?.['hostIP'], key(p)).toMatch(/^10\.0\.\d+\.\d+$/);
      if (p.spec?.hostNetwork) expect(p.status?.['podIP'], key(p)).toBe(p.status?.['hostIP']);
      else expect(p.status?.['podIP'], key(p)).toMatch(/^10\.244\.\d{1,3}\.(\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])$/);
    }
    const podIPs = pods().filter((p) => !p.spec?.hostNetwork).map((p) => p.status?.['podIP']);
    expect(new Set(podIPs).size).toBe(podIPs.length);
  });

  it('use ServiceAccounts that exist (mirror pods have none)', () => {
    for (const p of pods()) {
      if (p.metadata?.annotations?.['kubernetes.io/config.mirror']) {
        expect(p.spec?.serviceAccountName).toBeUndefined();
        continue;
      }
      expect(get('ServiceAccount', p.metadata?.namespace, p.spec?.serviceAccountName ?? ''), key(p)).toBeDefined();
    }
  });

  it('reference Secrets that exist (env, envFrom, volumes, pull secrets)', () => {
    for (const p of pods()) {
      const ns = p.metadata?.namespace;
      const names = [
        ...containersOf(p.spec).flatMap((c) => [...(c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name), ...(c.envFrom ?? []).map((e) => e.secretRef?.name)]),
        ...(p.spec?.volumes ?? []).map((v) => v.secret?.secretName),
        ...((p.spec?.['imagePullSecrets'] as { name: string }[] | undefined) ?? []).map((s) => s.name),
      ].filter((n): n is string => n !== undefined);
      for (const name of names) expect(get('Secret', ns, name), `${key(p)} → Secret ${name}`).toBeDefined();
    }
  });

  it('have a status per container with a digest imageID, and a QoS class', () => {
    for (const p of pods()) {
      const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
      expect(statuses.map((s) => s.name).sort(), key(p)).toEqual(containersOf(p.spec).map((c) => c.name).sort());
      for (const s of statuses) expect(s.imageID, key(p)).toMatch(/^(docker-pullable:\/\/)?[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/);
      expect(['Guaranteed', 'Burstable', 'BestEffort']).toContain(p.status?.['qosClass']);
    }
    expect(pods().some((p) => p.status?.['qosClass'] === 'BestEffort')).toBe(true);
    expect(pods().some((p) => p.status?.['qosClass'] === 'Guaranteed')).toBe(true);
  });

  it('mount the service-account token only when automounting is on', () => {
    for (const p of pods().filter((x) => !x.metadata?.annotations?.['kubernetes.io/config.mirror'])) {
      const sa = get('ServiceAccount', p.metadata?.namespace, p.spec?.serviceAccountName ?? '');
      const automount = p.spec?.automountServiceAccountToken ?? (sa?.['automountServiceAccountToken'] as boolean | undefined) ?? true;
      const hasToken = (p.spec?.volumes ?? []).some((v) => v.name.startsWith('kube-api-access-'));
      expect(hasToken, key(p)).toBe(automount);
    }
  });

  it('include completed Job pods and only Running or Succeeded phases', () => {
    const phases = new Set(pods().map((p) => p.status?.phase));
    expect([...phases].sort()).toEqual(['Running', 'Succeeded']);
    for (const p of pods().filter((x) => !running(x))) expect(p.metadata?.ownerReferences?.[0]?.kind, key(p)).toBe('Job');
  });
});

describe('services and endpoints', () => {
  it('have unique cluster IPs and node ports', () => {
    const services = ofKind('Service').map((s) => s['spec'] as any);
    const ips = services.map((s) => s.clusterIP).filter((ip) => ip !== 'None');
    expect(new Set(ips).size).toBe(ips.length);
    const ports = services.flatMap((s) => s.ports.map((p: any) => p.nodePort)).filter((p) => p !== undefined);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('derive EndpointSlices from running pods the selector matches', () => {
    for (const svc of ofKind('Service').filter((s) => (s['spec'] as any).selector)) {
      const selector = (svc['spec'] as any).selector as Record<string, string>;
      const ns = svc.metadata?.namespace;
      const expected = (ofKind('Pod', ns) as Pod[])
        .filter((p) => running(p) && Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v))
        .map((p) => p.metadata?.uid)
        .sort();
      const slice = ofKind('EndpointSlice', ns).find((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === svc.metadata?.name);
      expect(slice?.metadata?.ownerReferences?.[0]?.uid, key(svc)).toBe(svc.metadata?.uid);
      const actual = ((slice?.['endpoints'] as any[]) ?? []).map((e) => e.targetRef.uid).sort();
      expect(actual, key(svc)).toEqual(expected);
    }
  });
});

describe('templates', () => {
  it('exist for every workload kind, including controllers without pods', () => {
    for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']) {
      for (const o of ofKind(kind)) expect(templateSpecOf(o)?.containers?.length, key(o)).toBeGreaterThan(0);
    }
  });
});
