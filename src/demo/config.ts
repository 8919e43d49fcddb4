/**
 * Namespaces and the namespaced configuration objects: ServiceAccounts, ConfigMaps,
 * Secrets (placeholder values only), ResourceQuotas and LimitRanges.
 */
import type { Container, K8sObject, Pod } from '../engine/k8s.js';
import type { DemoContext, Labels, Obj } from './context.js';
import { meta } from './pods.js';

/** Stands in for every certificate: obviously not a real one (PEM allows text before the block). */
export const PLACEHOLDER_CERT = [
  'DEMO PLACEHOLDER - not a real certificate',
  '-----BEGIN CERTIFICATE-----',
  Buffer.from('DEMO PLACEHOLDER - not a real certificate').toString('base64'),
  '-----END CERTIFICATE-----',
  '',
].join('\n');

export type PssLevel = 'privileged' | 'baseline' | 'restricted';

export interface NamespaceParams {
  readonly labels?: Labels;
  readonly annotations?: Labels;
  /** Pod Security Admission labels; `version` applies to every mode given. */
  readonly pss?: { readonly enforce?: PssLevel; readonly audit?: PssLevel; readonly warn?: PssLevel; readonly version?: string };
  readonly ageDays?: readonly [number, number];
  /** Exact creation time (overrides `ageDays`). */
  readonly createdMs?: number;
  /** `automountServiceAccountToken` of the namespace's `default` ServiceAccount. */
  readonly defaultSaAutomount?: boolean;
}

export function namespace(ctx: DemoContext, name: string, p: NamespaceParams = {}): K8sObject {
  const labels: Labels = { ...p.labels, 'kubernetes.io/metadata.name': name };
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    const level = p.pss?.[mode];
    if (level === undefined) continue;
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    if (p.pss?.version !== undefined) labels[`pod-security.kubernetes.io/${mode}-version`] = p.pss.version;
  }
  // Older than anything placed in them (workloads are at most 300 days old).
  const age = p.ageDays ?? [301, 328];
  const createdMs = p.createdMs ?? ctx.agoMs(age[0], age[1]);
  const ns = ctx.add({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(ctx, { name, labels, createdMs, ...(p.annotations && { annotations: p.annotations }) }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  // Created by the service-account and root-CA publisher controllers in every namespace.
  serviceAccount(ctx, name, 'default', { createdMs, ...(p.defaultSaAutomount !== undefined && { automount: p.defaultSaAutomount }) });
  configMap(ctx, name, 'kube-root-ca.crt', { 'ca.crt': PLACEHOLDER_CERT }, { createdMs, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } });
  return ns;
}

interface ObjectOptions {
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly createdMs?: number;
}

export function serviceAccount(ctx: DemoContext, ns: string, name: string, o: ObjectOptions & { automount?: boolean } = {}): K8sObject {
  return ctx.add({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(ctx, {
      name,
      namespace: ns,
      createdMs: o.createdMs ?? ctx.agoMs(30, 300),
      ...(o.labels && { labels: o.labels }),
      ...(o.annotations && { annotations: o.annotations }),
    }),
    ...(o.automount !== undefined && { automountServiceAccountToken: o.automount }),
  });
}

export function configMap(ctx: DemoContext, ns: string, name: string, data: Record<string, string>, o: ObjectOptions = {}): K8sObject {
  return ctx.add({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(ctx, {
      name,
      namespace: ns,
      createdMs: o.createdMs ?? ctx.agoMs(30, 300),
      ...(o.labels && { labels: o.labels }),
      ...(o.annotations && { annotations: o.annotations }),
    }),
    data: { ...data },
  });
}

/** A Secret; `data` is given in clear and stored base64-encoded. Values must be placeholders. */
export function secret(ctx: DemoContext, ns: string, name: string, type: string, data: Record<string, string>, o: ObjectOptions = {}): K8sObject {
  return ctx.add({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(ctx, {
      name,
      namespace: ns,
      createdMs: o.createdMs ?? ctx.agoMs(30, 300),
      ...(o.labels && { labels: o.labels }),
      ...(o.annotations && { annotations: o.annotations }),
    }),
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  });
}

/** A `kubernetes.io/tls` Secret with placeholder certificate and key. */
export function tlsSecret(ctx: DemoContext, ns: string, name: string, o: ObjectOptions = {}): K8sObject {
  return secret(ctx, ns, name, 'kubernetes.io/tls', { 'tls.crt': PLACEHOLDER_CERT, 'tls.key': 'DEMO PLACEHOLDER - not a real private key\n' }, o);
}

// ---------------------------------------------------------------------------- quota and limits

/** CPU in millicores or memory in MiB from a Kubernetes quantity. */
function quantity(value: string | number | undefined, kind: 'cpu' | 'memory'): number {
  if (value === undefined) return 0;
  const text = String(value);
  const n = parseFloat(text);
  if (kind === 'cpu') return text.endsWith('m') ? n : n * 1000;
  if (text.endsWith('Gi')) return n * 1024;
  if (text.endsWith('Mi')) return n;
  if (text.endsWith('Ki')) return n / 1024;
  return n / (1024 * 1024);
}

export function resourceQuota(ctx: DemoContext, ns: string, name: string, hard: Record<string, string>): K8sObject {
  const pods = ctx.ofKind('Pod', ns).map((o) => o as Pod).filter((p) => p.status?.phase === 'Running');
  const containers = pods.flatMap((p) => (p.spec?.containers ?? []) as Container[]);
  const sum = (field: 'requests' | 'limits', kind: 'cpu' | 'memory') =>
    containers.reduce((n, c) => n + quantity(c.resources?.[field]?.[kind], kind), 0);
  const used: Record<string, string> = {};
  for (const key of Object.keys(hard)) {
    if (key === 'pods') used[key] = String(pods.length);
    else if (key === 'requests.cpu' || key === 'limits.cpu') used[key] = `${Math.round(sum(key.startsWith('requests') ? 'requests' : 'limits', 'cpu'))}m`;
    else if (key === 'requests.memory' || key === 'limits.memory') used[key] = `${Math.round(sum(key.startsWith('requests') ? 'requests' : 'limits', 'memory'))}Mi`;
    else used[key] = '0';
  }
  return ctx.add({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta(ctx, { name, namespace: ns, createdMs: ctx.agoMs(60, 200) }),
    spec: { hard: { ...hard } },
    status: { hard: { ...hard }, used },
  });
}

export function limitRange(ctx: DemoContext, ns: string, name: string, item: Obj): K8sObject {
  return ctx.add({
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta(ctx, { name, namespace: ns, createdMs: ctx.agoMs(60, 200) }),
    spec: { limits: [{ type: 'Container', ...item }] },
  });
}
