/**
 * GET requests to the API server, authenticated by client-node's KubeConfig (certs, tokens,
 * exec plugins, proxies). client-node builds a new agent per call, so for bulk lists we take
 * the TLS material and headers it resolved and keep one keep-alive agent per scan; bodies
 * are parsed here rather than by the typed deserializer (DESIGN.md §8). Resolving credentials
 * (running an exec plugin) is bounded by the per-request timeout; a plugin that overruns is
 * stopped and named in a one-line UserError.
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { sanitize } from '../engine/sanitize.js';
import { UserError, errorMessage } from '../errors.js';

export interface ApiResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface GetOptions {
  readonly accept?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Why a request produced no HTTP response. */
export type NetworkFailure = 'network' | 'refused' | 'tls' | 'timeout' | 'cancelled';

export class RequestFailure extends Error {
  readonly failure: NetworkFailure;
  constructor(failure: NetworkFailure, message: string) {
    super(message);
    this.failure = failure;
  }
}

const TLS_CODES = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|ERR_SSL_.*|EPROTO|ERR_TLS_.*)$/;

function classify(error: NodeJS.ErrnoException, signal: AbortSignal | undefined, timeout: AbortSignal): RequestFailure {
  if (timeout.aborted) return new RequestFailure('timeout', 'timed out');
  if (signal?.aborted) return new RequestFailure('cancelled', 'cancelled');
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return new RequestFailure('refused', `connection refused (${code})`);
  if (TLS_CODES.test(code)) {
    // OpenSSL's messages run over several lines: keep the first, and say plainly what a plain-HTTP server looks like.
    const why = /wrong version number/i.test(error.message) ? 'the server did not answer in TLS (is it plain http://?)' : errorMessage(error);
    return new RequestFailure('tls', `${why} (${code})`);
  }
  const message = errorMessage(error);
  return new RequestFailure('network', code && !message.includes(code) ? `${message} (${code})` : message);
}

/** How long credential resolution (an exec plugin run) may take when the caller gives no bound. */
export const DEFAULT_CREDENTIAL_TIMEOUT_MS = 30_000;

/**
 * client-node's ExecAuth starts plugins with `child_process.spawn` held in its `execFn` field,
 * without a timeout and without exposing the child. Its authenticators are not exported, so
 * they are found by shape on the KubeConfig: the spawn is wrapped (same arguments, same
 * call) only to keep the children it starts, so that a plugin that hangs can be killed.
 * Undefined when this client-node has no such field: the wait is still bounded, but the
 * plugin cannot be stopped.
 */
type Spawn = (...args: unknown[]) => ChildProcess;
const running = new WeakMap<object, Set<ChildProcess>>();

function pluginChildren(kc: KubeConfig): Set<ChildProcess> | undefined {
  const authenticators = (kc as unknown as { authenticators?: unknown }).authenticators;
  if (!Array.isArray(authenticators)) return undefined;
  const exec = authenticators.find((a): a is { execFn: Spawn } => typeof (a as { execFn?: unknown } | null)?.execFn === 'function');
  if (!exec) return undefined;
  let children = running.get(exec);
  if (!children) {
    const live = new Set<ChildProcess>();
    const spawn = exec.execFn;
    exec.execFn = (...args: unknown[]) => {
      const child = spawn(...args);
      live.add(child);
      child.once('exit', () => live.delete(child));
      child.once('error', () => live.delete(child));
      return child;
    };
    running.set(exec, live);
    children = live;
  }
  return children;
}

/** Stops a plugin that overran: SIGTERM, SIGKILL a moment later; our ends of its pipes close at once. */
function stop(child: ChildProcess): void {
  child.kill('SIGTERM');
  // A shell-script plugin's own children may hold the pipes open: never wait for them.
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
  child.unref();
  const force = setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }, 2000);
  force.unref();
}

export interface ApiClientOptions {
  /** Longest wait for credentials (exec plugins); default DEFAULT_CREDENTIAL_TIMEOUT_MS. */
  readonly credentialTimeoutMs?: number;
}

export class ApiClient {
  readonly server: URL;
  readonly #kc: KubeConfig;
  readonly #userName: string;
  readonly #credentialTimeoutMs: number;
  #agent?: http.Agent;
  #headers: Record<string, string> = {};
  #requests = 0;

  constructor(kc: KubeConfig, server: string, userName: string, options: ApiClientOptions = {}) {
    this.#kc = kc;
    this.server = new URL(server);
    this.#userName = userName;
    this.#credentialTimeoutMs = options.credentialTimeoutMs ?? DEFAULT_CREDENTIAL_TIMEOUT_MS;
  }

  get requestCount(): number {
    return this.#requests;
  }

  /** Resolves credentials (runs exec plugins); call again after a 401 to refresh them. */
  async authenticate(): Promise<void> {
    const opts: https.RequestOptions & { headers?: Record<string, string>; agent?: http.Agent } = {};
    const children = pluginChildren(this.#kc);
    const before = new Set(children);
    let timer: NodeJS.Timeout | undefined;
    const resolving = this.#kc.applyToHTTPSOptions(opts);
    const overran = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), this.#credentialTimeoutMs); });
    try {
      if (await Promise.race([resolving, overran]) === 'timeout') {
        // client-node's promise settles (rejects) once the plugin is gone: nobody waits for it.
        resolving.catch(() => undefined);
        for (const child of children ?? []) if (!before.has(child)) stop(child);
        throw credentialTimeout(this.#kc, this.#userName, this.#credentialTimeoutMs);
      }
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw credentialError(this.#kc, this.#userName, error);
    } finally {
      clearTimeout(timer);
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.headers ?? {})) headers[key] = String(value);
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    this.#headers = headers;
    const cluster = this.#kc.getCurrentCluster();
    if (cluster?.proxyUrl) {
      this.#agent = opts.agent as http.Agent; // client-node's proxy agent
    } else if (this.server.protocol === 'http:') {
      this.#agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    } else {
      this.#agent = new https.Agent({
        keepAlive: true, maxSockets: 8,
        ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase,
        ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
        ...(opts.servername ? { servername: opts.servername } : {}),
      });
    }
  }

  async get(path: string, options: GetOptions): Promise<ApiResponse> {
    if (!this.#agent) await this.authenticate();
    this.#requests += 1;
    const url = new URL(path, this.server);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const transport = url.protocol === 'http:' ? http : https;
    return await new Promise<ApiResponse>((resolve, reject) => {
      const req = transport.request(url, {
        method: 'GET',
        agent: this.#agent,
        headers: { ...this.#headers, Accept: options.accept ?? 'application/json', 'User-Agent': '4c-tui' },
        signal,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => reject(classify(error, options.signal, timeout)));
      });
      req.on('error', (error) => reject(classify(error, options.signal, timeout)));
      req.end();
    });
  }

  close(): void {
    this.#agent?.destroy();
  }
}

/** `30s`, `0.5s`: as --timeout was given. */
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(2))}s`;

function credentialTimeout(kc: KubeConfig, userName: string, ms: number): UserError {
  const exec = kc.getCurrentUser()?.exec as { command?: string } | undefined;
  const user = sanitize(userName, { maxLength: 200 });
  if (exec) {
    const plugin = sanitize(String(exec.command ?? 'exec plugin'), { maxLength: 200 });
    return new UserError('exec-plugin', `exec plugin "${plugin}" for user "${user}" did not answer within ${seconds(ms)} — run it by hand to see why`);
  }
  return new UserError('timeout', `the credentials of user "${user}" could not be resolved within ${seconds(ms)} — check the auth provider in the kubeconfig, or raise --timeout`);
}

function credentialError(kc: KubeConfig, userName: string, error: unknown): UserError {
  const user = kc.getCurrentUser();
  // Plugin output is untrusted text: keep one line, no terminal controls.
  const message = sanitize(errorMessage(error), { maxLength: 300 });
  if (user?.exec) {
    const plugin = sanitize(String((user.exec as { command?: string }).command ?? 'exec plugin'), { maxLength: 200 });
    const where = `the credential plugin "${plugin}" of user "${userName}" (context "${kc.getCurrentContext()}")`;
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' || /\bENOENT\b/.test(message)) {
      return new UserError('exec-plugin', `${where} was not found (${message}) — install it or fix users[].user.exec.command in the kubeconfig (check PATH)`);
    }
    // client-node reports a failed plugin by its stderr, which may be empty.
    const why = message === 'unknown error' ? 'it exited with an error and printed nothing' : message;
    return new UserError('exec-plugin', `${where} failed: ${why} — log in again with your provider's tool, then retry`);
  }
  if (/ENOENT|no such file/i.test(message)) {
    // Name the file and the field that points at it: the cluster's CA or the user's certificate/key.
    const file = /'([^']+)'/.exec(message)?.[1];
    const cluster = kc.getCurrentCluster();
    const field = file === undefined ? `a file of user "${userName}"`
      : file === cluster?.caFile ? `certificate-authority of cluster "${cluster.name}"`
      : file === user?.certFile ? `client-certificate of user "${userName}"`
      : file === user?.keyFile ? `client-key of user "${userName}"`
      : `a file of user "${userName}"`;
    return new UserError('bad-kubeconfig', `the kubeconfig of context "${kc.getCurrentContext()}" names a missing file${file ? ` ${sanitize(file, { maxLength: 300 })}` : ''} (${field}) — fix the path or embed the data`);
  }
  return new UserError('bad-kubeconfig', `could not load the credentials of user "${userName}": ${message} — fix the kubeconfig`);
}
