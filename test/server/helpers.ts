/** Fixture builders and a raw HTTP(S) client for the embedded API server's tests. */
import http from 'node:http';
import https from 'node:https';
import type { K8sObject } from '../../src/engine/k8s.js';
import type { ApiServer } from '../../src/server/api-server.js';

export const namespace = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } });

export function pod(ns: string, name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], nodeName: 'node-1', serviceAccountName: 'default' },
    status: {
      phase: 'Running',
      podIP: '10.0.0.1',
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } }],
    },
    ...extra,
  };
}

export function secret(ns: string, name: string, type: string, data: Record<string, string>): K8sObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type, data };
}

export const node = (name: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': '' } },
  status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.33.4' } },
});

export const clusterRoleBinding = (name: string, role: string): K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }],
});

export const deployment = (ns: string, name: string): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  status: { readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
});

/** `count` pods spread over `namespaces` namespaces, named so that sort order differs from creation order. */
export function manyPods(count: number, namespaces: number): K8sObject[] {
  return Array.from({ length: count }, (_, i) => pod(`ns-${i % namespaces}`, `pod-${String((i * 7919) % count).padStart(5, '0')}`, { idx: String(i % 10) }));
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Parsed body; `any` because tests inspect arbitrary wire JSON. */
  readonly json: any;
}

/** One request with nothing in between: what the server answers is exactly what the test sees. */
export function raw(
  server: ApiServer,
  path: string,
  o: { method?: string; accept?: string; token?: string; ca?: boolean } = {},
): Promise<RawResponse> {
  const url = new URL(path, server.url);
  const headers: Record<string, string> = {};
  if (o.accept !== undefined) headers['Accept'] = o.accept;
  if (o.token !== undefined) headers['Authorization'] = `Bearer ${o.token}`;
  const options: https.RequestOptions = { method: o.method ?? 'GET', headers };
  if (url.protocol === 'https:' && o.ca !== false && server.caData) options.ca = Buffer.from(server.caData, 'base64').toString();
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = body === '' ? undefined : JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
