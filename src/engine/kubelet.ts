/**
 * Kubelet and kube-proxy configuration as the cluster publishes it (CHECKS.md D-CM-SYS):
 * kubeadm's `kube-system/kubelet-config` (key `kubelet`, a KubeletConfiguration) and
 * `kube-system/kube-proxy` (key `config.conf`, a KubeProxyConfiguration). Absent fields get
 * the kubelet.config.k8s.io/v1beta1 defaults (what the kubelet itself applies), so checks
 * judge effective values. Parsing never throws: malformed text is a value the checks turn
 * into an `unable` outcome with the parser's message.
 */
import { isDocument, parseDocument } from 'yaml';
import { unable } from './helpers.js';
import type { ConfigMap } from './k8s.js';
import { cidrContains, parseCidr, parseIp } from './net.js';
import { detectProvider, providerCommands } from './provider.js';
import type { Snapshot } from './snapshot.js';
import type { CheckOutcome } from './types.js';

/** Effective kubelet settings the checks read, after v1beta1 defaulting. */
export interface KubeletConfig {
  readonly authentication: {
    readonly anonymous: { readonly enabled: boolean };
    readonly webhook: { readonly enabled: boolean };
    readonly x509: { readonly clientCAFile: string };
  };
  readonly authorization: { readonly mode: string };
  readonly readOnlyPort: number;
  readonly tlsCertFile: string;
  readonly tlsPrivateKeyFile: string;
  readonly serverTLSBootstrap: boolean;
  readonly rotateCertificates: boolean;
  /** As written; RotateKubeletServerCertificate is on by default (beta since 1.12, GA in 1.31). */
  readonly featureGates: Readonly<Record<string, boolean>>;
  readonly tlsCipherSuites: readonly string[];
  readonly tlsMinVersion: string;
  /** Milliseconds; a zero or absent value is defaulted to 4h by the kubelet. */
  readonly streamingConnectionIdleTimeoutMs: number;
  /** The text as written, for evidence (`4h0m0s`), or the default. */
  readonly streamingConnectionIdleTimeout: string;
  readonly makeIPTablesUtilChains: boolean;
  /** -1 = unlimited (the default). */
  readonly podPidsLimit: number;
  readonly seccompDefault: boolean;
  readonly protectKernelDefaults: boolean;
  /** Dotted paths of the fields above that were absent and carry the default. */
  readonly defaulted: ReadonlySet<string>;
}

export type ParseResult<T> = { readonly ok: true; readonly config: T } | { readonly ok: false; readonly error: string };

type Raw = Record<string, unknown>;

const DEFAULT_IDLE_TIMEOUT_MS = 4 * 3_600_000;

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`4h0m0s`, `1h30m`, `300ms`, `0`) in milliseconds; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? 0);
  }
  return m[1] === '-' ? -total : total;
}

/** Parse one YAML document into a mapping, or say why it is not one. */
function parseMapping(text: string, what: string): ParseResult<Raw> {
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    return { ok: false, error: `${what} is not valid YAML: ${firstLine(error)}` };
  }
  if (!isDocument(doc)) return { ok: false, error: `${what} is not valid YAML` };
  if (doc.errors.length > 0) return { ok: false, error: `${what} is not valid YAML: ${firstLine(doc.errors[0]?.message)}` };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return { ok: false, error: `${what} could not be read: ${firstLine(error)}` };
  }
  if (value === null || value === undefined) return { ok: false, error: `${what} is empty` };
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: `${what} is not a YAML mapping` };
  return { ok: true, config: value as Raw };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error ?? 'unknown error');
  return (text.split('\n')[0] ?? text).trim();
}

/** Typed field reader that records the first type error (the kubelet's strict decoder rejects the file). */
class Reader {
  error?: string;
  readonly defaulted = new Set<string>();

  constructor(private readonly root: Raw) {}

  #get(path: string): unknown {
    let node: unknown = this.root;
    const keys = path.split('.');
    for (const [i, key] of keys.entries()) {
      if (node === null || node === undefined) return undefined;
      if (typeof node !== 'object' || Array.isArray(node)) {
        this.error ??= `${keys.slice(0, i).join('.')} must be a mapping, got ${JSON.stringify(node)}`;
        return undefined;
      }
      node = (node as Raw)[key];
    }
    return node;
  }

  #fail(path: string, expected: string, value: unknown): void {
    this.error ??= `${path} must be ${expected}, got ${JSON.stringify(value)}`;
  }

  bool(path: string, fallback: boolean): boolean {
    const v = this.#get(path);
    if (v === undefined || v === null) {
      this.defaulted.add(path);
      return fallback;
    }
    if (typeof v !== 'boolean') this.#fail(path, 'a boolean', v);
    return typeof v === 'boolean' ? v : fallback;
  }

  string(path: string, fallback: string): string {
    const v = this.#get(path);
    if (v === undefined || v === null || v === '') {
      this.defaulted.add(path);
      return fallback;
    }
    if (typeof v !== 'string') this.#fail(path, 'a string', v);
    return typeof v === 'string' ? v : fallback;
  }

  int(path: string, fallback: number): number {
    const v = this.#get(path);
    if (v === undefined || v === null) {
      this.defaulted.add(path);
      return fallback;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) this.#fail(path, 'an integer', v);
    return typeof v === 'number' && Number.isInteger(v) ? v : fallback;
  }

  strings(path: string): string[] {
    const v = this.#get(path);
    if (v === undefined || v === null) {
      this.defaulted.add(path);
      return [];
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.#fail(path, 'a list of strings', v);
      return [];
    }
    return v as string[];
  }

  boolMap(path: string): Record<string, boolean> {
    const v = this.#get(path);
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v as Raw).some((x) => typeof x !== 'boolean')) {
      this.#fail(path, 'a map of booleans', v);
      return {};
    }
    return { ...(v as Record<string, boolean>) };
  }

  duration(path: string, fallbackMs: number, fallbackText: string): { ms: number; text: string } {
    const v = this.#get(path);
    if (v === undefined || v === null || v === '') {
      this.defaulted.add(path);
      return { ms: fallbackMs, text: fallbackText };
    }
    const ms = typeof v === 'string' ? parseGoDuration(v) : undefined;
    if (ms === undefined) {
      this.#fail(path, 'a duration such as "4h0m0s"', v);
      return { ms: fallbackMs, text: fallbackText };
    }
    // The kubelet defaults a zero duration exactly like an absent one (v1beta1 SetDefaults).
    if (ms === 0) {
      this.defaulted.add(path);
      return { ms: fallbackMs, text: `${v} (defaulted to ${fallbackText})` };
    }
    return { ms, text: v as string };
  }
}

/**
 * Parse a KubeletConfiguration document and apply the v1beta1 defaults the checks depend on:
 * anonymous auth off, webhook authn on, authorization Webhook, read-only port 0 (off),
 * streamingConnectionIdleTimeout 4h, makeIPTablesUtilChains true, podPidsLimit -1,
 * seccompDefault/protectKernelDefaults/serverTLSBootstrap/rotateCertificates false.
 */
export function parseKubeletConfiguration(text: string): ParseResult<KubeletConfig> {
  const parsed = parseMapping(text, 'KubeletConfiguration');
  if (!parsed.ok) return parsed;
  const raw = parsed.config;
  if (raw['kind'] !== undefined && raw['kind'] !== 'KubeletConfiguration') {
    return { ok: false, error: `expected kind KubeletConfiguration, got ${JSON.stringify(raw['kind'])}` };
  }
  const apiVersion = raw['apiVersion'];
  if (apiVersion !== undefined && (typeof apiVersion !== 'string' || !apiVersion.startsWith('kubelet.config.k8s.io/'))) {
    return { ok: false, error: `expected apiVersion kubelet.config.k8s.io/v1beta1, got ${JSON.stringify(apiVersion)}` };
  }
  const r = new Reader(raw);
  const idle = r.duration('streamingConnectionIdleTimeout', DEFAULT_IDLE_TIMEOUT_MS, '4h0m0s');
  const config: KubeletConfig = {
    authentication: {
      anonymous: { enabled: r.bool('authentication.anonymous.enabled', false) },
      webhook: { enabled: r.bool('authentication.webhook.enabled', true) },
      x509: { clientCAFile: r.string('authentication.x509.clientCAFile', '') },
    },
    authorization: { mode: r.string('authorization.mode', 'Webhook') },
    readOnlyPort: r.int('readOnlyPort', 0),
    tlsCertFile: r.string('tlsCertFile', ''),
    tlsPrivateKeyFile: r.string('tlsPrivateKeyFile', ''),
    serverTLSBootstrap: r.bool('serverTLSBootstrap', false),
    rotateCertificates: r.bool('rotateCertificates', false),
    featureGates: r.boolMap('featureGates'),
    tlsCipherSuites: r.strings('tlsCipherSuites'),
    tlsMinVersion: r.string('tlsMinVersion', ''),
    streamingConnectionIdleTimeoutMs: idle.ms,
    streamingConnectionIdleTimeout: idle.text,
    makeIPTablesUtilChains: r.bool('makeIPTablesUtilChains', true),
    podPidsLimit: r.int('podPidsLimit', -1),
    seccompDefault: r.bool('seccompDefault', false),
    protectKernelDefaults: r.bool('protectKernelDefaults', false),
    defaulted: r.defaulted,
  };
  if (r.error) return { ok: false, error: `invalid KubeletConfiguration: ${r.error}` };
  if (config.readOnlyPort < 0 || config.readOnlyPort > 65535) return { ok: false, error: `invalid KubeletConfiguration: readOnlyPort ${config.readOnlyPort} is not a port` };
  return { ok: true, config };
}

/** Where the cluster-wide kubelet configuration lives (kubeadm). */
export const KUBELET_CONFIGMAP = { namespace: 'kube-system', name: 'kubelet-config', key: 'kubelet' } as const;
export const KUBE_PROXY_CONFIGMAP = { namespace: 'kube-system', name: 'kube-proxy', key: 'config.conf' } as const;

/** The note every ConfigMap-based kubelet result carries (CHECKS.md cluster/kubelet-authn-authz). */
export const KUBELET_FLAGS_NOTE = 'per-node flags in /var/lib/kubelet/kubeadm-flags.env (and --config drop-ins) may override the ConfigMap';

export type ConfigLookup<T> =
  | { readonly status: 'found'; readonly config: T; readonly configMap: ConfigMap }
  /** `absent`: the ConfigMap or key does not exist; `not-collected`: it could not be read; `invalid`: it does not parse. */
  | { readonly status: 'absent' | 'not-collected' | 'invalid'; readonly reason: string };

function lookup<T>(snapshot: Snapshot, where: { namespace: string; name: string; key: string }, parse: (text: string) => ParseResult<T>): ConfigLookup<T> {
  const id = `${where.namespace}/${where.name}`;
  const cm = snapshot.systemConfigMap(where.namespace, where.name);
  if (cm === undefined) {
    const why = snapshot.error('system-configmaps')?.message ?? 'system ConfigMaps were not collected';
    return { status: 'not-collected', reason: `ConfigMap ${id} could not be read (${why})` };
  }
  if (cm === null) return { status: 'absent', reason: `ConfigMap ${id} does not exist` };
  const text = cm.data?.[where.key];
  if (text === undefined) return { status: 'absent', reason: `ConfigMap ${id} has no key "${where.key}"` };
  const parsed = parse(text);
  if (!parsed.ok) return { status: 'invalid', reason: `ConfigMap ${id} key "${where.key}": ${parsed.error}` };
  return { status: 'found', config: parsed.config, configMap: cm };
}

/**
 * The cluster-wide KubeletConfiguration (kube-system/kubelet-config, key `kubelet`) with
 * defaults applied. Used by the kubelet checks and by container/seccomp-not-set
 * (`seccompDefault`). Declare `system-configmaps` in the check's needs or optionalNeeds.
 */
export function kubeletConfig(snapshot: Snapshot): ConfigLookup<KubeletConfig> {
  return lookup(snapshot, KUBELET_CONFIGMAP, parseKubeletConfiguration);
}

/**
 * The `unable` outcome for a kubelet check without a readable configuration: per-node
 * configuration is not visible through the API (configz is opt-in), so say what the
 * command-line defaults would mean and how to verify on this provider.
 */
export function kubeletConfigUnavailable(snapshot: Snapshot, found: Exclude<ConfigLookup<KubeletConfig>, { status: 'found' }>, hint?: string): CheckOutcome {
  if (found.status === 'invalid') return unable(`${found.reason}; the kubelets cannot be using this file as written — check /var/lib/kubelet/config.yaml on the nodes`);
  if (found.status === 'not-collected') return unable(found.reason);
  const provider = detectProvider(snapshot);
  const verify = provider.hosted
    ? `${provider.name} manages the kubelet configuration — verify with: ${providerCommands(provider, 'kubelet').join('; ')}`
    : 'verify /var/lib/kubelet/config.yaml and the kubelet flags on each node';
  return unable(`${found.reason}: per-node kubelet config is not visible; a kubelet started with command-line defaults only has anonymous auth and AlwaysAllow enabled${hint ? `; ${hint}` : ''} — ${verify}`);
}

// ---------------------------------------------------------------------------- kube-proxy

export interface KubeProxyConfig {
  /** Effective `host:port` (default 127.0.0.1:10249). */
  readonly metricsBindAddress: string;
  /** The value was absent or empty and the default applies. */
  readonly metricsDefaulted: boolean;
}

export function parseKubeProxyConfiguration(text: string): ParseResult<KubeProxyConfig> {
  const parsed = parseMapping(text, 'KubeProxyConfiguration');
  if (!parsed.ok) return parsed;
  const raw = parsed.config;
  if (raw['kind'] !== undefined && raw['kind'] !== 'KubeProxyConfiguration') {
    return { ok: false, error: `expected kind KubeProxyConfiguration, got ${JSON.stringify(raw['kind'])}` };
  }
  const r = new Reader(raw);
  const value = r.string('metricsBindAddress', '');
  if (r.error) return { ok: false, error: `invalid KubeProxyConfiguration: ${r.error}` };
  return { ok: true, config: value === '' ? { metricsBindAddress: '127.0.0.1:10249', metricsDefaulted: true } : { metricsBindAddress: value, metricsDefaulted: false } };
}

export function kubeProxyConfig(snapshot: Snapshot): ConfigLookup<KubeProxyConfig> {
  return lookup(snapshot, KUBE_PROXY_CONFIGMAP, parseKubeProxyConfiguration);
}

export type BindScope = 'loopback' | 'all-interfaces' | 'non-loopback' | 'invalid';

/**
 * Classify a bind address: `host:port`, `[v6]:port`, a bare IP, `:port` (every interface, as
 * Go's listener treats an empty host) or a CIDR (newer kube-proxy versions accept ranges).
 */
export function bindScope(address: string): { readonly scope: BindScope; readonly host: string } {
  const text = address.trim();
  let host = text;
  const bracket = /^\[([^\]]*)\](?::\d+)?$/.exec(text);
  if (bracket) host = bracket[1] ?? '';
  else if (/^[^:]*:\d+$/.test(text)) host = text.slice(0, text.lastIndexOf(':'));
  if (host === '') return { scope: 'all-interfaces', host };
  if (host.toLowerCase() === 'localhost') return { scope: 'loopback', host };
  const isLoopback = (ip: Parameters<typeof cidrContains>[1]) => cidrContains('127.0.0.0/8', ip) || cidrContains('::1/128', ip);
  const cidr = host.includes('/') ? parseCidr(host) : undefined;
  if (cidr) {
    if (cidr.prefix === 0) return { scope: 'all-interfaces', host };
    const narrow = cidr.address.version === 4 ? cidr.prefix >= 8 : cidr.prefix === 128 || cidr.prefix >= 104;
    return { scope: narrow && isLoopback(cidr.address) ? 'loopback' : 'non-loopback', host };
  }
  const ip = parseIp(host);
  if (!ip) return { scope: 'invalid', host };
  if (ip.value === 0n) return { scope: 'all-interfaces', host };
  const loopback = isLoopback(ip);
  return { scope: loopback ? 'loopback' : 'non-loopback', host };
}

// ---------------------------------------------------------------------------- finding helpers

/** The subject of a finding about the cluster-wide kubelet configuration. */
export const KUBELET_SUBJECT = { kind: 'ConfigMap', namespace: KUBELET_CONFIGMAP.namespace, name: KUBELET_CONFIGMAP.name } as const;

/** Evidence for one KubeletConfiguration field: `data.kubelet.readOnlyPort = 10255` (or `… (default)`). */
export function kubeletEvidence(config: KubeletConfig, path: string, value: unknown): { path: string; value: string } {
  const text = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
  return { path: `data.${KUBELET_CONFIGMAP.key}.${path}`, value: config.defaulted.has(path) ? `${text} (unset: v1beta1 default)` : text };
}

/** Edit the ConfigMap, then roll the change out to every node (kubeadm), as comments where it runs on the node. */
export const KUBELET_FIX_COMMAND = [
  'kubectl -n kube-system edit configmap kubelet-config',
  '# then on every node: kubeadm upgrade node phase kubelet-config && systemctl restart kubelet',
].join('\n');

/** The fields to set, as a KubeletConfiguration fragment for the `patch` field. */
export function kubeletPatch(fields: Readonly<Record<string, unknown>>): string {
  const lines = ['apiVersion: kubelet.config.k8s.io/v1beta1', 'kind: KubeletConfiguration'];
  const emit = (obj: Readonly<Record<string, unknown>>, indent: string) => {
    for (const [k, v] of Object.entries(obj)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        lines.push(`${indent}${k}:`);
        emit(v as Record<string, unknown>, `${indent}  `);
      } else if (Array.isArray(v)) {
        lines.push(`${indent}${k}:`, ...v.map((x) => `${indent}- ${String(x)}`));
      } else {
        lines.push(`${indent}${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
      }
    }
  };
  emit(fields, '');
  return `${lines.join('\n')}\n`;
}
