/**
 * The collector's scan-wide circuit breaker: a server that answers nothing but transient errors
 * (5xx, resets, timeouts) stops the retries after a bounded window; intermittent errors and one
 * broken kind do not. Against the embedded API server (fault `serverError`) and a raw TCP peer.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { collect, type CollectOptions, type CollectResult } from '../../src/cluster/collect.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import type { DataNeed } from '../../src/engine/types.js';
import { UserError } from '../../src/errors.js';
import type { ScanReport } from '../../src/report/json.js';
import { needsOf } from '../../src/scan.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/server/api-server.js';
import { isOneLineError, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), '4c-breaker-'));
let servers: ApiServer[] = [];
const raw: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(async () => {
  await Promise.all(raw.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Everything a full scan reads from the cluster (what `scan` asks for, minus local files and the ConfigMap opt-in). */
const ALL: DataNeed[] = [...needsOf(CHECKS)].filter((n) => n !== 'files' && n !== 'configmaps');

async function setup(options: Partial<ApiServerOptions> = {}) {
  const server = await startApiServer({ objects: demoCluster(), tls: true, token: 'breaker-token', version: DEMO_VERSION, ...options });
  servers.push(server);
  const path = join(dir, `kc-${servers.length}.yaml`);
  await server.writeKubeconfig(path);
  return { server, path, config: await loadKubeconfig({ path, env: {} }) };
}

const opts = (extra: Partial<CollectOptions> = {}): CollectOptions => ({ needs: new Set(ALL), timeoutMs: 5000, backoffMs: 5, ...extra });
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

/** Without the breaker every request would be retried 8 times. */
const UNBOUNDED = ALL.length * 8;

describe('circuit breaker (collector)', () => {
  it.each([500, 502, 503, 504] as const)('a server that answers %i to everything: one user error, a bounded number of requests', async (status) => {
    const { server, config } = await setup({ faults: { serverError: { status } } });
    const error = await failure(collect(config, opts({ breakerWindowMs: 250 })));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('unreachable');
    const message = (error as UserError).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(new RegExp(`^the API server https://127\\.0\\.0\\.1:\\d+ of context "4c-tui-demo" answered ${status} ${STATUS_CODES[status]} to every request for [\\d.]+s — check the control plane .*then retry$`));
    // /version (8 attempts, not fatal by itself), a few /apis attempts, then nothing.
    expect(server.requests.length).toBeLessThanOrEqual(20);
    expect(server.requests.length).toBeLessThan(UNBOUNDED / 10);
    expect(server.requests.every((r) => r.status === status)).toBe(true);
  });

  it('a server that goes bad mid-scan: what was read is kept, the rest fails at once and the result is partial', async () => {
    const { server, config } = await setup({ faults: { serverError: { status: 503, afterRequests: 6 } } });
    const result = await collect(config, opts({ breakerWindowMs: 250 }));
    expect(result.partial).toMatch(/^partial scan: the API server https:\/\/127\.0\.0\.1:\d+ answered 503 Service Unavailable to every request for [\d.]+s — \d+ of \d+ data sources could not be read and the checks that need them are unable; check the control plane, then scan again$/);
    const read = Object.keys(result.lists ?? {});
    expect(read.length).toBeGreaterThanOrEqual(1);
    const skipped = Object.entries(result.errors ?? {}).filter(([, e]) => /: the API server answered 503 Service Unavailable to every request for [\d.]+s$/.test(e.message));
    expect(skipped.length).toBeGreaterThan(10);
    // Every source is accounted for: read, or an error.
    for (const need of ALL.filter((n) => n !== 'version' && n !== 'kubeconfig')) {
      expect(need in (result.lists ?? {}) || need in (result.errors ?? {}) || (need === 'cluster-info' && result.clusterInfo !== undefined) || (need === 'system-configmaps' && result.systemConfigMaps !== undefined), need).toBe(true);
    }
    expect(server.requests.length).toBeLessThan(UNBOUNDED / 4);
  });

  it('intermittent 429/500 answers and a Retry-After never open it: the same data as a clean run', async () => {
    const clean = await setup();
    const expected = await collect(clean.config, opts());
    const flaky = await setup({ faults: { errorRate: 0.3, seed: 11, retryAfterSeconds: 0 } });
    // A window far shorter than the default: the breaker still stays shut, as successes keep coming.
    const result = await collect(flaky.config, opts({ breakerWindowMs: 300 }));
    const statuses = new Set(flaky.server.requests.map((r) => r.status));
    expect(statuses.has(429) && statuses.has(500)).toBe(true);
    expect(result.partial).toBeUndefined();
    expect(result.errors).toEqual(expected.errors);
    const shape = (r: CollectResult) => Object.fromEntries(Object.entries(r.lists ?? {}).map(([k, v]) => [k, (v ?? []).map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort()]));
    expect(shape(result)).toEqual(shape(expected));
  });

  it('one kind that always fails (a broken aggregated API) is that kind\'s error, retried as before, not an outage', async () => {
    const { server, config } = await setup({ faults: { serverError: { status: 503, resources: ['pods'] } } });
    const result = await collect(config, opts({ needs: new Set<DataNeed>(['pods', 'namespaces', 'nodes', 'deployments']), backoffMs: 20, breakerWindowMs: 50 }));
    expect(result.partial).toBeUndefined();
    expect(result.errors?.pods).toEqual({ code: 'failed', status: 503, message: 'could not list pods: HTTP 503 the server is currently unable to handle the request' });
    expect(result.lists?.namespaces?.length).toBeGreaterThan(0);
    expect(result.lists?.deployments?.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.path === '/api/v1/pods')).toHaveLength(8);
  });
});

/**
 * A plain-HTTP peer that answers /version and then, for every other request, resets the
 * connection or never answers. Counts the requests it saw.
 */
async function rawServer(mode: 'reset' | 'hang'): Promise<{ path: string; requests: () => number }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      while (buffer.includes('\r\n\r\n')) {
        const end = buffer.indexOf('\r\n\r\n') + 4;
        const head = buffer.slice(0, end);
        buffer = buffer.slice(end);
        requests += 1;
        if (head.startsWith('GET /version ')) {
          const body = JSON.stringify({ major: '1', minor: '33', gitVersion: 'v1.33.4', platform: 'linux/amd64' });
          socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        } else if (mode === 'reset') {
          socket.resetAndDestroy();
          return;
        }
      }
    });
  });
  server.on('close', () => { for (const s of sockets) s.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  raw.push(server);
  const { port } = server.address() as { port: number };
  const path = join(dir, `raw-${mode}.yaml`);
  writeFileSync(path, [
    'apiVersion: v1', 'kind: Config', 'current-context: raw',
    'clusters:', '  - name: raw', '    cluster:', `      server: http://127.0.0.1:${port}`, '      insecure-skip-tls-verify: true',
    'contexts:', '  - name: raw', '    context:', '      cluster: raw', '      user: raw',
    'users:', '  - name: raw', '    user:', '      token: raw-token', '',
  ].join('\n'));
  return { path, requests: () => requests };
}

describe('circuit breaker (network failures)', () => {
  it('connections reset on every request after /version: one user error naming the failure, bounded requests', async () => {
    const peer = await rawServer('reset');
    const config = await loadKubeconfig({ path: peer.path, env: {} });
    const error = await failure(collect(config, opts({ breakerWindowMs: 300 })));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^the API server http:\/\/127\.0\.0\.1:\d+ of context "raw" gave no answer to any request for [\d.]+s \(.*(ECONNRESET|socket hang up).*\) — check the control plane/);
    expect(peer.requests()).toBeLessThan(UNBOUNDED / 4);
  });

  it('requests that time out after /version: the scan stops after a round or two instead of one timeout per kind', async () => {
    const peer = await rawServer('hang');
    const config = await loadKubeconfig({ path: peer.path, env: {} });
    const started = performance.now();
    const error = await failure(collect(config, opts({ timeoutMs: 300, breakerWindowMs: 500 })));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/gave no answer to any request for [\d.]+s \(timed out\) — check the control plane/);
    // 4 at a time: /apis, then a couple of rounds of 4 lists — not ALL.length timeouts.
    expect(peer.requests()).toBeLessThanOrEqual(1 + 1 + 4 * 3);
    expect(performance.now() - started).toBeLessThan(ALL.length * 300 / 4);
  });
});

describe('circuit breaker (4c-tui scan)', () => {
  it('a server that answers 503 to everything: exit 2 with one line, in bounded time and requests', async () => {
    const { server, path } = await setup({ faults: { serverError: { status: 503 } } });
    const started = performance.now();
    const run = await runCli(['scan', '--kubeconfig', path, '--timeout', '5']);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(/^4c-tui: the API server https:\/\/127\.0\.0\.1:\d+ of context "4c-tui-demo" answered 503 Service Unavailable to every request for [\d.]+s — check the control plane \(or the load balancer in front of it\), then retry\n$/);
    expect(run.stdout).toBe('');
    expect(server.requests.length).toBeLessThanOrEqual(25);
  }, 30_000);

  it('a server that goes bad after a few answers: a partial report, its checks unable with the cause', async () => {
    const { server, path } = await setup({ faults: { serverError: { status: 500, afterRequests: 6 } } });
    const started = performance.now();
    const run = await runCli(['scan', '--kubeconfig', path, '--format', 'json', '--fail-on', 'none', '--timeout', '5']);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.notices?.[0]).toMatch(/^partial scan: the API server https:\/\/127\.0\.0\.1:\d+ answered 500 Internal Server Error to every request for [\d.]+s — \d+ of \d+ data sources could not be read/);
    expect(run.stderr).toContain('4c-tui: note: partial scan:');
    const unable = report.checks.filter((c) => c.status === 'unable' && /answered 500 Internal Server Error to every request/.test(c.reason ?? ''));
    expect(unable.length).toBeGreaterThan(10);
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(server.requests.length).toBeLessThan(100);
  }, 30_000);
});
