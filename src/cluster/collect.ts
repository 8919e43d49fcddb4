/**
 * The only module that talks to the API (DESIGN.md §5). It fetches exactly the data the
 * selected checks declare: paginated lists (limit + continue), retried on 429 (Retry-After)
 * and 5xx with bounded backoff, re-listed from the start on 410 Gone, a few kinds at a time.
 * A kind that fails (403, 404, timeout) becomes a per-kind error — the scan goes on and the
 * checks that need it become `unable`. Only failures that make the whole cluster unusable
 * (unreachable, 401, TLS, exec plugin) are thrown, as one-line UserErrors.
 *
 * A scan-wide circuit breaker stops the retries when the server has answered nothing but
 * transient errors (5xx, resets, refusals, timeouts) for a while (see Breaker): the rest of
 * the scan fails at once instead of retrying every kind for a minute or more.
 */
import { STATUS_CODES } from 'node:http';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ConfigMap, K8sObject } from '../engine/k8s.js';
import { groupVersion, isResourceName, listPath, rbacResource, resourceInfo, type ResourceInfo, type ResourceName } from '../engine/resources.js';
import { SYSTEM_CONFIGMAPS, type ClusterVersion, type DataError, type KubeconfigInfo, type SnapshotInput } from '../engine/snapshot.js';
import type { DataNeed } from '../engine/types.js';
import { UserError } from '../errors.js';
import { clientCertificateGroups, type LoadedKubeconfig } from './kubeconfig.js';
import { projectItem } from './project.js';
import { ApiClient, RequestFailure, type ApiResponse } from './transport.js';

export const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/**
 * Secret types learnt through `fieldSelector=type=…` on metadata-only lists, since a
 * PartialObjectMetadata carries no `type` (CHECKS.md §1.3 D-SEC-META).
 */
export const SECRET_TYPES: readonly string[] = ['kubernetes.io/tls', 'kubernetes.io/service-account-token', 'kubernetes.io/dockerconfigjson'];

/** Annotations that can hold an object's full content (kubectl apply writes the whole Secret into it). */
const CONTENT_ANNOTATIONS: readonly string[] = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * Items of built-in lists come without apiVersion/kind (as from a real API server): stamp
 * them. Metadata-only kinds keep nothing but metadata, minus annotations that could carry
 * the values — also when a server ignored the metadata-only Accept header.
 */
function normalizeItem(info: ResourceInfo, item: K8sObject): K8sObject {
  if (info.metadataOnly) {
    const annotations = item.metadata?.annotations;
    const kept = annotations && Object.fromEntries(Object.entries(annotations).filter(([k]) => !CONTENT_ANNOTATIONS.includes(k)));
    return { apiVersion: groupVersion(info), kind: info.kind, metadata: { ...item.metadata, ...(kept ? { annotations: kept } : {}) } };
  }
  const mutable = item as { apiVersion?: string; kind?: string };
  mutable.apiVersion ??= groupVersion(info);
  mutable.kind ??= info.kind;
  return item;
}

export interface CollectOptions {
  readonly needs: ReadonlySet<DataNeed>;
  /** `-n`: namespaced kinds are listed in these namespaces only. */
  readonly namespaces?: readonly string[];
  /** Per request. */
  readonly timeoutMs: number;
  readonly pageSize?: number;
  readonly concurrency?: number;
  /** Attempts per request for 429/5xx/transient network errors. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff, ms. */
  readonly backoffMs?: number;
  /** Longest Retry-After honoured, ms. */
  readonly maxRetryAfterMs?: number;
  /** How long only transient errors may come back before the breaker opens, ms (default 10 s). */
  readonly breakerWindowMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: CollectProgress) => void;
  /** Keep whole objects instead of the slim projection (src/cluster/project.ts); tests compare the two. */
  readonly fullObjects?: boolean;
  /**
   * Each need as it settles (collected or failed), with everything collected so far, so
   * checks can run while bigger lists are still arriving (src/engine/stream.ts).
   */
  readonly onSettled?: (need: DataNeed, sofar: SnapshotInput) => void;
}

/**
 * The order lists are fetched in. Pods, the longest list, starts at once (the scan ends when
 * it does); every small kind (namespaces, nodes, RBAC…) comes next so the checks over them
 * report while the big lists stream in; the other big lists come last.
 */
const FIRST: readonly ResourceName[] = ['pods'];
const LAST: readonly ResourceName[] = ['replicasets', 'secrets', 'configmaps', 'services', 'serviceaccounts', 'endpoints', 'endpointslices', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers', 'podtemplates'];
const rank = (name: ResourceName) => (FIRST.includes(name) ? 0 : LAST.includes(name) ? 2 : 1);

export interface CollectProgress {
  readonly need: DataNeed;
  readonly ok: boolean;
  readonly items: number;
  readonly done: number;
  readonly total: number;
}

export interface CollectStats {
  readonly requests: number;
  readonly retries: number;
  readonly relists: number;
  readonly durationMs: number;
}

export interface CollectResult extends SnapshotInput {
  readonly stats: CollectStats;
  /**
   * Set when the API server gave no answer at all (gone, reset, timed out) for some data after
   * the scan had started: one line saying the results are partial. Those kinds have errors, so
   * their checks are `unable`.
   */
  readonly partial?: string;
}

class KindError extends Error {
  readonly dataError: DataError;
  /** Why no HTTP answer came (connection refused/reset, TLS, timeout); undefined for an error status. */
  readonly unanswered?: string;
  /** Not tried: the breaker was open. */
  readonly skipped: boolean;
  constructor(dataError: DataError, unanswered?: string, skipped = false) {
    super(dataError.message);
    this.dataError = dataError;
    this.unanswered = unanswered;
    this.skipped = skipped;
  }
}

interface Status { readonly message?: string; readonly reason?: string }

/** Thrown instead of a request once the breaker is open; the message says what the server did. */
class ServerDown extends Error {}

const BREAKER_WINDOW_MS = 10_000;
/** Transient failures in a row, across at least two different requests, before the breaker may open. */
const BREAKER_FAILURES = 4;

/**
 * Scan-wide circuit breaker. Any answer that is not a 5xx (200, 403, 404, 410, 429…) means
 * the server is up and closes the streak. It opens when, since the last such answer (or the
 * start of the scan), at least `window` ms have passed, with BREAKER_FAILURES transient
 * failures in a row spread over two or more different requests: one broken kind retried on
 * its own (an aggregated API answering 503) never opens it, and intermittent errors cannot
 * keep the streak alive for a window. Once open it stays open for the scan.
 */
class Breaker {
  readonly #window: number;
  readonly #controller = new AbortController();
  #lastHealthy = performance.now();
  #streak = 0;
  readonly #requests = new Set<string>();
  /** What the failures of the streak were, in order: "503 Service Unavailable", "connection refused (ECONNREFUSED)". */
  readonly #causes = new Map<string, 'status' | 'network'>();
  #reason?: string;

  constructor(window: number) {
    this.#window = window;
  }

  /** Aborted when the breaker opens (wakes requests sleeping before a retry). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Set once open: what the server did, e.g. "answered 503 Service Unavailable to every request for 10s". */
  get reason(): string | undefined {
    return this.#reason;
  }

  healthy(): void {
    if (this.#reason !== undefined) return;
    this.#lastHealthy = performance.now();
    this.#streak = 0;
    this.#requests.clear();
    this.#causes.clear();
  }

  failed(request: string, cause: string, kind: 'status' | 'network'): void {
    if (this.#reason !== undefined) return;
    this.#streak += 1;
    this.#requests.add(request);
    this.#causes.set(cause, kind);
    const elapsed = performance.now() - this.#lastHealthy;
    if (this.#streak < BREAKER_FAILURES || this.#requests.size < 2 || elapsed < this.#window) return;
    const causes = [...this.#causes];
    const span = `for ${Number((elapsed / 1000).toFixed(elapsed < 10_000 ? 1 : 0))}s`;
    const [first] = causes;
    this.#reason = causes.length === 1 && first?.[1] === 'status' ? `answered ${first[0]} to every request ${span}`
      : causes.length === 1 && first ? `gave no answer to any request ${span} (${first[0]})`
      : `answered only errors to every request ${span} (${causes.slice(0, 3).map(([c]) => c).join(', ')})`;
    this.#controller.abort();
  }

  /** Throws ServerDown once open. */
  check(): void {
    if (this.#reason !== undefined) throw new ServerDown(this.#reason);
  }
}

const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

function statusOf(res: ApiResponse): Status {
  try {
    return JSON.parse(res.body) as Status;
  } catch {
    return {};
  }
}

/** Waits `ms`, or less when `signal` aborts (it may already have). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const wake = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', wake); resolve(); }, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });

/** `--timeout` as the user gave it: `30s`, `0.5s`. */
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(2))}s`;

function retryAfterMs(res: ApiResponse): number | undefined {
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export class Collector {
  readonly #client: ApiClient;
  readonly #config: LoadedKubeconfig;
  readonly #options: CollectOptions;
  #retries = 0;
  #relists = 0;
  readonly #breaker: Breaker;

  constructor(config: LoadedKubeconfig, options: CollectOptions) {
    this.#config = config;
    this.#options = options;
    this.#client = new ApiClient(config.kc, config.server, config.user, { credentialTimeoutMs: options.timeoutMs });
    this.#breaker = new Breaker(options.breakerWindowMs ?? BREAKER_WINDOW_MS);
  }

  /** GET with retries for 429, 5xx and transient network errors; other statuses are returned. */
  async #get(path: string, accept?: string): Promise<ApiResponse> {
    const o = this.#options;
    const maxAttempts = o.maxAttempts ?? 8;
    const backoff = (attempt: number) => Math.min(3000, (o.backoffMs ?? 100) * 2 ** attempt) * (0.5 + Math.random() / 2);
    const breaker = this.#breaker;
    const wake = o.signal ? AbortSignal.any([o.signal, breaker.signal]) : breaker.signal;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (o.signal?.aborted) throw new RequestFailure('cancelled', 'cancelled');
      breaker.check();
      let res: ApiResponse;
      try {
        res = await this.#client.get(path, { accept, timeoutMs: o.timeoutMs, signal: o.signal });
      } catch (error) {
        if (error instanceof RequestFailure && error.failure !== 'cancelled') breaker.failed(path, error.message, 'network');
        const transient = error instanceof RequestFailure && error.failure === 'network';
        if (!transient || attempt + 1 >= maxAttempts) throw error;
        this.#retries += 1;
        await sleep(backoff(attempt), wake);
        continue;
      }
      if (TRANSIENT_STATUSES.has(res.status)) breaker.failed(path, `${res.status} ${STATUS_CODES[res.status] ?? 'error'}`, 'status');
      else breaker.healthy();
      if (res.status === 401 && !refreshed) {
        // An exec-plugin token may have expired mid-scan: fetch fresh credentials once.
        refreshed = true;
        await this.#client.authenticate();
        continue;
      }
      const retryable = res.status === 429 || TRANSIENT_STATUSES.has(res.status);
      if (!retryable || attempt + 1 >= maxAttempts) return res;
      this.#retries += 1;
      const wait = res.status === 429 ? Math.min(retryAfterMs(res) ?? backoff(attempt), o.maxRetryAfterMs ?? 10_000) : backoff(attempt);
      await sleep(wait, wake);
    }
  }

  /** The first request: anything wrong here means the cluster cannot be scanned at all. */
  async #version(): Promise<ClusterVersion | undefined> {
    const { context, server } = this.#config;
    let res: ApiResponse;
    try {
      res = await this.#get('/version');
    } catch (error) {
      if (!(error instanceof RequestFailure)) throw error;
      switch (error.failure) {
        case 'tls': throw new UserError('tls', `TLS verification of ${server} failed for context "${context}": ${error.message} — check certificate-authority in the kubeconfig`);
        case 'timeout': throw new UserError('timeout', `the API server ${server} of context "${context}" did not answer within ${seconds(this.#options.timeoutMs)} — check the network/VPN or raise --timeout`);
        case 'cancelled': throw error;
        default: throw new UserError('unreachable', `cannot reach the API server ${server} of context "${context}": ${error.message} — check that the cluster is running and the context is right, or try --demo`);
      }
    }
    if (res.status === 401) {
      throw new UserError('unauthorized', `the API server ${server} rejected the credentials of context "${context}" (401 Unauthorized) — log in again (refresh the token or re-run your provider's get-credentials command)`);
    }
    if (res.status !== 200) return undefined; // /version forbidden or odd: not fatal, version-based checks become unable
    const body = JSON.parse(res.body) as Partial<ClusterVersion>;
    return { major: String(body.major ?? ''), minor: String(body.minor ?? ''), gitVersion: String(body.gitVersion ?? ''), ...(body.platform ? { platform: body.platform } : {}) };
  }

  /** Group/versions the server serves, from /apis; undefined when discovery is not readable. */
  async #servedGroups(): Promise<Set<string> | undefined> {
    try {
      const res = await this.#get('/apis');
      if (res.status !== 200) return undefined;
      const list = JSON.parse(res.body) as { groups?: { name: string; versions?: { groupVersion: string }[] }[] };
      return new Set((list.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion)));
    } catch (error) {
      if ((error instanceof RequestFailure && error.failure === 'cancelled') || error instanceof ServerDown) throw error;
      return undefined;
    }
  }

  #kindError(info: ResourceInfo, res: ApiResponse, namespace?: string): KindError {
    const where = namespace !== undefined ? ` in namespace ${namespace}` : '';
    const status = statusOf(res);
    switch (res.status) {
      case 401: return new KindError({ code: 'unauthorized', status: 401, message: `unauthorized to list ${rbacResource(info)}${where} (credentials rejected)` });
      case 403: return new KindError({ code: 'forbidden', status: 403, message: `missing permission: list ${rbacResource(info)}${where}` });
      case 404: return new KindError({ code: 'not-served', status: 404, message: `not served by this cluster: ${rbacResource(info)}` });
      default: return new KindError({ code: 'failed', status: res.status, message: `could not list ${rbacResource(info)}${where}: HTTP ${res.status}${status.message ? ` ${status.message}` : ''}` });
    }
  }

  /** Every page of one list; on 410 Gone the list restarts from the beginning. */
  async #list(info: ResourceInfo, namespace?: string, fieldSelector?: string): Promise<K8sObject[]> {
    const limit = this.#options.pageSize ?? 500;
    const accept = info.metadataOnly ? METADATA_ONLY_ACCEPT : undefined;
    const full = this.#options.fullObjects === true;
    for (let relist = 0; ; relist++) {
      const items: K8sObject[] = [];
      let token: string | undefined;
      let gone = false;
      do {
        const query = new URLSearchParams({ limit: String(limit) });
        if (fieldSelector) query.set('fieldSelector', fieldSelector);
        if (token) query.set('continue', token);
        let res: ApiResponse;
        try {
          res = await this.#get(`${listPath(info, namespace)}?${query}`, accept);
        } catch (error) {
          if (error instanceof ServerDown) throw new KindError({ code: 'failed', message: `could not list ${rbacResource(info)}: the API server ${error.message}` }, error.message, true);
          if (!(error instanceof RequestFailure) || error.failure === 'cancelled') throw error;
          const code = error.failure === 'timeout' ? 'timeout' : 'failed';
          const message = error.failure === 'timeout'
            ? `timed out listing ${rbacResource(info)} after ${seconds(this.#options.timeoutMs)}`
            : `could not list ${rbacResource(info)}: ${error.message}`;
          throw new KindError({ code, message }, error.message);
        }
        if (res.status === 410 && token) {
          gone = true;
          break;
        }
        if (res.status !== 200) throw this.#kindError(info, res, namespace);
        const page = JSON.parse(res.body) as { items?: K8sObject[]; metadata?: { continue?: string } };
        // Projected page by page: the full objects of a big list never coexist (src/cluster/project.ts).
        for (const item of page.items ?? []) items.push(full ? normalizeItem(info, item) : projectItem(info.name, normalizeItem(info, item)));
        token = page.metadata?.continue || undefined;
      } while (token);
      if (!gone) return items;
      this.#relists += 1;
      if (relist >= 3) throw new KindError({ code: 'failed', status: 410, message: `could not list ${rbacResource(info)}: the list kept expiring (410 Gone)` });
    }
  }

  async #resource(name: ResourceName, served: Set<string> | undefined): Promise<K8sObject[]> {
    const info = resourceInfo(name);
    if (info.group !== '' && served && !served.has(`${info.group}/${info.version}`)) {
      throw new KindError({ code: 'not-served', message: `not served by this cluster: ${rbacResource(info)}` });
    }
    const namespaces = this.#options.namespaces;
    const scopes: (string | undefined)[] = info.namespaced && namespaces?.length ? [...namespaces] : [undefined];
    const out: K8sObject[] = [];
    for (const ns of scopes) out.push(...(await this.#list(info, ns)));
    if (name === 'secrets') return await this.#withSecretTypes(info, scopes, out);
    // Namespaces are cluster-scoped; with -n keep the selected ones only.
    return name === 'namespaces' && namespaces?.length ? out.filter((ns) => namespaces.includes(ns.metadata?.name ?? '')) : out;
  }

  async #withSecretTypes(info: ResourceInfo, scopes: readonly (string | undefined)[], secrets: K8sObject[]): Promise<K8sObject[]> {
    const typeByUid = new Map<string, string>();
    for (const type of SECRET_TYPES) {
      for (const ns of scopes) {
        for (const s of await this.#list(info, ns, `type=${type}`)) if (s.metadata?.uid) typeByUid.set(s.metadata.uid, type);
      }
    }
    return secrets.map((s) => {
      const type = s.metadata?.uid ? typeByUid.get(s.metadata.uid) : undefined;
      return type ? { ...s, type } : s;
    });
  }

  async #clusterInfo(): Promise<ConfigMap | null> {
    const res = await this.#get('/api/v1/namespaces/kube-public/configmaps/cluster-info');
    if (res.status === 404) return null;
    if (res.status === 403) throw new KindError({ code: 'forbidden', status: 403, message: 'missing permission: get configmaps in kube-public (cluster-info)' });
    if (res.status !== 200) throw new KindError({ code: 'failed', status: res.status, message: `could not read kube-public/cluster-info: HTTP ${res.status}` });
    return JSON.parse(res.body) as ConfigMap;
  }

  /** D-CM-SYS: one `get` per ConfigMap; 404 → null; a 403 on any makes the source unreadable. */
  async #systemConfigMaps(): Promise<Map<string, ConfigMap | null>> {
    const out = new Map<string, ConfigMap | null>();
    for (const [ns, name] of SYSTEM_CONFIGMAPS) {
      const res = await this.#get(`/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`);
      if (res.status === 404) out.set(`${ns}/${name}`, null);
      else if (res.status === 403) throw new KindError({ code: 'forbidden', status: 403, message: `missing permission: get configmaps in ${ns} (${name})` });
      else if (res.status !== 200) throw new KindError({ code: 'failed', status: res.status, message: `could not read ${ns}/${name}: HTTP ${res.status}` });
      else out.set(`${ns}/${name}`, JSON.parse(res.body) as ConfigMap);
    }
    return out;
  }

  async #kubeconfigInfo(): Promise<KubeconfigInfo> {
    const c = this.#config;
    const host = new URL(c.server).hostname.replace(/^\[|\]$/g, '');
    const groups = await clientCertificateGroups(c.kc);
    const base = {
      context: c.context, cluster: c.cluster, user: c.user, server: c.server, insecureSkipTlsVerify: c.insecureSkipTlsVerify, authMethod: c.authMethod,
      ...(groups ? { clientCertificateGroups: groups } : {}),
    };
    if (isIP(host)) return { ...base, serverAddresses: [host] };
    try {
      // Only the API server's own host is resolved, with a bound on the wait.
      let timer: NodeJS.Timeout | undefined;
      const answers = await Promise.race([
        lookup(host, { all: true }),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('DNS lookup timed out')), Math.min(this.#options.timeoutMs, 3000)); }),
      ]).finally(() => clearTimeout(timer));
      return { ...base, serverAddresses: answers.map((a) => a.address) };
    } catch (error) {
      return { ...base, serverAddresses: [], dnsError: `could not resolve ${host}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** The breaker opened before anything was read: nothing to scan (exit 2). */
  #serverDown(reason: string): UserError {
    const { server, context } = this.#config;
    return new UserError('unreachable', `the API server ${server} of context "${context}" ${reason} — check the control plane (or the load balancer in front of it), then retry`);
  }

  async collect(): Promise<CollectResult> {
    try {
      return await this.#collect();
    } catch (error) {
      // Before any list: /version and /apis were all the server was asked.
      if (error instanceof ServerDown) throw this.#serverDown(error.message);
      throw error;
    }
  }

  async #collect(): Promise<CollectResult> {
    const started = performance.now();
    const o = this.#options;
    try {
      await this.#client.authenticate();
      this.#breaker.healthy(); // the window starts with the first request, not with the exec plugin's run
      const version = await this.#version();
      const resourceNeeds = [...o.needs].filter(isResourceName);
      const served = resourceNeeds.some((n) => resourceInfo(n).group !== '') ? await this.#servedGroups() : undefined;

      const lists: Partial<Record<ResourceName, K8sObject[]>> = {};
      const errors: Partial<Record<DataNeed, DataError>> = {};
      const tasks: (() => Promise<void>)[] = [];
      const total = resourceNeeds.length + (o.needs.has('cluster-info') ? 1 : 0) + (o.needs.has('system-configmaps') ? 1 : 0) + (o.needs.has('kubeconfig') ? 1 : 0);
      let done = 0;
      const unanswered: string[] = [];
      let clusterInfo: ConfigMap | null | undefined;
      let systemConfigMaps: Map<string, ConfigMap | null> | undefined;
      let kubeconfig: KubeconfigInfo | undefined;
      const sofar = (): SnapshotInput => ({
        lists: { ...lists }, errors: { ...errors }, version, clusterInfo, systemConfigMaps, kubeconfig,
        ...(o.namespaces?.length ? { namespaces: o.namespaces } : {}),
      });
      const report = (need: DataNeed, ok: boolean, items: number) => {
        o.onProgress?.({ need, ok, items, done: ++done, total });
        o.onSettled?.(need, sofar());
      };
      if (o.needs.has('version') && !version) errors.version = { code: 'failed', message: 'could not read the cluster version (GET /version)' };
      if (o.needs.has('version')) o.onSettled?.('version', sofar());
      /** Sources read from the server (the kubeconfig is not). */
      let read = 0;
      /** Sources given up because the breaker was open: reported at the end, unless the whole scan fails. */
      const skipped: DataNeed[] = [];
      const guard = async (need: DataNeed, run: () => Promise<number>) => {
        try {
          const items = await run();
          if (need !== 'kubeconfig') read += 1;
          report(need, true, items);
        } catch (error) {
          // A single get (cluster-info, system ConfigMaps) that got no answer at all.
          const lost = error instanceof ServerDown
            ? new KindError({ code: 'failed', message: `could not read ${need}: the API server ${error.message}` }, error.message, true)
            : error instanceof RequestFailure && error.failure !== 'cancelled'
              ? new KindError({ code: error.failure === 'timeout' ? 'timeout' : 'failed', message: `could not read ${need}: ${error.message}` }, error.message)
              : error;
          if (!(lost instanceof KindError)) throw error;
          errors[need] = lost.dataError;
          if (lost.unanswered !== undefined) unanswered.push(lost.unanswered);
          if (lost.skipped) skipped.push(need);
          else report(need, false, 0);
        }
      };

      const list = (name: ResourceName) => () => guard(name, async () => (lists[name] = await this.#resource(name, served)).length);
      tasks.push(...resourceNeeds.filter((n) => rank(n) === 0).map(list));
      if (o.needs.has('kubeconfig')) tasks.push(() => guard('kubeconfig', async () => { kubeconfig = await this.#kubeconfigInfo(); return 1; }));
      tasks.push(...resourceNeeds.filter((n) => rank(n) === 1).map(list));
      if (o.needs.has('cluster-info')) tasks.push(() => guard('cluster-info', async () => ((clusterInfo = await this.#clusterInfo()) ? 1 : 0)));
      if (o.needs.has('system-configmaps')) tasks.push(() => guard('system-configmaps', async () => { systemConfigMaps = await this.#systemConfigMaps(); return [...systemConfigMaps.values()].filter(Boolean).length; }));
      tasks.push(...resourceNeeds.filter((n) => rank(n) === 2).map(list));

      // A small pool: enough to overlap latency, few enough to stay polite to the API server.
      const queue = [...tasks];
      const workers = Array.from({ length: Math.min(o.concurrency ?? 4, queue.length) }, async () => {
        for (let task = queue.shift(); task; task = queue.shift()) await task();
      });
      await Promise.all(workers);

      const down = this.#breaker.reason;
      // Nothing read before the server went bad: no report, one line (exit 2).
      if (down !== undefined && read === 0) throw this.#serverDown(down);
      for (const need of skipped) report(need, false, 0);
      const partial = unanswered.length === 0 ? undefined
        : down !== undefined
          ? `partial scan: the API server ${this.#config.server} ${down} — ${unanswered.length} of ${total} data sources could not be read and the checks that need them are unable; check the control plane, then scan again`
          : `partial scan: the API server ${this.#config.server} stopped answering (${unanswered[0]}) — ${unanswered.length} of ${total} data sources could not be read and the checks that need them are unable; scan again when the cluster is reachable`;
      return {
        lists, errors, version, clusterInfo, systemConfigMaps, kubeconfig,
        ...(partial ? { partial } : {}),
        ...(o.namespaces?.length ? { namespaces: o.namespaces } : {}),
        stats: { requests: this.#client.requestCount, retries: this.#retries, relists: this.#relists, durationMs: performance.now() - started },
      };
    } finally {
      this.#client.close();
    }
  }
}

export function collect(config: LoadedKubeconfig, options: CollectOptions): Promise<CollectResult> {
  return new Collector(config, options).collect();
}
