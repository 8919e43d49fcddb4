/**
 * An unmodified kubectl against the TLS + token server. Skipped (with a notice) where kubectl
 * is not on PATH. kubectl runs asynchronously: the server lives in this same process, so a
 * synchronous spawn would block the very server kubectl is talking to.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/engine/k8s.js';
import { startApiServer, type ApiServer, type ApiServerOptions, type RequestLogEntry } from '../../src/server/api-server.js';
import { clusterRoleBinding, manyPods, namespace, node, pod, secret } from './helpers.js';

function onPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const kubectlBinary = onPath('kubectl');
if (!kubectlBinary) console.log('kubectl is not on PATH: skipping the kubectl tests');

const TOKEN = 'kubectl-test-token';
const KUBECTL_TIMEOUT = 60_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

/** A TLS + token server, plus a kubectl bound to it with its own kubeconfig and discovery cache. */
async function setup(objects: readonly K8sObject[], extra: Partial<ApiServerOptions> = {}, kubeconfigToken = TOKEN): Promise<{ server: ApiServer; kubectl: (...args: string[]) => Promise<Run> }> {
  const server = await startApiServer({ objects, tls: true, token: TOKEN, ...extra });
  const dir = await mkdtemp(join(tmpdir(), '4c-tui-kubectl-'));
  cleanups.push(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const kubeconfig = join(dir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig, { token: kubeconfigToken });
  const kubectl = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        kubectlBinary as string,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: KUBECTL_TIMEOUT, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return { server, kubectl };
}

const podRow = (ns: string, name: string): RegExp => new RegExp(`^${ns}\\s+${name}\\s+1/1\\s+Running\\s+0\\s+\\d+s$`, 'm');

/**
 * kubectl ≥ 1.30 asks /api and /apis for aggregated discovery (v2); older ones offer at most
 * v2beta1, get the legacy documents and then fetch every group version. Either way it must
 * have taken the path its own Accept header chose.
 */
function expectDiscoveryConsistent(requests: readonly RequestLogEntry[]): 'aggregated' | 'legacy' {
  const root = requests.find((r) => r.path === '/api');
  expect(root?.status).toBe(200);
  const askedV2 = /v=v2;as=APIGroupDiscoveryList/.test(root?.accept ?? '');
  const fetchedLegacy = requests.some((r) => r.path === '/api/v1' && r.status === 200);
  expect(fetchedLegacy).toBe(!askedV2);
  return askedV2 ? 'aggregated' : 'legacy';
}

const objects: K8sObject[] = [
  namespace('default'),
  namespace('kube-system'),
  namespace('shop'),
  node('cp-1'),
  ...['default', 'kube-system', 'shop'].flatMap((ns) => Array.from({ length: 12 }, (_, i) => pod(ns, `${ns}-pod-${i}`))),
  clusterRoleBinding('cluster-admin', 'cluster-admin'),
  clusterRoleBinding('kubeadm:get-nodes', 'kubeadm:get-nodes'),
  secret('shop', 'db', 'Opaque', { password: 'aHVudGVyMg==' }),
];

describe.skipIf(!kubectlBinary)('kubectl against the embedded server', () => {
  it('get pods -A prints NAMESPACE and a row per pod, over TLS with a token', { timeout: KUBECTL_TIMEOUT }, async () => {
    const { server, kubectl } = await setup(objects);
    const run = await kubectl('get', 'pods', '-A');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toHaveLength(1 + 36);
    for (const ns of ['default', 'kube-system', 'shop']) {
      for (let i = 0; i < 12; i++) expect(run.stdout).toMatch(podRow(ns, `${ns}-pod-${i}`));
    }
    expectDiscoveryConsistent(server.requests);
    expect(server.requests.find((r) => r.path === '/api/v1/pods')?.accept).toMatch(/^application\/json;as=Table;v=v1;g=meta\.k8s\.io/);
  });

  it('get pods -A --chunk-size=50 pages with continue tokens and prints every pod', { timeout: KUBECTL_TIMEOUT }, async () => {
    const pods = manyPods(260, 4);
    const { server, kubectl } = await setup([...objects.filter((o) => o.kind !== 'Pod'), ...pods]);
    const run = await kubectl('get', 'pods', '-A', '--chunk-size=50');
    expect(run.code).toBe(0);
    const lists = server.requests.filter((r) => r.path === '/api/v1/pods');
    expect(new URLSearchParams(lists[0]?.query).get('limit')).toBe('50');
    const continued = lists.filter((r) => new URLSearchParams(r.query).has('continue'));
    expect(continued.length).toBe(5);
    expect(continued.every((r) => r.status === 200)).toBe(true);
    const rows = run.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(260);
    for (const p of pods) expect(run.stdout).toMatch(podRow(p.metadata?.namespace ?? '', p.metadata?.name ?? ''));
  });

  it('get clusterrolebindings prints NAME, ROLE and AGE', { timeout: KUBECTL_TIMEOUT }, async () => {
    const { kubectl } = await setup(objects);
    const run = await kubectl('get', 'clusterrolebindings');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ROLE\s+AGE$/);
    expect(lines.slice(1)).toHaveLength(2);
    expect(run.stdout).toMatch(/^cluster-admin\s+ClusterRole\/cluster-admin\s+\d+s$/m);
    expect(run.stdout).toMatch(/^kubeadm:get-nodes\s+ClusterRole\/kubeadm:get-nodes\s+\d+s$/m);
  });

  it('gets one object as JSON, and reports NotFound, Forbidden and Unauthorized like a cluster', { timeout: KUBECTL_TIMEOUT }, async () => {
    const { kubectl } = await setup(objects, { faults: { forbidden: ['secrets'] } });
    const one = await kubectl('get', 'pod', 'shop-pod-3', '-n', 'shop', '-o', 'json');
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'shop-pod-3', namespace: 'shop' } });

    const missing = await kubectl('get', 'pod', 'nope', '-n', 'shop');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');

    const secrets = await kubectl('get', 'secrets', '-A');
    expect(secrets.code).toBe(1);
    expect(secrets.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "4c-tui-demo" cannot list resource "secrets" in API group "" at the cluster scope',
    );

    const nodes = await kubectl('get', 'nodes');
    expect(nodes.stdout).toMatch(/^cp-1\s+Ready\s+control-plane\s+\d+s\s+v1\.33\.4$/m);

    // `all` comes from the discovery categories.
    const all = await kubectl('get', 'all', '-n', 'shop');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^pod\/shop-pod-0\s+1\/1\s+Running/m);
  });

  it('is refused with a wrong token', { timeout: KUBECTL_TIMEOUT }, async () => {
    const { kubectl } = await setup(objects, {}, 'wrong-token');
    const run = await kubectl('get', 'pods', '-A');
    expect(run.code).toBe(1);
    // Discovery fails first, and client-go reports it with its generic 401 text, as against a cluster.
    expect(run.stderr).toContain('error: You must be logged in to the server');
  });

  // With the gcloud kubectl dispatcher, the server's minor version picks the kubectl release,
  // so this runs a pre-aggregated-discovery kubectl where one is installed.
  it('works with the legacy discovery documents too', { timeout: KUBECTL_TIMEOUT }, async () => {
    const { server, kubectl } = await setup(objects, { version: { major: '1', minor: '27', gitVersion: 'v1.27.16' } });
    const run = await kubectl('get', 'pods', '-n', 'shop');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(13);
    const flavour = expectDiscoveryConsistent(server.requests);
    if (flavour === 'legacy') {
      for (const gv of ['/apis/apps/v1', '/apis/rbac.authorization.k8s.io/v1']) {
        expect(server.requests.some((r) => r.path === gv && r.status === 200)).toBe(true);
      }
    }
  });
});
