/**
 * The headless pipeline shared by `scan` (and later the TUI): select checks → collect only
 * what they declare → snapshot → run → report. `--demo` starts the embedded API server with
 * the built-in cluster and points a real KubeConfig at it, so the demo takes the same client
 * path as a real cluster.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS } from '../checks/index.js';
import { collect, type CollectProgress } from './cluster/collect.js';
import { loadKubeconfig, type LoadedKubeconfig } from './cluster/kubeconfig.js';
import { runChecks, runChecksAsync, type RunOptions } from './engine/run.js';
import { Snapshot, type CheckConfig, type SnapshotInput } from './engine/snapshot.js';
import { LAYERS, type Check, type CheckResult, type DataNeed, type Finding, type Layer } from './engine/types.js';
import { UserError, errorMessage } from './errors.js';
import { readTree } from './files/index.js';
import { buildReport, type ScanReport } from './report/json.js';
import { VERSION } from './version.js';

export interface ScanOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespaces?: readonly string[];
  readonly layers?: readonly Layer[];
  readonly checkIds?: readonly string[];
  readonly demo?: boolean;
  readonly code?: string;
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: CollectProgress) => void;
}

/** The checks `--layer` and `--check` select, in catalog order. Unknown ids are a usage error. */
export function selectChecks(options: Pick<ScanOptions, 'layers' | 'checkIds'>, catalog: readonly Check[] = CHECKS): Check[] {
  const ids = options.checkIds ?? [];
  const unknown = ids.filter((id) => !catalog.some((c) => c.id === id || c.id.startsWith(`${id}/`)));
  if (unknown.length > 0) {
    throw new UserError('usage', `unknown check ${unknown.map((id) => `"${id}"`).join(', ')} — list them with 4c-tui checks`);
  }
  return catalog.filter((c) =>
    (!options.layers || options.layers.length === 0 || options.layers.includes(c.layer))
    && (ids.length === 0 || ids.some((id) => c.id === id || c.id.startsWith(`${id}/`))));
}

export function parseLayers(value: string): Layer[] {
  const layers = value.split(',').map((l) => l.trim()).filter(Boolean);
  const bad = layers.filter((l) => !(LAYERS as readonly string[]).includes(l));
  if (bad.length > 0) throw new UserError('usage', `unknown layer ${bad.join(', ')} — use cloud, cluster, container or code`);
  return layers as Layer[];
}

export function needsOf(checks: readonly Check[]): Set<DataNeed> {
  return new Set(checks.flatMap((c) => [...c.needs, ...(c.optionalNeeds ?? [])]));
}

/** The demo cluster behind a real API server and kubeconfig; `close` stops both. */
export async function startDemo(kubeconfigOut?: string): Promise<{ kubeconfigPath: string; close: () => Promise<void> }> {
  const [{ startApiServer }, { demoCluster, DEMO_VERSION }] = await Promise.all([import('./server/api-server.js'), import('./demo/cluster.js')]);
  const { randomBytes } = await import('node:crypto');
  const server = await startApiServer({ objects: demoCluster(), tls: true, token: randomBytes(24).toString('base64url'), version: DEMO_VERSION });
  const dir = kubeconfigOut ? undefined : await mkdtemp(join(tmpdir(), '4c-tui-demo-'));
  const kubeconfigPath = kubeconfigOut ?? join(dir as string, 'kubeconfig');
  try {
    await server.writeKubeconfig(kubeconfigPath);
  } catch (error) {
    await server.close();
    throw new UserError('output', `cannot write the demo kubeconfig to ${kubeconfigPath}: ${errorMessage(error)}`);
  }
  return {
    kubeconfigPath,
    close: async () => {
      await server.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Where a scan reads from: a kubeconfig context, or the demo cluster behind the embedded server. */
export interface Target {
  readonly config?: LoadedKubeconfig;
  readonly demo: boolean;
  close(): Promise<void>;
}

/** Loads the kubeconfig (or starts the demo); no request to the cluster yet. */
export async function openTarget(options: Pick<ScanOptions, 'kubeconfig' | 'context' | 'demo'>): Promise<Target> {
  if (options.demo) {
    const demo = await startDemo();
    try {
      return { config: await loadKubeconfig({ path: demo.kubeconfigPath }), demo: true, close: demo.close };
    } catch (error) {
      await demo.close();
      throw error;
    }
  }
  const config = await loadKubeconfig({ path: options.kubeconfig, context: options.context });
  return { config, demo: false, close: async () => undefined };
}

export interface EvaluateOptions extends Pick<ScanOptions, 'namespaces' | 'code' | 'timeoutSeconds' | 'signal' | 'onProgress'>,
  Pick<RunOptions, 'onResult' | 'isAccepted' | 'severityOverrides'> {
  /** Yield to the event loop between checks (interactive use). */
  readonly interactive?: boolean;
  /** User configuration the checks read (trusted registries…), from settings. */
  readonly config?: CheckConfig;
}

export interface Evaluation {
  readonly results: readonly CheckResult[];
  readonly findings: readonly Finding[];
  readonly version?: string;
  /** Why data was missing, one line per source. */
  readonly notices: readonly string[];
}

/** Collect what `checks` declare (cluster only if they need it), then run them. */
export async function evaluate(target: Target | undefined, checks: readonly Check[], options: EvaluateOptions): Promise<Evaluation> {
  const needs = needsOf(checks);
  const clusterNeeds = [...needs].filter((n) => n !== 'files');
  let input: SnapshotInput = {};
  if (clusterNeeds.length > 0) {
    if (!target?.config) throw new UserError('no-kubeconfig', 'no cluster to scan — pass --kubeconfig, set KUBECONFIG, or use --demo');
    input = await collect(target.config, {
      needs: new Set(clusterNeeds),
      namespaces: options.namespaces,
      timeoutMs: options.timeoutSeconds * 1000,
      signal: options.signal,
      onProgress: options.onProgress,
    });
  }
  let files: SnapshotInput['files'];
  const errors = { ...input.errors };
  if (needs.has('files')) {
    if (options.code) files = await readTree(options.code);
    else errors.files = { code: 'not-requested', message: 'no source tree given (--code DIR)' };
  }
  const snapshot = new Snapshot({ ...input, errors, files, ...(options.config ? { config: options.config } : {}) });
  const run = options.interactive ? runChecksAsync : runChecks;
  const { results, findings } = await run(snapshot, checks, options);
  // Optional kinds a cluster does not serve (CNI policy CRDs…) are expected, not news.
  const notices = snapshot.errors().filter(([, e]) => e.code !== 'not-requested' && e.code !== 'not-served').map(([, e]) => e.message);
  return { results, findings, notices, ...(input.version?.gitVersion ? { version: input.version.gitVersion } : {}) };
}

export interface ScanOutput {
  readonly report: ScanReport;
  /** Why data was missing, one line per source (shown as notices). */
  readonly notices: readonly string[];
}

export async function scan(options: ScanOptions): Promise<ScanOutput> {
  const startedAt = new Date();
  const started = performance.now();
  const checks = selectChecks(options);
  const needsCluster = [...needsOf(checks)].some((n) => n !== 'files');
  const target = needsCluster ? await openTarget(options) : undefined;
  try {
    // A headless scan reads the user's settings when they exist; it never creates them.
    const { defaultSettingsDir, openSettings } = await import('./settings.js');
    const settings = existsSync(join(defaultSettingsDir(), 'config.json')) ? openSettings().data : undefined;
    const config = { trustedRegistries: settings?.trustedRegistries ?? [], untrustedNamespaces: [], configMapContents: false };
    const { results, findings, notices, version } = await evaluate(target, checks, { ...options, config, severityOverrides: settings?.severityOverrides });
    const kubeconfig = target?.config;
    const report = buildReport({
      version: VERSION,
      target: {
        ...(kubeconfig ? { context: kubeconfig.context, server: kubeconfig.server } : {}),
        namespaces: options.namespaces?.length ? options.namespaces : 'all',
        ...(options.code ? { code: options.code } : {}),
        ...(version ? { version } : {}),
        ...(target?.demo ? { demo: true } : {}),
      },
      startedAt,
      durationMs: performance.now() - started,
      results,
      findings,
    });
    return { report, notices };
  } finally {
    await target?.close();
  }
}
