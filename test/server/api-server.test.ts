import { stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  ApisApi,
  AppsV1Api,
  CoreApi,
  CoreV1Api,
  KubeConfig,
  VersionApi,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { K8sObject } from '../../src/engine/k8s.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/server/api-server.js';
import { clusterRoleBinding, deployment, manyPods, namespace, node, pod, raw, secret } from './helpers.js';

const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

let servers: ApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(opts: ApiServerOptions): Promise<ApiServer> {
  const s = await startApiServer(opts);
  servers.push(s);
  return s;
}

function client(server: ApiServer, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig(token === undefined ? {} : { token }));
  return kc;
}

/** The ApiException a call rejects with, with its Status body parsed. */
async function apiError(call: Promise<unknown>): Promise<{ code: number; status: { message?: string; reason?: string; code?: number } | undefined }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  const e = err as ApiException<unknown>;
  return { code: e.code, status: typeof e.body === 'string' ? JSON.parse(e.body) : undefined };
}

const basics: K8sObject[] = [
  namespace('default'),
  namespace('shop'),
  node('node-1'),
  node('node-2'),
  pod('default', 'web-1', { app: 'web', tier: 'fe' }),
  pod('default', 'db-1', { app: 'db', tier: 'be' }),
  pod('shop', 'web-2', { app: 'web', tier: 'fe', canary: 'true' }),
  pod('shop', 'worker', { app: 'worker' }),
  deployment('shop', 'web'),
  clusterRoleBinding('cluster-admin', 'cluster-admin'),
  secret('shop', 'db-password', 'Opaque', { password: Buffer.from('hunter2-super-secret').toString('base64') }),
  secret('shop', 'tls', 'kubernetes.io/tls', { 'tls.key': Buffer.from('PRIVATE-KEY-MATERIAL').toString('base64') }),
];

describe('start-up', () => {
  it('rejects objects whose kind it cannot serve, and duplicates', async () => {
    await expect(startApiServer({ objects: [{ apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'x' } }] })).rejects.toThrow(/Gizmo/);
    await expect(startApiServer({ objects: [{ apiVersion: 'apps/v2', kind: 'Deployment', metadata: { name: 'x' } }] })).rejects.toThrow(/apps\/v2/);
    await expect(startApiServer({ objects: [pod('a', 'p'), pod('a', 'p')] })).rejects.toThrow(/duplicate Pod a\/p/);
    await expect(startApiServer({ objects: [], serve: ['widgets'] })).rejects.toThrow(/widgets/);
    await expect(startApiServer({ objects: [], faults: { forbidden: ['secret'] } })).rejects.toThrow(/"secret"/);
  });

  it('fills uid, resourceVersion and creationTimestamp, deterministically, and keeps given ones', async () => {
    const given = pod('default', 'given', {}, { metadata: { name: 'given', namespace: 'default', uid: 'u-1', resourceVersion: '5000', creationTimestamp: '2024-01-02T03:04:05Z' } });
    const a = await start({ objects: [pod('default', 'p'), given] });
    const b = await start({ objects: [pod('default', 'p')] });
    const pa = (await raw(a, '/api/v1/namespaces/default/pods/p')).json;
    const pb = (await raw(b, '/api/v1/namespaces/default/pods/p')).json;
    expect(pa.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pa.metadata.uid).toBe(pb.metadata.uid);
    expect(pa.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(Date.parse(pa.metadata.creationTimestamp)).not.toBeNaN();
    const g = (await raw(a, '/api/v1/namespaces/default/pods/given')).json;
    expect(g.metadata).toMatchObject({ uid: 'u-1', resourceVersion: '5000', creationTimestamp: '2024-01-02T03:04:05Z' });
    // The list's resourceVersion is newer than every object's, given or filled in.
    const list = (await raw(a, '/api/v1/pods')).json;
    const newest = Math.max(...list.items.map((p: { metadata: { resourceVersion: string } }) => Number(p.metadata.resourceVersion)));
    expect(newest).toBe(5000);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(newest);
  });
});

describe('discovery', () => {
  it('answers /version, /api, /api/v1, /apis and /apis/G/V to client-node', async () => {
    const s = await start({ objects: basics, token: 't0k' });
    const kc = client(s);
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.33\.\d+$/);
    expect(version.platform).toBe('linux/amd64');

    expect((await kc.makeApiClient(CoreApi).getAPIVersions()).versions).toEqual(['v1']);
    const core = await kc.makeApiClient(CoreV1Api).getAPIResources();
    expect(core.groupVersion).toBe('v1');
    expect(core.resources.find((r) => r.name === 'pods')).toEqual({
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get', 'list'],
      shortNames: ['po'],
      categories: ['all'],
    });
    expect(core.resources.find((r) => r.name === 'nodes')?.namespaced).toBe(false);

    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const apps = groups.groups.find((g) => g.name === 'apps');
    expect(apps?.preferredVersion).toEqual({ groupVersion: 'apps/v1', version: 'v1' });
    expect(groups.groups.map((g) => g.name)).toContain('rbac.authorization.k8s.io');
    // Custom resources are absent unless objects or `serve` ask for them.
    expect(groups.groups.map((g) => g.name)).not.toContain('cilium.io');

    const appsResources = await kc.makeApiClient(AppsV1Api).getAPIResources();
    expect(appsResources.resources.map((r) => r.name)).toEqual(['deployments', 'replicasets', 'statefulsets', 'daemonsets']);
  });

  it('serves non-built-in resources only when they have objects or are named in `serve`', async () => {
    const cnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'deny', namespace: 'shop' } };
    const s = await start({ objects: [cnp], serve: ['gateways'] });
    const groups = (await raw(s, '/apis')).json.groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['cilium.io', 'gateway.networking.k8s.io']));
    expect(groups).not.toContain('aquasecurity.github.io');
    expect((await raw(s, '/apis/gateway.networking.k8s.io/v1/gateways')).json.items).toEqual([]);
    expect((await raw(s, '/apis/aquasecurity.github.io/v1alpha1/vulnerabilityreports')).status).toBe(404);
    // Custom resource list items keep apiVersion/kind; built-in list items don't (as on a real server).
    expect((await raw(s, '/apis/cilium.io/v2/ciliumnetworkpolicies')).json.items[0]).toMatchObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' });
    const p = await start({ objects: [pod('a', 'p')] });
    expect((await raw(p, '/api/v1/pods')).json.items[0].kind).toBeUndefined();
    expect((await raw(p, '/api/v1/namespaces/a/pods/p')).json).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
  });

  it('answers aggregated discovery (apidiscovery.k8s.io/v2) when asked, legacy JSON otherwise', async () => {
    const s = await start({ objects: basics });
    const core = await raw(s, '/api', { accept: AGGREGATED });
    expect(core.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(core.json).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const pods = core.json.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
    expect(pods).toEqual({
      resource: 'pods',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: ['get', 'list'],
      shortNames: ['po'],
      categories: ['all'],
    });
    const apis = await raw(s, '/apis', { accept: AGGREGATED });
    const rbac = apis.json.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'rbac.authorization.k8s.io');
    expect(rbac.versions[0].resources.find((r: { resource: string }) => r.resource === 'clusterrolebindings').scope).toBe('Cluster');

    // Only v2beta1 offered (kubectl ≤ 1.29): legacy document, plain JSON.
    const legacy = await raw(s, '/api', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' });
    expect(legacy.headers['content-type']).toBe('application/json');
    expect(legacy.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect((await raw(s, '/apis/apps')).json).toMatchObject({ kind: 'APIGroup', name: 'apps', preferredVersion: { version: 'v1' } });
  });
});

describe('lists', () => {
  it('pages through 1,234 pods with limit 100: every pod once, in (namespace, name) order', async () => {
    const s = await start({ objects: manyPods(1234, 7) });
    const core = client(s).makeApiClient(CoreV1Api);
    const names: string[] = [];
    const remaining: (number | undefined)[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 100, _continue: token });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(100);
      names.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      remaining.push(page.metadata?.remainingItemCount);
      expect(page.metadata?.resourceVersion).toMatch(/^\d+$/);
      token = page.metadata?._continue;
    } while (token && pages < 20);
    expect(pages).toBe(13);
    expect(names).toHaveLength(1234);
    expect(new Set(names).size).toBe(1234);
    const sorted = [...names].sort((a, b) => {
      const [an, ap] = a.split('/') as [string, string];
      const [bn, bp] = b.split('/') as [string, string];
      return an === bn ? (ap < bp ? -1 : 1) : an < bn ? -1 : 1;
    });
    expect(names).toEqual(sorted);
    expect(remaining).toEqual([1134, 1034, 934, 834, 734, 634, 534, 434, 334, 234, 134, 34, undefined]);
    // A full page that ends exactly at the end carries no continue token.
    const exact = await core.listNamespacedPod({ namespace: 'ns-0', limit: 177 });
    expect(exact.items).toHaveLength(177);
    expect(exact.metadata?._continue).toBeUndefined();
  });

  it('lists one namespace or all of them, and cluster-scoped kinds only cluster-wide', async () => {
    const s = await start({ objects: basics });
    const core = client(s).makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: 'shop' })).items.map((p) => p.metadata?.name)).toEqual(['web-2', 'worker']);
    expect((await core.listNamespacedPod({ namespace: 'nowhere' })).items).toEqual([]);
    expect((await core.listPodForAllNamespaces()).items.map((p) => p.metadata?.name)).toEqual(['db-1', 'web-1', 'web-2', 'worker']);
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).toEqual(['node-1', 'node-2']);
    expect((await raw(s, '/api/v1/namespaces/shop/nodes')).status).toBe(404);
    const deployments = await client(s).makeApiClient(AppsV1Api).listDeploymentForAllNamespaces();
    expect(deployments.items.map((d) => d.metadata?.name)).toEqual(['web']);
    expect((await raw(s, '/apis/apps/v1/namespaces/shop/deployments')).json).toMatchObject({ kind: 'DeploymentList', apiVersion: 'apps/v1' });
  });

  it('filters by label selector', async () => {
    const s = await start({ objects: basics });
    const core = client(s).makeApiClient(CoreV1Api);
    const select = async (labelSelector: string): Promise<(string | undefined)[]> =>
      (await core.listPodForAllNamespaces({ labelSelector })).items.map((p) => p.metadata?.name);
    expect(await select('app=web')).toEqual(['web-1', 'web-2']);
    expect(await select('app==web,tier=fe')).toEqual(['web-1', 'web-2']);
    expect(await select('app!=web')).toEqual(['db-1', 'worker']);
    expect(await select('app in (db, worker)')).toEqual(['db-1', 'worker']);
    expect(await select('tier notin (fe)')).toEqual(['db-1', 'worker']);
    expect(await select('canary')).toEqual(['web-2']);
    expect(await select('!canary,app=web')).toEqual(['web-1']);
    // The continue token appears only while another match remains, so no empty last page.
    const first = await core.listPodForAllNamespaces({ labelSelector: 'app=web', limit: 1 });
    expect(first.items.map((p) => p.metadata?.name)).toEqual(['web-1']);
    const second = await core.listPodForAllNamespaces({ labelSelector: 'app=web', limit: 1, _continue: first.metadata?._continue });
    expect(second.items.map((p) => p.metadata?.name)).toEqual(['web-2']);
    expect(second.metadata?._continue).toBeUndefined();
    const bad = await apiError(core.listPodForAllNamespaces({ labelSelector: 'app in web' }));
    expect(bad.code).toBe(400);
    expect(bad.status?.reason).toBe('BadRequest');
  });

  it('pages filtered lists without skipping or repeating matches', async () => {
    const s = await start({ objects: manyPods(500, 3) });
    const core = client(s).makeApiClient(CoreV1Api);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ labelSelector: 'idx in (3,4)', limit: 7, _continue: token });
      pages++;
      names.push(...page.items.map((p) => p.metadata?.name ?? ''));
      // Like the real server, no remainingItemCount with a selector.
      expect(page.metadata?.remainingItemCount).toBeUndefined();
      token = page.metadata?._continue;
    } while (token && pages < 50);
    expect(pages).toBe(15);
    expect(names).toHaveLength(100);
    expect(new Set(names).size).toBe(100);
  });

  it('filters by field selector: metadata.name, metadata.namespace, and type on secrets', async () => {
    const s = await start({ objects: basics });
    const core = client(s).makeApiClient(CoreV1Api);
    expect((await core.listPodForAllNamespaces({ fieldSelector: 'metadata.name=worker' })).items.map((p) => p.metadata?.name)).toEqual(['worker']);
    expect((await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace!=shop' })).items.map((p) => p.metadata?.name)).toEqual(['db-1', 'web-1']);
    const tls = await core.listSecretForAllNamespaces({ fieldSelector: 'type=kubernetes.io/tls' }, setHeaderOptions('Accept', METADATA_LIST));
    expect(tls.items.map((x) => x.metadata?.name)).toEqual(['tls']);
    const bad = await apiError(core.listNamespacedConfigMap({ namespace: 'shop', fieldSelector: 'type=Opaque' }));
    expect(bad.code).toBe(400);
    expect(bad.status?.message).toBe('field label not supported: type');
  });

  it('rejects continue tokens it did not issue with 400', async () => {
    const s = await start({ objects: basics });
    const r = await raw(s, '/api/v1/pods?limit=1&continue=bm90LWEtdG9rZW4=');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    expect(r.json.message).toMatch(/^continue key is not valid/);
  });

  it('streams a large unpaged list intact', async () => {
    const padding = 'x'.repeat(2000);
    const objects = manyPods(10_000, 20).map((p) => ({ ...p, metadata: { ...p.metadata, annotations: { padding } } }));
    const s = await start({ objects });
    const r = await raw(s, '/api/v1/pods');
    expect(r.body.length).toBeGreaterThan(20_000_000);
    expect(r.json.items).toHaveLength(10_000);
    expect(r.json.metadata.continue).toBeUndefined();
  });
});

describe('get', () => {
  it('gets namespaced, cluster-scoped and grouped objects by name', async () => {
    const s = await start({ objects: basics });
    const kc = client(s);
    const core = kc.makeApiClient(CoreV1Api);
    const p = await core.readNamespacedPod({ namespace: 'shop', name: 'worker' });
    expect(p.metadata?.labels).toEqual({ app: 'worker' });
    expect(p.spec?.containers[0]?.image).toBe('nginx:1.27');
    expect((await core.readNode({ name: 'node-2' })).metadata?.name).toBe('node-2');
    expect((await core.readNamespace({ name: 'shop' })).status?.phase).toBe('Active');
    expect((await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: 'shop', name: 'web' })).spec?.replicas).toBe(2);
  });

  it('answers 404 with a NotFound Status for missing objects and unknown paths', async () => {
    const s = await start({ objects: basics });
    const core = client(s).makeApiClient(CoreV1Api);
    const missing = await apiError(core.readNamespacedPod({ namespace: 'default', name: 'x' }));
    expect(missing.code).toBe(404);
    expect(missing.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'pods' },
      code: 404,
    });
    const deploy = await raw(s, '/apis/apps/v1/namespaces/shop/deployments/nope');
    expect(deploy.json).toMatchObject({ message: 'deployments.apps "nope" not found', details: { group: 'apps', kind: 'deployments' } });
    for (const path of ['/nope', '/api/v2', '/api/v1/namespaces/%E0%A4%A/pods', '/apis/apps/v9/deployments', '/api/v1/widgets', '/api/v1/pods/web-1', '/api/v1/namespaces/shop/pods/web-2/log']) {
      const r = await raw(s, path);
      expect(r.status, path).toBe(404);
      expect(r.json, path).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    }
  });
});

describe('metadata-only', () => {
  it('lists and gets secrets as PartialObjectMetadata, with no data or type', async () => {
    const s = await start({ objects: basics });
    const core = client(s).makeApiClient(CoreV1Api);
    const list = await core.listSecretForAllNamespaces({}, setHeaderOptions('Accept', METADATA_LIST));
    expect(list.kind).toBe('PartialObjectMetadataList');
    expect(list.apiVersion).toBe('meta.k8s.io/v1');
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['db-password', 'tls']);
    for (const item of list.items) expect(Object.keys(item).sort()).toEqual(['apiVersion', 'kind', 'metadata']);

    const r = await raw(s, '/api/v1/secrets', { accept: METADATA_LIST });
    expect(r.headers['content-type']).toBe('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io');
    expect(r.json.items[0]).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.any(Object) });
    for (const leak of ['hunter2', Buffer.from('hunter2-super-secret').toString('base64'), 'PRIVATE-KEY', '"data"', '"type"']) expect(r.body).not.toContain(leak);

    const one = await raw(s, '/api/v1/namespaces/shop/secrets/tls', { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' });
    expect(Object.keys(one.json).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(one.json.kind).toBe('PartialObjectMetadata');
    // Only the metadata form is offered: anything else is 406, not a silent full object.
    expect((await raw(s, '/api/v1/secrets', { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1' })).status).toBe(406);
  });
});

describe('tables', () => {
  it('prints pods, cluster role bindings and the NAME/AGE default server-side', async () => {
    const crashing = pod('default', 'crash', {}, {
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } };
    const s = await start({ objects: [...basics, crashing, cm] });
    const pods = await raw(s, '/api/v1/pods', { accept: TABLE });
    expect(pods.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(pods.json.kind).toBe('Table');
    expect(pods.json.columnDefinitions.filter((c: { priority: number }) => c.priority === 0).map((c: { name: string }) => c.name)).toEqual([
      'Name', 'Ready', 'Status', 'Restarts', 'Age',
    ]);
    const crash = pods.json.rows.find((r: { cells: unknown[] }) => r.cells[0] === 'crash');
    expect(crash.cells.slice(0, 4)).toEqual(['crash', '0/1', 'CrashLoopBackOff', '4']);
    expect(crash.cells[4]).toMatch(/^\d+s$/);
    // The row object is metadata only; kubectl reads the namespace from it for `-A`.
    expect(crash.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ namespace: 'default' }) });

    const crbs = await raw(s, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { accept: TABLE });
    expect(crbs.json.columnDefinitions.slice(0, 3).map((c: { name: string }) => c.name)).toEqual(['Name', 'Role', 'Age']);
    expect(crbs.json.rows[0].cells.slice(0, 2)).toEqual(['cluster-admin', 'ClusterRole/cluster-admin']);

    const cms = await raw(s, '/api/v1/namespaces/shop/configmaps/settings', { accept: TABLE });
    expect(cms.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Age']);
    expect(cms.json.rows).toHaveLength(1);
    const none = await raw(s, '/api/v1/configmaps?includeObject=None', { accept: TABLE });
    expect(none.json.rows[0].object).toBeUndefined();
  });
});

describe('errors and faults', () => {
  it('answers 403 Forbidden Status for forbidden kinds, cluster-wide, per namespace and by name', async () => {
    const s = await start({ objects: basics, faults: { forbidden: ['pods', 'deployments'] } });
    const kc = client(s);
    const core = kc.makeApiClient(CoreV1Api);
    const all = await apiError(core.listPodForAllNamespaces());
    expect(all.code).toBe(403);
    expect(all.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
    });
    expect((await apiError(core.listNamespacedPod({ namespace: 'shop' }))).status?.message).toBe(
      'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "shop"',
    );
    expect((await apiError(core.readNamespacedPod({ namespace: 'shop', name: 'worker' }))).status?.message).toBe(
      'pods "worker" is forbidden: User "system:anonymous" cannot get resource "pods" in API group "" in the namespace "shop"',
    );
    expect((await apiError(kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces())).status?.message).toBe(
      'deployments.apps is forbidden: User "system:anonymous" cannot list resource "deployments" in API group "apps" at the cluster scope',
    );
    // Other kinds are unaffected, and setFaults lifts the ban.
    expect((await core.listNode()).items).toHaveLength(2);
    s.setFaults({});
    expect((await core.listPodForAllNamespaces()).items).toHaveLength(4);
  });

  it('answers 401 without a token or with a wrong one, and always with the unauthorized fault', async () => {
    const s = await start({ objects: basics, token: 'right-token' });
    expect((await client(s).makeApiClient(CoreV1Api).listNode()).items).toHaveLength(2);
    expect((await apiError(client(s, 'wrong-token').makeApiClient(CoreV1Api).listNode())).code).toBe(401);
    expect((await apiError(client(s, '').makeApiClient(CoreV1Api).listNode())).code).toBe(401);
    const anonymous = await raw(s, '/api');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    // An authenticated user is named in 403s.
    s.setFaults({ forbidden: ['nodes'] });
    expect((await raw(s, '/api/v1/nodes', { token: 'right-token' })).json.message).toContain('User "4c-tui-demo"');
    s.setFaults({ unauthorized: true });
    expect((await raw(s, '/version', { token: 'right-token' })).status).toBe(401);
    expect((await apiError(client(s).makeApiClient(CoreV1Api).listNode())).code).toBe(401);
  });

  it('is read-only: every method but GET and HEAD is 405 MethodNotAllowed', async () => {
    const s = await start({ objects: basics });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await raw(s, '/api/v1/namespaces/shop/pods/worker', { method });
      expect(r.status, method).toBe(405);
      expect(r.json).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
      expect(r.headers['allow']).toBe('GET, HEAD');
    }
    const del = await apiError(client(s).makeApiClient(CoreV1Api).deleteNamespacedPod({ namespace: 'shop', name: 'worker' }));
    expect(del.code).toBe(405);
    const head = await raw(s, '/api/v1/pods', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await raw(s, '/api/v1/pods?watch=true')).status).toBe(405);
    // Still all there.
    expect((await raw(s, '/api/v1/namespaces/shop/pods/worker')).status).toBe(200);
  });

  it('expires the next N continue requests with 410 Expired', async () => {
    const s = await start({ objects: manyPods(30, 1), faults: { expireContinue: 2 } });
    const core = client(s).makeApiClient(CoreV1Api);
    const first = await core.listPodForAllNamespaces({ limit: 10 });
    const token = first.metadata?._continue;
    expect(token).toBeTruthy();
    for (let i = 0; i < 2; i++) {
      const gone = await apiError(core.listPodForAllNamespaces({ limit: 10, _continue: token }));
      expect(gone.code).toBe(410);
      expect(gone.status).toMatchObject({
        reason: 'Expired',
        message: 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      });
    }
    // Requests without a token don't use up the count, and the third continue works.
    expect((await core.listPodForAllNamespaces({ limit: 10, _continue: token })).items[0]?.metadata?.name).toBe('pod-00010');
  });

  it('injects a seeded, deterministic mix of 429 (with Retry-After) and 500 at about the configured rate', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const s = await start({ objects: basics, faults: { errorRate: 0.3, seed, retryAfterSeconds: 2 } });
      const codes: number[] = [];
      for (let i = 0; i < 300; i++) {
        const r = await raw(s, i % 2 === 0 ? '/api/v1/pods' : '/api/v1/namespaces/shop/pods/worker');
        codes.push(r.status);
        if (r.status === 429) {
          expect(r.headers['retry-after']).toBe('2');
          expect(r.json).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 2 } });
        }
        if (r.status === 500) expect(r.json).toMatchObject({ reason: 'InternalError', code: 500 });
      }
      // Discovery is never faulted.
      for (const path of ['/version', '/api', '/apis', '/api/v1', '/apis/apps/v1']) expect((await raw(s, path)).status).toBe(200);
      return codes;
    };
    const a = await run(7);
    const errors = a.filter((c) => c !== 200).length;
    expect(errors / a.length).toBeGreaterThan(0.2);
    expect(errors / a.length).toBeLessThan(0.4);
    expect(a.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(a.filter((c) => c === 500).length).toBeGreaterThan(0);
    expect(new Set(a)).toEqual(new Set([200, 429, 500]));
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('adds latency before answering, and close() cancels pending waits', async () => {
    const s = await start({ objects: basics, faults: { latencyMs: 200 } });
    const t0 = performance.now();
    expect((await raw(s, '/version')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);

    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    s.setFaults({ latencyMs: 60_000 });
    const pending = raw(s, '/version').then(
      () => 'answered',
      () => 'dropped',
    );
    await vi.waitFor(() => expect(timers()).toBeGreaterThan(before), { interval: 5 });
    await s.close();
    expect(await pending).toBe('dropped');
    // No minute-long timer is left behind to keep the process alive after close().
    await vi.waitFor(() => expect(timers()).toBe(before), { interval: 5 });
  });

  it('logs every request with method, path, query, Accept and status', async () => {
    const s = await start({ objects: basics });
    await raw(s, '/api/v1/pods?limit=1&labelSelector=app%3Dweb', { accept: METADATA_LIST });
    await raw(s, '/api/v1/namespaces/x/pods/y', { method: 'DELETE' });
    expect(s.requests).toEqual([
      { method: 'GET', path: '/api/v1/pods', query: 'limit=1&labelSelector=app%3Dweb', accept: METADATA_LIST, status: 200 },
      { method: 'DELETE', path: '/api/v1/namespaces/x/pods/y', query: '', accept: '', status: 405 },
    ]);
  });
});

describe('TLS and kubeconfig', () => {
  it('serves HTTPS that client-node verifies with the CA from the kubeconfig, with a bearer token', async () => {
    const s = await start({ objects: basics, tls: true, token: 's3cret' });
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const config = parse(s.kubeconfig());
    expect(config['current-context']).toBe('4c-tui-demo');
    expect(config.clusters[0].cluster).toEqual({ server: s.url, 'certificate-authority-data': s.caData });
    expect(config.users[0].user).toEqual({ token: 's3cret' });
    expect(Buffer.from(s.caData ?? '', 'base64').toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);

    const pods = await client(s).makeApiClient(CoreV1Api).listPodForAllNamespaces({});
    expect(pods.items).toHaveLength(4);
    expect(s.requests.at(-1)).toMatchObject({ path: '/api/v1/pods', status: 200 });
    // Without the CA the certificate is not trusted.
    await expect(raw(s, '/version', { ca: false })).rejects.toThrow(/certificate/i);
  });

  it('writes plain-HTTP kubeconfigs with insecure-skip-tls-verify, a chosen context, and mode 0600', async () => {
    const s = await start({ objects: basics });
    const dir = await mkdtemp(join(tmpdir(), '4c-tui-kc-'));
    try {
      const file = join(dir, 'config');
      await s.writeKubeconfig(file, { context: 'other', token: 'abc' });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const kc = new KubeConfig();
      kc.loadFromFile(file);
      expect(kc.getCurrentContext()).toBe('other');
      expect(kc.getCurrentCluster()).toMatchObject({ server: s.url, skipTLSVerify: true });
      expect(kc.getCurrentUser()?.token).toBe('abc');
      expect((await kc.makeApiClient(CoreV1Api).listNode()).items).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
