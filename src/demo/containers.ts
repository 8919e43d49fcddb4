/**
 * Container and pod-spec shorthands: the restricted-compliant baseline the good workloads
 * use, resources, digest-pinned images, and small env/volume helpers.
 */
import type { Container, EnvVar, PodSecurityContext, SecurityContext, Volume } from '../engine/k8s.js';
import type { DemoContext } from './context.js';

export const NON_ROOT_UID = 10001;

/** Container securityContext satisfying PSS restricted. */
export const RESTRICTED_CONTAINER: SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: NON_ROOT_UID,
};

/** Pod securityContext satisfying PSS restricted. */
export const RESTRICTED_POD: PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: NON_ROOT_UID,
  runAsGroup: NON_ROOT_UID,
  fsGroup: NON_ROOT_UID,
  seccompProfile: { type: 'RuntimeDefault' },
};

export function resources(cpu: string, memory: string, limits: { cpu?: string; memory?: string } = { memory }): Container['resources'] {
  const lim: Record<string, string> = {};
  if (limits.cpu !== undefined) lim['cpu'] = limits.cpu;
  if (limits.memory !== undefined) lim['memory'] = limits.memory;
  return { requests: { cpu, memory }, ...(Object.keys(lim).length > 0 && { limits: lim }) };
}

/** `repo:tag@sha256:…`, the digest stable for the seed. */
export function pinned(ctx: DemoContext, repository: string, tag: string): string {
  return `${repository}:${tag}@${ctx.digest(`${repository}:${tag}`)}`;
}

export interface AppContainer {
  readonly name: string;
  readonly image: string;
  readonly port?: number;
  readonly portName?: string;
  readonly env?: readonly EnvVar[];
  readonly envFrom?: Container['envFrom'];
  readonly args?: readonly string[];
  readonly command?: readonly string[];
  readonly resources?: Container['resources'];
  readonly securityContext?: SecurityContext;
  readonly volumeMounts?: Container['volumeMounts'];
  /** HTTP readiness/liveness on this path (needs `port`). */
  readonly health?: string;
}

export function container(a: AppContainer): Container {
  const port = a.port;
  return {
    name: a.name,
    image: a.image,
    ...(a.command && { command: [...a.command] }),
    ...(a.args && { args: [...a.args] }),
    ...(port !== undefined && { ports: [{ name: a.portName ?? 'http', containerPort: port, protocol: 'TCP' }] }),
    ...(a.env && { env: [...a.env] }),
    ...(a.envFrom && { envFrom: [...a.envFrom] }),
    ...(a.resources && { resources: a.resources }),
    ...(a.securityContext && { securityContext: a.securityContext }),
    ...(a.volumeMounts && { volumeMounts: [...a.volumeMounts] }),
    ...(a.health !== undefined &&
      port !== undefined && {
        readinessProbe: { httpGet: { path: a.health, port, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        livenessProbe: { httpGet: { path: a.health, port, scheme: 'HTTP' }, initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
      }),
  };
}

/** A restricted-compliant container: non-root, no escalation, all capabilities dropped, read-only root. */
export function hardened(a: AppContainer): Container {
  return container({ ...a, securityContext: { ...RESTRICTED_CONTAINER, ...a.securityContext } });
}

export const env = (name: string, value: string): EnvVar => ({ name, value });
export const secretEnv = (name: string, secretName: string, key: string): EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secretName, key } } });
export const configEnv = (name: string, configMap: string, key: string): EnvVar => ({ name, valueFrom: { configMapKeyRef: { name: configMap, key } } });
/** Downward-API env var; the API defaults `fieldRef.apiVersion` to v1. */
export const fieldEnv = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } as { fieldPath: string } } });

export const emptyDir = (name: string): Volume => ({ name, emptyDir: {} });
export const hostPath = (name: string, path: string, type = ''): Volume => ({ name, hostPath: { path, type } });
export const configMapVolume = (name: string, configMap: string): Volume => ({ name, configMap: { name: configMap, defaultMode: 420 } });
export const secretVolume = (name: string, secretName: string): Volume => ({ name, secret: { secretName, defaultMode: 420 } as { secretName: string } });
export const volumeMount = (name: string, mountPath: string, readOnly?: boolean) => ({ name, mountPath, ...(readOnly !== undefined && { readOnly }) });
