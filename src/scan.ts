/**
 * The headless pipeline shared by `scan` (and later the TUI): select checks → collect only
 * what they declare → snapshot → run → report. `--demo` starts the embedded API server with
 * the built-in cluster and points a real KubeConfig at it, so the demo takes the same client
 * path as a real cluster.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS } from '../checks/index.js';
import { collect, type CollectProgress } from './cluster/collect.js';
import { loadKubeconfig, type LoadedKubeconfig } from './cluster/kubeconfig.js';
import { runChecks } from './engine/run.js';
import { Snapshot, type SnapshotInput } from './engine/snapshot.js';
import { LAYERS, type Check, type DataNeed, type Layer } from './engine/types.js';
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

function needsOf(checks: readonly Check[]): Set<DataNeed> {
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

export interface ScanOutput {
  readonly report: ScanReport;
  /** Why data was missing, one line per source (shown as notices). */
  readonly notices: readonly string[];
}

export async function scan(options: ScanOptions): Promise<ScanOutput> {
  const startedAt = new Date();
  const started = performance.now();
  const checks = selectChecks(options);
  const needs = needsOf(checks);
  const clusterNeeds = [...needs].filter((n) => n !== 'files');
  const demo = options.demo ? await startDemo() : undefined;
  try {
    let config: LoadedKubeconfig | undefined;
    let input: SnapshotInput = {};
    if (clusterNeeds.length > 0) {
      config = await loadKubeconfig({ path: demo?.kubeconfigPath ?? options.kubeconfig, context: demo ? undefined : options.context });
      input = await collect(config, {
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
      else errors.files = { code: 'not-requested', message: 'no source tree given (scan --code DIR)' };
    }
    const snapshot = new Snapshot({ ...input, errors, files });
    const { results, findings } = runChecks(snapshot, checks);
    const version = input.version?.gitVersion;
    const report = buildReport({
      version: VERSION,
      target: {
        ...(config ? { context: config.context, server: config.server } : {}),
        namespaces: options.namespaces?.length ? options.namespaces : 'all',
        ...(options.code ? { code: options.code } : {}),
        ...(version ? { version } : {}),
        ...(demo ? { demo: true } : {}),
      },
      startedAt,
      durationMs: performance.now() - started,
      results,
      findings,
    });
    // Optional kinds a cluster does not serve (CNI policy CRDs…) are expected, not news.
    const notices = snapshot.errors().filter(([, e]) => e.code !== 'not-requested' && e.code !== 'not-served').map(([, e]) => e.message);
    return { report, notices };
  } finally {
    await demo?.close();
  }
}
