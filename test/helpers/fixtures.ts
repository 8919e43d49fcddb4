/**
 * Fixture convention (STYLE.md rule 5): `test/fixtures/<layer>/<slug>/<expect>-<case>.<ext>`
 * where <expect> is the check status the fixture must produce: pass, fail, warn, unable or na
 * (not-applicable). `.yaml` fixtures are multi-document Kubernetes objects; two pseudo-kinds
 * (apiVersion `fixtures.4c-tui.dev/v1`) shape the rest of the snapshot and the expectation:
 *
 *   kind: FixtureContext   # kubeconfig, version, clusterInfo, errors, files, namespaces, config (CheckConfig),
 *                          # include: [shared/<shape>.yaml] (objects and context shared by many fixtures)
 *   kind: FixtureExpect    # findings (count), severity, status, subjects ["Kind/ns/name[:container]"], message (substring)
 *
 * Any other extension (e.g. `fail-root.Dockerfile`) is a source file placed in the snapshot's
 * files under its own name with the `<expect>-` prefix removed, e.g. `Dockerfile`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { DEFAULT_CHECK_CONFIG, type CheckConfig, type DataError, type KubeconfigInfo, type SnapshotInput, type SourceFile, type SourceFileKind } from '../../src/engine/snapshot.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import { LAYERS, type CheckStatus, type DataNeed, type Severity } from '../../src/engine/types.js';

export const FIXTURES_DIR = new URL('../fixtures/', import.meta.url).pathname;

export interface FixtureExpect {
  readonly status: CheckStatus;
  readonly findings?: number;
  readonly severity?: Severity;
  readonly subjects?: readonly string[];
  readonly message?: string;
}

export interface Fixture {
  readonly checkId: string;
  readonly file: string;
  readonly name: string;
  readonly snapshot: Snapshot;
  readonly expect: FixtureExpect;
}

const PREFIX_STATUS: Readonly<Record<string, CheckStatus>> = {
  pass: 'pass', fail: 'fail', warn: 'warn', unable: 'unable', na: 'not-applicable', error: 'error',
};

/** A private, verified kubeconfig context unless a fixture says otherwise. */
export const DEFAULT_KUBECONFIG: KubeconfigInfo = {
  context: 'fixture', cluster: 'fixture', user: 'fixture', server: 'https://10.0.0.1:6443',
  insecureSkipTlsVerify: false, authMethod: 'token', serverAddresses: ['10.0.0.1'],
};

interface FixtureContext {
  kubeconfig?: Partial<KubeconfigInfo>;
  version?: SnapshotInput['version'];
  clusterInfo?: SnapshotInput['clusterInfo'];
  errors?: Partial<Record<DataNeed, DataError>>;
  files?: { path: string; text: string; kind?: SourceFileKind }[];
  namespaces?: string[];
  /** User configuration the checks read (trustedRegistries, untrustedNamespaces). */
  config?: Partial<CheckConfig>;
  /** Scan time (ISO-8601) for date-dependent checks, so fixtures stay deterministic. */
  collectedAt?: string;
  /**
   * Files under test/fixtures/ (e.g. `shared/eks-cluster.yaml`) whose objects are added to this
   * fixture; their FixtureContext fields apply unless this fixture sets the same field.
   */
  include?: string[];
}

/** Objects and context of `include`d shared files (one level: they do not include further). */
function loadIncludes(paths: readonly string[]): { objects: K8sObject[]; context: FixtureContext } {
  const objects: K8sObject[] = [];
  let context: FixtureContext = {};
  for (const path of paths) {
    for (const doc of parseAllDocuments(readFileSync(join(FIXTURES_DIR, path), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`fixture include ${path}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as K8sObject | null;
      if (!value) continue;
      if (value.kind === 'FixtureContext') context = { ...context, ...(value as unknown as FixtureContext) };
      else objects.push(value);
    }
  }
  return { objects, context };
}

function fileKind(name: string): SourceFileKind {
  if (/(^|\.)(Dockerfile|Containerfile)$|^Dockerfile\./.test(name)) return 'dockerfile';
  if (/\.(ya?ml|json)$/.test(name)) return 'manifest';
  return 'other';
}

export function loadFixture(checkId: string, file: string): Fixture {
  const name = basename(file);
  const prefix = name.split('-')[0] ?? '';
  const status = PREFIX_STATUS[prefix];
  if (!status) throw new Error(`fixture ${file}: name must start with pass-, fail-, warn-, unable-, na- or error-`);
  const text = readFileSync(file, 'utf8');
  let context: FixtureContext = {};
  let expect: FixtureExpect = { status };
  const objects: K8sObject[] = [];
  const files: SourceFile[] = [];

  if (/\.ya?ml$/.test(name)) {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`fixture ${file}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as K8sObject | null;
      if (!value) continue;
      if (value.kind === 'FixtureContext') context = value as unknown as FixtureContext;
      else if (value.kind === 'FixtureExpect') expect = { status, ...(value as unknown as Omit<FixtureExpect, 'status'>) };
      else objects.push(value);
    }
  } else {
    const path = name.slice(prefix.length + 1).replace(/^[^.]*\./, '') || name;
    files.push({ path: path === name ? name : path, kind: fileKind(path), text });
  }
  if (context.include?.length) {
    const shared = loadIncludes(context.include);
    objects.unshift(...shared.objects);
    context = { ...shared.context, ...context };
  }
  for (const f of context.files ?? []) files.push({ path: f.path, kind: f.kind ?? fileKind(f.path), text: f.text });

  const { snapshot } = snapshotFromObjects(objects, {
    kubeconfig: { ...DEFAULT_KUBECONFIG, ...context.kubeconfig },
    version: context.version ?? { major: '1', minor: '33', gitVersion: 'v1.33.4' },
    clusterInfo: context.clusterInfo === undefined ? null : context.clusterInfo,
    errors: context.errors,
    namespaces: context.namespaces,
    ...(context.collectedAt !== undefined ? { collectedAt: context.collectedAt } : {}),
    config: { ...DEFAULT_CHECK_CONFIG, ...context.config },
    ...(files.length > 0 ? { files: { root: '.', files } } : {}),
  });
  return { checkId, file, name, snapshot, expect };
}

/** Every fixture under test/fixtures, grouped by check id (`<layer>/<slug>`). */
export function allFixtures(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const layer of readdirSync(FIXTURES_DIR)) {
    // Only layer directories hold per-check fixtures (test/fixtures/shared holds included shapes).
    if (!(LAYERS as readonly string[]).includes(layer)) continue;
    const layerDir = join(FIXTURES_DIR, layer);
    if (!statSync(layerDir).isDirectory()) continue;
    for (const slug of readdirSync(layerDir)) {
      const dir = join(layerDir, slug);
      if (!statSync(dir).isDirectory()) continue;
      out.set(`${layer}/${slug}`, readdirSync(dir).sort().map((f) => join(dir, f)));
    }
  }
  return out;
}
