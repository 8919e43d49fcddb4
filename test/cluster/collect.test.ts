/**
 * The collector against the embedded API server (a real HTTP/TLS peer, real client-node
 * KubeConfig): pagination, per-kind errors, retries, re-list on 410, timeouts, fatal errors.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, type CollectOptions } from '../../src/cluster/collect.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import type { DataNeed } from '../../src/engine/types.js';
import { UserError } from '../../src/errors.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/server/api-server.js';

const dir = mkdtempSync(join(tmpdir(), '4c-collect-'));
let servers: ApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function pods(n: number, namespaces = 7): K8sObject[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `pod-${String(i).padStart(5, '0')}`, namespace: `ns-${i % namespaces}` },
    spec: { containers: [{ name: 'c', image: 'app:1' }] }, status: { phase: 'Running' },
  }));
}
const secret = (name: string, ns: string): K8sObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'Opaque', data: { password: 'c2VjcmV0' } });
const namespace = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

async function setup(options: ApiServerOptions, name = 'kc') {
  const server = await startApiServer({ tls: true, token: 'test-token', ...options });
  servers.push(server);
  const path = join(dir, `${name}-${servers.length}.yaml`);
  await server.writeKubeconfig(path);
  return { server, config: await loadKubeconfig({ path, env: {} }) };
}

const opts = (needs: DataNeed[], extra: Partial<CollectOptions> = {}): CollectOptions => ({ needs: new Set(needs), timeoutMs: 5000, backoffMs: 5, ...extra });
const names = (items: readonly K8sObject[] | undefined) => (items ?? []).map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();

describe('collect', () => {
  it('paginates across many pages without losing or repeating items', async () => {
    const { server, config } = await setup({ objects: pods(1234) });
    const result = await collect(config, opts(['pods'], { pageSize: 100 }));
    expect(result.lists?.pods).toHaveLength(1234);
    expect(new Set(names(result.lists?.pods)).size).toBe(1234);
    const pages = server.requests.filter((r) => r.path === '/api/v1/pods');
    expect(pages).toHaveLength(13);
    expect(pages.filter((r) => r.query.includes('continue='))).toHaveLength(12);
    expect(result.version?.gitVersion).toMatch(/^v1\./);
  });

  it('turns a 403 into an unable reason for that kind only', async () => {
    const { config } = await setup({ objects: [...pods(5), secret('db', 'ns-0')], faults: { forbidden: ['secrets'] } });
    const result = await collect(config, opts(['pods', 'secrets', 'namespaces']));
    expect(result.errors?.secrets).toEqual({ code: 'forbidden', status: 403, message: 'missing permission: list secrets' });
    expect(result.lists?.pods).toHaveLength(5);
    expect(result.lists?.namespaces).toEqual([]);
    expect(result.lists?.secrets).toBeUndefined();
  });

  it('lists secrets as metadata only: no values reach the process', async () => {
    const { server, config } = await setup({ objects: [secret('db', 'ns-0'), secret('api', 'ns-1')] });
    const result = await collect(config, opts(['secrets']));
    expect(names(result.lists?.secrets)).toEqual(['ns-0/db', 'ns-1/api']);
    for (const s of result.lists?.secrets ?? []) {
      expect(Object.keys(s).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
      expect(s.kind).toBe('Secret');
      expect(JSON.stringify(s)).not.toContain('c2VjcmV0');
    }
    const secretRequests = server.requests.filter((r) => r.path === '/api/v1/secrets');
    expect(secretRequests.length).toBeGreaterThan(0);
    for (const r of secretRequests) expect(r.accept).toContain('as=PartialObjectMetadataList');
  });

  it('learns secret types through field selectors and drops annotations that hold values', async () => {
    const applied = { ...secret('applied', 'ns-0'), metadata: { name: 'applied', namespace: 'ns-0', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"c2VjcmV0"}}', team: 'a' } } };
    const tls: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'ns-0' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==' } };
    const { config } = await setup({ objects: [applied, tls] });
    const result = await collect(config, opts(['secrets']));
    const byName = Object.fromEntries((result.lists?.secrets ?? []).map((s) => [s.metadata?.name, s]));
    expect(byName.cert?.type).toBe('kubernetes.io/tls');
    expect(byName.applied?.type).toBeUndefined();
    expect(byName.applied?.metadata?.annotations).toEqual({ team: 'a' });
    expect(JSON.stringify(result.lists?.secrets)).not.toContain('c2VjcmV0');
  });

  it('returns the same data as a clean run under 30% injected 429/500 answers', async () => {
    const objects = [...pods(600), ...['a', 'b', 'c'].map(namespace)];
    const clean = await setup({ objects });
    const expected = await collect(clean.config, opts(['pods', 'namespaces'], { pageSize: 50 }));
    const flaky = await setup({ objects, faults: { errorRate: 0.3, seed: 7, retryAfterSeconds: 0 } });
    const result = await collect(flaky.config, opts(['pods', 'namespaces'], { pageSize: 50 }));
    expect(result.errors).toEqual({});
    expect(names(result.lists?.pods)).toEqual(names(expected.lists?.pods));
    expect(names(result.lists?.namespaces)).toEqual(names(expected.lists?.namespaces));
    expect(result.stats.retries).toBeGreaterThan(0);
    const statuses = new Set(flaky.server.requests.map((r) => r.status));
    expect(statuses.has(429) && statuses.has(500)).toBe(true);
  });

  it('re-lists from the start when a continue token expires (410)', async () => {
    const { config } = await setup({ objects: pods(250), faults: { expireContinue: 1 } });
    const result = await collect(config, opts(['pods'], { pageSize: 100 }));
    expect(result.lists?.pods).toHaveLength(250);
    expect(new Set(names(result.lists?.pods)).size).toBe(250);
    expect(result.stats.relists).toBe(1);
  });

  it('limits namespaced kinds to -n namespaces', async () => {
    const { server, config } = await setup({ objects: [...pods(21), ...['ns-0', 'ns-1', 'ns-2'].map(namespace)] });
    const result = await collect(config, opts(['pods', 'namespaces'], { namespaces: ['ns-1', 'ns-2'] }));
    expect(new Set((result.lists?.pods ?? []).map((p) => p.metadata?.namespace))).toEqual(new Set(['ns-1', 'ns-2']));
    expect(names(result.lists?.namespaces)).toEqual(['undefined/ns-1', 'undefined/ns-2']);
    expect(server.requests.some((r) => r.path === '/api/v1/pods')).toBe(false);
  });

  it('makes only GET requests', async () => {
    const { server, config } = await setup({ objects: pods(3) });
    await collect(config, opts(['pods', 'nodes', 'deployments', 'clusterrolebindings', 'secrets', 'cluster-info', 'kubeconfig', 'version']));
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('marks kinds the server does not serve as not-served without failing the scan', async () => {
    const { config } = await setup({ objects: pods(2) });
    const result = await collect(config, opts(['pods', 'ciliumnetworkpolicies']));
    expect(result.errors?.ciliumnetworkpolicies?.code).toBe('not-served');
    expect(result.lists?.pods).toHaveLength(2);
  });

  it('fails with one-line user errors for bad credentials, an untrusted CA and a slow server', async () => {
    const bad = await setup({ objects: [], token: 'right' });
    const badPath = join(dir, 'wrong-token.yaml');
    await bad.server.writeKubeconfig(badPath, { token: 'wrong' });
    const e401 = await collect(await loadKubeconfig({ path: badPath, env: {} }), opts(['pods'])).catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(UserError);
    expect((e401 as UserError).kind).toBe('unauthorized');

    const other = await setup({ objects: [] });
    const mixed = await setup({ objects: [] });
    const swapped = mixed.server.kubeconfig().replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${other.server.caData}`);
    const swappedPath = join(dir, 'swapped.yaml');
    (await import('node:fs')).writeFileSync(swappedPath, swapped);
    const eTls = await collect(await loadKubeconfig({ path: swappedPath, env: {} }), opts(['pods'])).catch((e: unknown) => e);
    expect((eTls as UserError).kind).toBe('tls');

    const slow = await setup({ objects: [], faults: { latencyMs: 1500 } });
    const eSlow = await collect(slow.config, opts(['pods'], { timeoutMs: 200 })).catch((e: unknown) => e);
    expect((eSlow as UserError).kind).toBe('timeout');
    expect((eSlow as UserError).message).toContain('--timeout');
  });
});
