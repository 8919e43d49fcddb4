/**
 * An embedded, read-only, Kubernetes-API-compatible server on 127.0.0.1. `--demo` serves the
 * built-in demo cluster with it, and tests feed it fixtures and faults. It speaks the real
 * protocol (discovery, paging, selectors, metadata-only and Table answers, Status errors,
 * bearer tokens, TLS), so @kubernetes/client-node and an unmodified kubectl both work with it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import type { K8sObject } from '../engine/k8s.js';
import { groupVersion, isResourceName } from '../engine/resources.js';
import { buildDiscovery, type Discovery } from './discovery.js';
import { contentType, negotiate } from './media.js';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import * as statuses from './status.js';
import type { Status } from './status.js';
import {
  buildStore,
  ContinueTokenError,
  decodeContinue,
  fieldAccessor,
  listPage,
  objectKey,
  type ListQuery,
  type ResourceStore,
  type StoredObject,
} from './store.js';
import { rbacAuthorizer } from './rbac.js';
import { printerFor } from './tables.js';
import { makeTlsMaterial } from './tls.js';
import { mulberry32 } from '../prng.js';

export interface FaultSettings {
  /** ResourceNames (from resources.ts, e.g. 'secrets', 'deployments') answered 403 Forbidden for list and get, cluster-wide and per namespace. */
  forbidden?: readonly string[];
  /** Fraction 0..1 of resource list/get requests answered with an error instead (alternating/seeded mix of 429 with Retry-After and 500). Discovery (/version, /api, /apis…) is never faulted. */
  errorRate?: number;
  /** Seed for the fault PRNG (deterministic). Default 1. */
  seed?: number;
  /** Retry-After seconds on injected 429s (integer, default 0 so tests stay fast). */
  retryAfterSeconds?: number;
  /** Extra latency added before answering every request, ms. */
  latencyMs?: number;
  /** The next N requests that carry a `continue` token are answered 410 Gone (reason Expired) — like an etcd compaction. */
  expireContinue?: number;
  /** Answer every request 401 (like an expired token). */
  unauthorized?: boolean;
  /**
   * Answer this many requests (counted from setFaults), then go away like a crashed API server:
   * the request after them and every open connection are destroyed and the port stops listening.
   */
  dieAfterRequests?: number;
  /**
   * Answer every request (discovery and /version included, before authentication, like a
   * load balancer in front of a broken control plane) with this 5xx status — after answering
   * `afterRequests` requests normally (counted from setFaults; default 0). With `resources`,
   * only list/get requests for these ResourceNames fail (like a broken aggregated API).
   */
  serverError?: { readonly status: 500 | 502 | 503 | 504; readonly afterRequests?: number; readonly resources?: readonly string[] };
}

export interface ApiServerOptions {
  objects: readonly K8sObject[];
  /** Require `Authorization: Bearer <token>`; otherwise 401 Status. Undefined = no auth. */
  token?: string;
  /** Serve HTTPS with a CA + server cert (SANs 127.0.0.1, ::1, localhost) generated at start. */
  tls?: boolean;
  /** /version answer; default a plausible v1.33.x kubeadm cluster. */
  version?: { major: string; minor: string; gitVersion: string; platform?: string };
  faults?: FaultSettings;
  /** Extra non-built-in ResourceNames to serve (empty) even with no objects of that kind. */
  serve?: readonly string[];
  /**
   * RBAC-enforcing mode (off by default): the user holds exactly the rules of these Roles and
   * ClusterRoles, as if bound to it; every other request, discovery included, is 403 Forbidden.
   */
  rbac?: readonly K8sObject[];
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Query string without the leading `?`. */
  query: string;
  accept: string;
  status: number;
}

export interface ApiServer {
  readonly url: string;
  readonly caData?: string;
  readonly requests: RequestLogEntry[];
  setFaults(f: FaultSettings): void;
  /**
   * Kubeconfig YAML text pointing at this server (certificate-authority-data when tls,
   * insecure-skip-tls-verify:true only for plain http; user token when a token is set).
   * `token` overrides the server's token; `''` writes a user without any token.
   */
  kubeconfig(opts?: { context?: string; token?: string }): string;
  writeKubeconfig(path: string, opts?: { context?: string; token?: string }): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_CONTEXT = '4c-tui-demo';

const DEFAULT_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.4',
  gitCommit: '74cdb42673c83c2f7f4f9d4fdf0b6b3e63ab8b2b',
  gitTreeState: 'clean',
  buildDate: '2025-08-12T18:01:27Z',
  goVersion: 'go1.24.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Flush streamed lists in chunks of about this many characters. */
const CHUNK = 64 * 1024;

type Route =
  | { readonly kind: 'document'; readonly json: object; readonly aggregated?: object }
  | { readonly kind: 'list'; readonly store: ResourceStore; readonly namespace?: string }
  | { readonly kind: 'get'; readonly store: ResourceStore; readonly namespace?: string; readonly name: string };

/** Maps a URL path to what it serves; undefined is 404. */
function route(path: string, byGroupVersion: ReadonlyMap<string, ReadonlyMap<string, ResourceStore>>, discovery: Discovery, version: object): Route | undefined {
  let segments: string[];
  try {
    segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    return undefined; // a malformed %-escape names nothing
  }
  const [root, a, b] = segments;
  if (root === 'version' && segments.length === 1) return { kind: 'document', json: version };
  let gv: string;
  let rest: string[];
  if (root === 'api') {
    if (a === undefined) return { kind: 'document', json: discovery.apiVersions, aggregated: discovery.aggregatedCore };
    gv = a;
    rest = segments.slice(2);
  } else if (root === 'apis') {
    if (a === undefined) return { kind: 'document', json: discovery.groupList, aggregated: discovery.aggregatedGroups };
    if (b === undefined) {
      const group = discovery.groups.get(a);
      return group && { kind: 'document', json: group };
    }
    gv = `${a}/${b}`;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  const plurals = byGroupVersion.get(gv);
  if (!plurals) return undefined;
  if (rest.length === 0) {
    const list = discovery.resourceLists.get(gv);
    return list && { kind: 'document', json: list };
  }
  const [first, second, third, fourth] = rest;
  if (rest.length <= 2) {
    // /pods (all namespaces), /nodes, /nodes/NAME, /namespaces/NAME. /pods/NAME does not exist.
    const store = plurals.get(first as string);
    if (!store) return undefined;
    if (second === undefined) return { kind: 'list', store };
    return store.info.namespaced ? undefined : { kind: 'get', store, name: second };
  }
  if (first !== 'namespaces' || rest.length > 4) return undefined;
  const store = plurals.get(third as string);
  if (!store?.info.namespaced) return undefined;
  return fourth === undefined
    ? { kind: 'list', store, namespace: second as string }
    : { kind: 'get', store, namespace: second as string, name: fourth };
}

/** Resolves when the response can take more data, or is gone. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The paging and selector parameters of a list request, or the 400 Status they deserve. */
function listQuery(params: URLSearchParams, store: ResourceStore, namespace: string | undefined): ListQuery | Status {
  const limitText = params.get('limit');
  const limit = limitText === null || limitText === '' ? undefined : Number(limitText);
  if (limit !== undefined && !Number.isInteger(limit)) return statuses.badRequest(`invalid limit: "${limitText}"`);
  try {
    const fields = parseFieldSelector(params.get('fieldSelector') ?? '');
    const unsupported = fields.find((f) => !fieldAccessor(store.info, f.field));
    if (unsupported) return statuses.badRequest(`field label not supported: ${unsupported.field}`);
    const token = params.get('continue');
    return {
      namespace,
      limit,
      start: token ? decodeContinue(token) : undefined,
      labels: parseLabelSelector(params.get('labelSelector') ?? ''),
      fields,
    };
  } catch (err) {
    if (err instanceof SelectorError || err instanceof ContinueTokenError) return statuses.badRequest(err.message);
    throw err;
  }
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const startedAt = new Date();
  const store = buildStore(opts.objects, opts.serve ?? [], startedAt);
  const tls = opts.tls ? await makeTlsMaterial() : undefined;
  const version = { ...DEFAULT_VERSION, ...opts.version, platform: opts.version?.platform ?? DEFAULT_VERSION.platform };
  // Who 403 messages name: anonymous without auth, else the user the kubeconfig is written for.
  const user = opts.token === undefined ? 'system:anonymous' : DEFAULT_CONTEXT;
  const expectedToken = opts.token === undefined ? undefined : sha256(opts.token);
  const requests: RequestLogEntry[] = [];
  const authorize = opts.rbac ? rbacAuthorizer(opts.rbac) : undefined;
  // Aborted by close(), so requests waiting out injected latency don't hold the process.
  const closing = new AbortController();

  let faults: FaultSettings = {};
  let random = mulberry32(1);
  let injected = 0;
  let expiresLeft = 0;
  let answered = 0;
  let healthyLeft = 0;
  const setFaults = (f: FaultSettings): void => {
    const unknown = f.forbidden?.find((name) => !isResourceName(name));
    if (unknown !== undefined) throw new Error(`api-server: cannot forbid unknown resource "${unknown}"`);
    faults = { ...f };
    random = mulberry32(f.seed ?? 1);
    injected = 0;
    expiresLeft = f.expireContinue ?? 0;
    answered = 0;
    healthyLeft = f.serverError?.afterRequests ?? 0;
  };
  setFaults(opts.faults ?? {});

  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const discovery = buildDiscovery(store, `127.0.0.1:${port}`);

  const authorized = (req: http.IncomingMessage): boolean => {
    if (expectedToken === undefined) return true;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // Compare digests: constant time and independent of the presented token's length.
    return m !== null && timingSafeEqual(sha256(m[1] as string), expectedToken);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry = { method: req.method ?? 'GET', path: parsed.pathname, query: parsed.search.replace(/^\?/, ''), accept: req.headers.accept ?? '' };
    const params = parsed.searchParams;

    const begin = (status: number, type: string, headers: Record<string, string> = {}): void => {
      requests.push({ ...entry, status });
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache, private', ...headers });
    };
    const send = (status: number, body: object, type = 'application/json', headers: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      begin(status, type, { 'Content-Length': String(Buffer.byteLength(text)), ...headers });
      res.end(text);
    };
    const fail = (s: Status, headers: Record<string, string> = {}): void => send(s.code, s, 'application/json', headers);

    /** Writes `head` with its array field `key` filled item by item, honouring back-pressure. */
    const stream = async (type: string, head: object, key: string, items: readonly StoredObject[], render: (o: StoredObject) => unknown): Promise<void> => {
      begin(200, type);
      const headJson = JSON.stringify(head);
      let chunk = `${headJson.slice(0, -1)},${JSON.stringify(key)}:[`;
      for (const [i, o] of items.entries()) {
        chunk += (i === 0 ? '' : ',') + JSON.stringify(render(o));
        if (chunk.length >= CHUNK) {
          const flushed = res.write(chunk);
          chunk = '';
          if (!flushed) await drained(res);
          if (res.destroyed) return;
        }
      }
      res.end(`${chunk}]}`);
    };

    if (faults.dieAfterRequests !== undefined && answered++ >= faults.dieAfterRequests) {
      // Gone: no answer, open connections reset, new ones refused.
      req.socket.destroy();
      server.close();
      server.closeAllConnections();
      return;
    }
    try {
      if (faults.latencyMs) await sleep(faults.latencyMs, undefined, { signal: closing.signal });
      if (faults.serverError && !faults.serverError.resources && healthyLeft-- <= 0) return fail(statuses.serverError(faults.serverError.status));
      if (faults.unauthorized || !authorized(req)) return fail(statuses.unauthorized());
      if (entry.method !== 'GET' && entry.method !== 'HEAD') return fail(statuses.methodNotAllowed(), { Allow: 'GET, HEAD' });

      const target = route(entry.path, store.byGroupVersion, discovery, version);
      if (!target) return fail(statuses.pathNotFound());
      if (authorize) {
        const allowed = target.kind === 'document'
          ? authorize({ verb: 'get', path: entry.path.replace(/\/+$/, '') || '/' })
          : authorize({ verb: target.kind, group: target.store.info.group, resource: target.store.info.plural, namespace: target.namespace, ...(target.kind === 'get' ? { name: target.name } : {}) });
        if (!allowed) {
          return fail(target.kind === 'document'
            ? statuses.forbiddenPath(user, entry.path)
            : statuses.forbidden(user, target.kind, target.store.info, target.namespace, target.kind === 'get' ? target.name : undefined));
        }
      }
      if (target.kind === 'document') {
        const representation = negotiate(entry.accept, target.aggregated ? ['discovery', 'json'] : ['json'], false);
        if (!representation) return fail(statuses.notAcceptable());
        return representation === 'discovery' && target.aggregated
          ? send(200, target.aggregated, contentType('discovery', true))
          : send(200, target.json);
      }

      const { info } = target.store;
      const isList = target.kind === 'list';
      // The server only has the get and list verbs; a watch is refused like any missing verb.
      if (isList && (params.get('watch') === 'true' || params.get('watch') === '1')) return fail(statuses.methodNotAllowed());
      if (faults.serverError?.resources?.includes(info.name) && healthyLeft-- <= 0) return fail(statuses.serverError(faults.serverError.status));
      if (faults.forbidden?.includes(info.name)) {
        return fail(statuses.forbidden(user, isList ? 'list' : 'get', info, target.namespace, isList ? undefined : target.name));
      }
      const representation = negotiate(entry.accept, ['table', 'metadata', 'json'], isList);
      if (!representation) return fail(statuses.notAcceptable());
      if (isList && params.has('continue') && expiresLeft > 0) {
        expiresLeft--;
        return fail(statuses.expired());
      }
      if (faults.errorRate && random() < faults.errorRate) {
        // Alternate so every seed exercises both the retry-after path and the server-error path.
        if (injected++ % 2 === 0) {
          const after = Math.max(0, Math.floor(faults.retryAfterSeconds ?? 0));
          return fail(statuses.tooManyRequests(after), { 'Retry-After': String(after) });
        }
        return fail(statuses.internalError('injected fault: the server is failing this request on purpose'));
      }

      const gv = groupVersion(info);
      const now = Date.now();
      const printer = printerFor(info);
      const includeObject = params.get('includeObject') ?? 'Metadata';
      const full = (o: StoredObject): object => ({ kind: info.kind, apiVersion: gv, ...o.item });
      const partial = (o: StoredObject): object => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
      const row = (o: StoredObject): object => {
        const object = includeObject === 'None' ? undefined : includeObject === 'Object' ? full(o) : partial(o);
        return { cells: printer.cells(o.item, now), ...(object ? { object } : {}) };
      };
      const tableHead = (metadata: object): object => ({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: printer.columns });
      const type = contentType(representation, isList);

      if (target.kind === 'get') {
        const found = target.store.byKey.get(objectKey(target.namespace ?? '', target.name));
        if (!found) return fail(statuses.notFound(info, target.name));
        if (representation === 'metadata') return send(200, partial(found), type);
        if (representation === 'table') return send(200, { ...tableHead({ resourceVersion: found.metadata.resourceVersion }), rows: [row(found)] }, type);
        return send(200, full(found), type);
      }

      const query = listQuery(params, target.store, target.namespace);
      if ('code' in query) return fail(query);
      const page = listPage(target.store, store.listResourceVersion, query);
      const metadata = {
        resourceVersion: store.listResourceVersion,
        ...(page.continueToken !== undefined ? { continue: page.continueToken } : {}),
        ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
      };
      switch (representation) {
        case 'table':
          return stream(type, tableHead(metadata), 'rows', page.items, row);
        case 'metadata':
          return stream(type, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata }, 'items', page.items, partial);
        default:
          return stream(type, { kind: `${info.kind}List`, apiVersion: gv, metadata }, 'items', page.items, (o) => o.item);
      }
    } catch (err) {
      // A client that went away, or close() during injected latency: nothing left to answer.
      if (closing.signal.aborted || res.headersSent) res.destroy();
      else fail(statuses.internalError(err instanceof Error ? err.message : String(err)));
    }
  }

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void handle(req, res));

  const kubeconfig = (o: { context?: string; token?: string } = {}): string => {
    const name = o.context ?? DEFAULT_CONTEXT;
    const token = o.token ?? opts.token;
    const cluster = tls
      ? { server: url, 'certificate-authority-data': Buffer.from(tls.caCert).toString('base64') }
      : { server: url, 'insecure-skip-tls-verify': true };
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
      users: [{ name, user: token ? { token } : {} }],
      preferences: {},
    });
  };

  let closed: Promise<void> | undefined;
  return {
    url,
    ...(tls ? { caData: Buffer.from(tls.caCert).toString('base64') } : {}),
    requests,
    setFaults,
    kubeconfig,
    async writeKubeconfig(path, o) {
      await writeFile(path, kubeconfig(o), { mode: 0o600 });
      // `mode` only applies when the file is created; an existing file keeps its old mode.
      await chmod(path, 0o600);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
