/**
 * GET requests to the API server, authenticated by client-node's KubeConfig (certs, tokens,
 * exec plugins, proxies). client-node builds a new agent per call, so for bulk lists we take
 * the TLS material and headers it resolved and keep one keep-alive agent per scan; bodies
 * are parsed here rather than by the typed deserializer (DESIGN.md §8).
 */
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
  return new RequestFailure('network', code ? `${errorMessage(error)} (${code})` : errorMessage(error));
}

export class ApiClient {
  readonly server: URL;
  readonly #kc: KubeConfig;
  readonly #userName: string;
  #agent?: http.Agent;
  #headers: Record<string, string> = {};
  #requests = 0;

  constructor(kc: KubeConfig, server: string, userName: string) {
    this.#kc = kc;
    this.server = new URL(server);
    this.#userName = userName;
  }

  get requestCount(): number {
    return this.#requests;
  }

  /** Resolves credentials (runs exec plugins); call again after a 401 to refresh them. */
  async authenticate(): Promise<void> {
    const opts: https.RequestOptions & { headers?: Record<string, string>; agent?: http.Agent } = {};
    try {
      await this.#kc.applyToHTTPSOptions(opts);
    } catch (error) {
      throw credentialError(this.#kc, this.#userName, error);
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
