/**
 * Loads the kubeconfig the way kubectl does: `--kubeconfig`, else every path in `$KUBECONFIG`
 * (first file wins for a name and for current-context, missing files are skipped), else
 * `~/.kube/config`; then `--context`. No network. client-node is imported lazily so the TUI's
 * first frame never waits for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { UserError, errorMessage } from '../errors.js';
import type { AuthMethod } from '../engine/snapshot.js';

export interface KubeconfigSource {
  /** `--kubeconfig` */
  readonly path?: string;
  /** `--context` */
  readonly context?: string;
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeconfig {
  readonly kc: KubeConfig;
  readonly files: readonly string[];
  readonly context: string;
  readonly cluster: string;
  readonly user: string;
  readonly server: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly authMethod: AuthMethod;
}

/** The files kubectl would read, in order. */
export function kubeconfigFiles(source: KubeconfigSource): { files: string[]; from: string } {
  const env = source.env ?? process.env;
  if (source.path) return { files: [source.path], from: '--kubeconfig' };
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter((f) => f.length > 0);
    return { files: files.filter((f) => existsSync(f)), from: '$KUBECONFIG' };
  }
  const home = env.HOME ?? homedir();
  const file = join(home, '.kube', 'config');
  return { files: existsSync(file) ? [file] : [], from: '~/.kube/config' };
}

function parseFailure(file: string, error: unknown): UserError {
  const message = errorMessage(error);
  if (!existsSync(file)) return new UserError('no-kubeconfig', `kubeconfig ${file} does not exist — pass --kubeconfig PATH, set KUBECONFIG, or use --demo`);
  if (/EACCES/.test(message)) return new UserError('bad-kubeconfig', `kubeconfig ${file} is not readable — check its permissions`);
  if (/ENOENT|no such file/i.test(message)) return new UserError('bad-kubeconfig', `kubeconfig ${file} refers to a missing file (${message}) — fix the path or embed the data`);
  return new UserError('bad-kubeconfig', `kubeconfig ${file} is not valid: ${message} — fix the file or pass another with --kubeconfig`);
}

function authMethodOf(user: ReturnType<KubeConfig['getCurrentUser']>): AuthMethod {
  if (!user) return 'none';
  if (user.exec) return 'exec';
  if (user.authProvider) return 'auth-provider';
  if (user.token) return 'token';
  if ((user as { tokenFile?: string }).tokenFile) return 'token-file';
  if (user.certData || user.certFile) return 'client-certificate';
  if (user.username) return 'basic';
  return 'none';
}

export async function loadKubeconfig(source: KubeconfigSource = {}): Promise<LoadedKubeconfig> {
  const { files, from } = kubeconfigFiles(source);
  if (files.length === 0) {
    throw new UserError('no-kubeconfig', `no kubeconfig found (${from}) — pass --kubeconfig PATH, set KUBECONFIG, or use --demo`);
  }
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  files.forEach((file, i) => {
    const next = i === 0 ? kc : new KubeConfig();
    try {
      next.loadFromFile(file);
    } catch (error) {
      throw parseFailure(file, error);
    }
    if (next === kc) return;
    if (!kc.currentContext && next.currentContext) kc.currentContext = next.currentContext;
    for (const c of next.clusters) if (!kc.getCluster(c.name)) kc.addCluster(c);
    for (const u of next.users) if (!kc.getUser(u.name)) kc.addUser(u);
    for (const c of next.contexts) if (!kc.getContextObject(c.name)) kc.addContext(c);
  });

  if (source.context) {
    if (!kc.getContextObject(source.context)) {
      const names = kc.contexts.map((c) => c.name).join(', ') || 'none';
      throw new UserError('unknown-context', `context "${source.context}" not found in the kubeconfig (contexts: ${names}) — pick one with --context`);
    }
    kc.setCurrentContext(source.context);
  }
  const context = kc.getContextObject(kc.currentContext);
  if (!context) {
    throw new UserError('unknown-context', kc.currentContext
      ? `current-context "${kc.currentContext}" is not defined in the kubeconfig — pick one with --context`
      : 'the kubeconfig has no current-context — pick one with --context NAME');
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new UserError('bad-kubeconfig', `context "${context.name}" names cluster "${context.cluster}", which has no server in the kubeconfig — fix the kubeconfig`);
  }
  const user = kc.getCurrentUser();
  return {
    kc,
    files,
    context: context.name,
    cluster: cluster.name,
    user: user?.name ?? context.user,
    server: cluster.server,
    insecureSkipTlsVerify: cluster.skipTLSVerify === true,
    authMethod: authMethodOf(user),
  };
}

/**
 * The organisations (O=) of the current user's client certificate, which the API server
 * turns into groups (e.g. `system:masters`). A certificate is presented whatever else the
 * user has, so any certificate counts. undefined when there is none or it cannot be read:
 * never an error. The x509 parser loads only here (it costs a few hundred ms).
 */
export async function clientCertificateGroups(kc: KubeConfig): Promise<string[] | undefined> {
  const user = kc.getCurrentUser();
  try {
    let bytes: Buffer | undefined;
    if (user?.certData) bytes = Buffer.from(user.certData, 'base64');
    else if (user?.certFile) bytes = readFileSync(user.certFile);
    if (!bytes || bytes.length === 0) return undefined;
    const text = bytes.toString('latin1');
    // The first certificate of a PEM bundle is the client's; otherwise the bytes are DER.
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
    await import('reflect-metadata');
    const { X509Certificate } = await import('@peculiar/x509');
    const cert = pem ? new X509Certificate(pem) : new X509Certificate(new Uint8Array(bytes));
    return cert.subjectName.getField('O');
  } catch {
    return undefined;
  }
}

export interface KubeconfigSummary {
  readonly files: readonly string[];
  readonly context: string;
  readonly contexts: readonly string[];
  readonly server?: string;
}

interface RawKubeconfig {
  'current-context'?: string;
  contexts?: { name?: string; context?: { cluster?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string } }[];
}

/**
 * What the TUI's header needs before the first frame — files, context names, server — read
 * with the small YAML parser instead of client-node (which costs about a second to import).
 * Throws the same one-line UserErrors as loadKubeconfig for a missing or broken file.
 */
export function peekKubeconfig(source: KubeconfigSource = {}): KubeconfigSummary {
  const { files, from } = kubeconfigFiles(source);
  if (files.length === 0) throw new UserError('no-kubeconfig', `no kubeconfig found (${from}) — pass --kubeconfig PATH, set KUBECONFIG, or use --demo`);
  const docs: RawKubeconfig[] = files.map((file) => {
    try {
      const doc = parse(readFileSync(file, 'utf8')) as unknown;
      if (doc === null || doc === undefined) return {};
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a kubeconfig mapping');
      return doc as RawKubeconfig;
    } catch (error) {
      throw parseFailure(file, error);
    }
  });
  const contexts = [...new Set(docs.flatMap((d) => (d.contexts ?? []).map((c) => c.name).filter((n): n is string => typeof n === 'string')))];
  const context = source.context ?? docs.find((d) => d['current-context'])?.['current-context'] ?? '';
  if (!context) throw new UserError('unknown-context', 'the kubeconfig has no current-context — pick one with --context NAME');
  if (!contexts.includes(context)) {
    throw new UserError('unknown-context', `context "${context}" not found in the kubeconfig (contexts: ${contexts.join(', ') || 'none'}) — pick one with --context`);
  }
  const clusterName = docs.flatMap((d) => d.contexts ?? []).find((c) => c.name === context)?.context?.cluster;
  const server = docs.flatMap((d) => d.clusters ?? []).find((c) => c.name === clusterName)?.cluster?.server;
  return { files, context, contexts, ...(server ? { server } : {}) };
}
