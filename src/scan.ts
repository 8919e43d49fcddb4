/**
 * The headless pipeline shared by `scan` (and later the TUI): select checks → collect only
 * what they declare → snapshot → run → report. `--demo` starts the embedded API server with
 * the built-in cluster and points a real KubeConfig at it, so the demo takes the same client
 * path as a real cluster.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS } from '../checks/index.js';
import { collect, type CollectProgress } from './cluster/collect.js';
import { loadKubeconfig, type LoadedKubeconfig } from './cluster/kubeconfig.js';
import { combineResults, runChecks, runChecksAsync, type RunOptions } from './engine/run.js';
import { StreamingRun } from './engine/stream.js';
import { Snapshot, type CheckConfig, type SnapshotInput } from './engine/snapshot.js';
import { RESOURCES } from './engine/resources.js';
import { LAYERS, type Check, type CheckResult, type DataNeed, type Finding, type FindingSubject, type Layer } from './engine/types.js';
import { UserError, errorMessage } from './errors.js';
import { readTree } from './files/index.js';
import { loadManifestSet, readVulnReports, runOverManifests, type ManifestRun } from './files/offline.js';
import { AcceptFileError, applyAcceptances, parseAcceptFile, type AcceptRule } from './report/accept.js';
import { baselineFromLastScan, baselineFromReport, compareWithBaseline, lastScanRecord, type Baseline } from './report/baseline.js';
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
  /** `--manifests PATH` (files, directories, `-` for stdin): scan these objects instead of a cluster, or besides the one a target names. */
  readonly manifests?: readonly string[];
  /** `--vuln-report FILE`: npm audit / OSV-Scanner / Trivy JSON for code/dependency-vulnerabilities. */
  readonly vulnReports?: readonly string[];
  /** Read for `--manifests -`. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: CollectProgress) => void;
  /** `--accept-file FILE`: accepted risks (src/report/accept.ts). */
  readonly acceptFile?: string;
  /** `--baseline FILE`: a previous JSON report; else the context's last scan from settings. */
  readonly baseline?: string;
  /** `--scan-configmaps`: list every ConfigMap and scan its contents for credentials (D-CM-ALL opt-in). */
  readonly configMapContents?: boolean;
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

export interface EvaluateOptions extends Pick<ScanOptions, 'namespaces' | 'code' | 'timeoutSeconds' | 'signal' | 'onProgress' | 'manifests' | 'vulnReports' | 'stdin'>,
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
  /** What the checks read (labels for accept-file selectors). */
  readonly snapshot?: Snapshot;
}

/** Collect what `checks` declare (cluster only if they need it), then run them. */
export async function evaluate(target: Target | undefined, checks: readonly Check[], options: EvaluateOptions): Promise<Evaluation> {
  const needs = needsOf(checks);
  // --manifests: the objects come from files, instead of a cluster or (with a target) besides one.
  const manifests = options.manifests?.length ? await loadManifestSet(options.manifests, options.stdin) : undefined;
  const offline = manifests && !target ? manifests : undefined;
  // D-CM-ALL is an opt-in: without it no ConfigMap list is requested (only D-CM-SYS gets).
  const configMapsOptIn = options.config?.configMapContents === true;
  const clusterNeeds = offline ? [] : [...needs].filter((n) => n !== 'files' && (n !== 'configmaps' || configMapsOptIn));
  // Besides a cluster: the manifests are checked first (local, fast) and each check's result
  // is reported once, the cluster's and the files' combined.
  const besides = manifests && target
    ? await runOverManifests(manifests, checks.filter((c) => c.layer !== 'code'), { errors: {}, ...(options.config ? { config: options.config } : {}) }, { ...options, onResult: undefined })
    : undefined;
  if (besides) options = { ...options, onResult: options.onResult && withManifestResults(besides, options.onResult) };
  let input: SnapshotInput & { partial?: string } = {};
  let stream: StreamingRun | undefined;
  if (clusterNeeds.length > 0) {
    if (!target?.config) throw new UserError('no-kubeconfig', 'no cluster to scan — pass --kubeconfig, set KUBECONFIG, or use --demo');
    // Checks run as the data they read arrives (src/engine/stream.ts); the rest at the end.
    stream = new StreamingRun(checks, clusterNeeds, { ...options, ...(options.config ? { base: { config: options.config } } : {}) });
    input = await collect(target.config, {
      needs: new Set(clusterNeeds),
      namespaces: options.namespaces,
      timeoutMs: options.timeoutSeconds * 1000,
      signal: options.signal,
      onProgress: options.onProgress,
      onSettled: (need, sofar) => stream?.settle(need, sofar),
    });
  }
  let files: SnapshotInput['files'];
  const errors = { ...input.errors };
  if (!offline && needs.has('configmaps') && !configMapsOptIn) {
    errors.configmaps = { code: 'not-requested', message: 'ConfigMap contents not scanned (opt-in: --scan-configmaps)' };
  }
  const treeNotes: string[] = [];
  if (needs.has('files')) {
    const reports = options.vulnReports?.length ? await readVulnReports(options.vulnReports) : undefined;
    const tree = options.code ? await readTree(options.code).catch((error: unknown) => {
      // The TUI keeps going: its Code tab shows the reason; `scan --code` with a bad path stops (exit 2).
      if (!options.interactive || !(error instanceof UserError)) throw error;
      errors.files = { code: 'failed', message: `${error.message.replace(/^--code /, 'source tree ')} (start 4c-tui in your project or pass --code DIR)` };
      return undefined;
    }) : undefined;
    if (tree) {
      treeNotes.push(...tree.notes);
      files = { root: tree.root, files: tree.files, ...(reports ? { reports } : {}) };
    } else if (!options.code && reports) {
      files = { root: '.', files: [], reports };
    } else if (!options.code) {
      errors.files = { code: 'not-requested', message: 'no source tree given (--code DIR)' };
    }
  }
  if (offline) {
    const config = options.config ? { config: options.config } : {};
    const { results, findings, snapshot } = await runOverManifests(offline, checks, { files, errors, ...config }, options);
    const notices = [...snapshot.errors().filter(([, e]) => e.code !== 'not-requested').map(([, e]) => e.message), ...treeNotes];
    return { results, findings, notices, snapshot };
  }
  const snapshot = new Snapshot({ ...input, errors, files, ...(options.config ? { config: options.config } : {}) });
  const run = options.interactive ? runChecksAsync : runChecks;
  const clusterRun = stream ? await stream.finish(snapshot) : await run(snapshot, checks, options);
  const { results, findings } = besides ? combineRuns(clusterRun, besides) : clusterRun;
  // Optional kinds a cluster does not serve (CNI policy CRDs…) are expected, not news.
  // A server that stopped answering mid-scan: say first that the results are partial.
  const notices = [...(input.partial ? [input.partial] : []), ...snapshot.errors().filter(([, e]) => e.code !== 'not-requested' && e.code !== 'not-served').map(([, e]) => e.message), ...treeNotes];
  return { results, findings, notices, snapshot, ...(input.version?.gitVersion ? { version: input.version.gitVersion } : {}) };
}

/** The manifests' part of one check, for results streamed from the cluster run. */
function manifestPart(run: ManifestRun, id: string): { result?: CheckResult; findings: readonly Finding[] } {
  const result = run.results.find((r) => r.id === id);
  return { ...(result && result.status !== 'not-applicable' ? { result } : {}), findings: run.findings.filter((f) => f.checkId === id) };
}

function withManifestResults(run: ManifestRun, onResult: NonNullable<EvaluateOptions['onResult']>): NonNullable<EvaluateOptions['onResult']> {
  return (result, findings) => {
    const part = manifestPart(run, result.id);
    onResult(part.result ? combineResults([result, part.result]) : result, [...findings, ...part.findings]);
  };
}

/** A cluster run and a manifest run of the same checks as one. */
function combineRuns(cluster: { results: readonly CheckResult[]; findings: readonly Finding[] }, run: ManifestRun): { results: CheckResult[]; findings: Finding[] } {
  return {
    results: cluster.results.map((r) => {
      const part = manifestPart(run, r.id);
      return part.result ? combineResults([r, part.result]) : r;
    }),
    findings: [...cluster.findings, ...run.findings],
  };
}

async function readAcceptFile(file: string | undefined): Promise<{ rules: readonly AcceptRule[]; notices: readonly string[] }> {
  if (file === undefined) return { rules: [], notices: [] };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError('usage', `cannot read --accept-file ${file}: ${errorMessage(error)}`);
  }
  try {
    return parseAcceptFile(text, file, (id) => CHECKS.some((c) => c.id === id));
  } catch (error) {
    if (error instanceof AcceptFileError) throw new UserError('usage', `${error.message} — see 4c-tui scan --help`);
    throw error;
  }
}

async function readBaselineFile(file: string | undefined): Promise<Baseline | undefined> {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError('usage', `cannot read --baseline ${file}: ${errorMessage(error)}`);
  }
  try {
    return baselineFromReport(text);
  } catch (error) {
    throw new UserError('usage', `--baseline ${file}: ${errorMessage(error)} — write one with 4c-tui scan --format json --output FILE`);
  }
}

/** Labels of a finding's subject, looked up in the snapshot (built on first use). */
function labelIndex(snapshot: Snapshot | undefined): (subject: FindingSubject) => Readonly<Record<string, string>> | undefined {
  let index: Map<string, Readonly<Record<string, string>>> | undefined;
  return (subject) => {
    if (!snapshot) return undefined;
    if (!index) {
      index = new Map();
      for (const info of RESOURCES) {
        if (!snapshot.has(info.name)) continue;
        for (const o of snapshot.list(info.name)) {
          const key = `${o.kind ?? info.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
          if (!index.has(key)) index.set(key, o.metadata?.labels ?? {});
        }
      }
    }
    return index.get(`${subject.kind}/${subject.namespace ?? ''}/${subject.name}`);
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
  // --manifests alone scans files instead of a cluster; with --demo, --kubeconfig or --context, besides it.
  const clusterNamed = options.demo === true || options.kubeconfig !== undefined || options.context !== undefined;
  const needsCluster = (!options.manifests?.length || clusterNamed) && [...needsOf(checks)].some((n) => n !== 'files');
  const target = needsCluster ? await openTarget(options) : undefined;
  try {
    // A headless scan reads the user's settings when they exist; it never creates them.
    const { defaultSettingsDir, openSettings } = await import('./settings.js');
    const store = existsSync(join(defaultSettingsDir(), 'config.json')) ? openSettings() : undefined;
    const settings = store?.data;
    const config = { trustedRegistries: settings?.trustedRegistries ?? [], untrustedNamespaces: settings?.untrustedNamespaces ?? [], configMapContents: options.configMapContents === true };
    // Read before the cluster is contacted, so a bad file fails fast.
    const accept = await readAcceptFile(options.acceptFile);
    const baselineFile = await readBaselineFile(options.baseline);
    const evaluation = await evaluate(target, checks, { ...options, config, severityOverrides: settings?.severityOverrides });
    const { results, version } = evaluation;
    const kubeconfig = target?.config;
    const context = kubeconfig?.context ?? '';
    const now = new Date();
    const accepted = applyAcceptances(evaluation.findings, {
      rules: accept.rules,
      settings: (settings?.acceptedRisks ?? []).filter((r) => r.context === context),
      labelsOf: labelIndex(evaluation.snapshot),
      now,
    });
    const previous = store?.lastScan(context);
    const baseline = baselineFile ?? (previous ? baselineFromLastScan(previous) : undefined);
    const comparison = baseline ? compareWithBaseline(baseline, results, accepted.findings, options.namespaces) : undefined;
    const findings = comparison ? accepted.findings.map((f) => ({ ...f, new: comparison.newKeys.has(f.key) })) : accepted.findings;
    // A record covers every namespace: a scan limited with -n would make the rest look fixed.
    // Recorded per context; a scan of files alone has none.
    if (store && kubeconfig && !options.namespaces?.length) store.recordScan(context, lastScanRecord(previous, results, evaluation.findings, now));
    const notices = [...evaluation.notices, ...accept.notices, ...accepted.notices, ...(store?.notices ?? [])];
    const report = buildReport({
      version: VERSION,
      target: {
        ...(kubeconfig ? { context: kubeconfig.context, server: kubeconfig.server } : {}),
        namespaces: options.namespaces?.length ? options.namespaces : 'all',
        ...(options.code ? { code: options.code } : {}),
        ...(options.manifests?.length ? { manifests: options.manifests } : {}),
        ...(version ? { version } : {}),
        ...(target?.demo ? { demo: true } : {}),
      },
      startedAt,
      durationMs: performance.now() - started,
      results,
      findings,
      ...(baseline && comparison ? { baseline: { source: baseline.source, ...(baseline.at ? { at: baseline.at } : {}), new: comparison.newKeys.size, fixed: comparison.fixed } } : {}),
      notices,
    });
    return { report, notices };
  } finally {
    await target?.close();
  }
}
