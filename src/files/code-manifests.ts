/**
 * F-K8S (CHECKS.md §5.0): the Kubernetes objects in the scanned tree's YAML/JSON files, each with
 * its file and line. Documents without apiVersion and kind are not objects (CI files, configs).
 * Helm chart templates (a directory with Chart.yaml, or `{{ … }}` in the file) and unparsable
 * files are left out and counted, so checks can say what they could not read.
 */
import type { K8sObject } from '../engine/k8s.js';
import type { Snapshot, SourceFile } from '../engine/snapshot.js';
import { filesOf } from './code-check.js';
import { parseManifestText, type ManifestObject } from './manifest-parse.js';

export interface TreeManifests {
  readonly objects: readonly ManifestObject[];
  /** Files skipped: Helm templates (render with helm template) and files that do not parse. */
  readonly helm: readonly string[];
  readonly unreadable: readonly string[];
}

const cache = new WeakMap<object, TreeManifests>();

function isK8sObject(object: K8sObject): boolean {
  return typeof object.apiVersion === 'string' && typeof object.kind === 'string' && object.apiVersion !== '' && object.kind !== '';
}

/** Parsed once per snapshot (several checks read the same objects). */
export function treeManifests(snapshot: Snapshot): TreeManifests {
  const key = snapshot.files ?? snapshot;
  const cached = cache.get(key);
  if (cached) return cached;
  const files = filesOf(snapshot, ['k8s']);
  const charts = new Set(files.filter((f) => /(^|\/)Chart\.ya?ml$/.test(f.path)).map((f) => f.path.replace(/\/?Chart\.ya?ml$/, '')));
  const inChart = (f: SourceFile) => [...charts].some((dir) => dir === '' ? /(^|\/)templates\//.test(f.path) : f.path.startsWith(`${dir}/templates/`));
  const objects: ManifestObject[] = [];
  const helm: string[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    if (!/^\s*(apiVersion|kind)\s*:|"(apiVersion|kind)"\s*:/m.test(file.text)) continue;
    if (inChart(file) || /\{\{.*\}\}/.test(file.text)) {
      helm.push(file.path);
      continue;
    }
    try {
      for (const o of parseManifestText(file.text, file.path)) if (isK8sObject(o.object)) objects.push(o);
    } catch {
      unreadable.push(file.path);
    }
  }
  const result = { objects, helm, unreadable };
  cache.set(key, result);
  return result;
}

/** A sentence naming what could not be read, or undefined. */
export function skippedNote(m: TreeManifests): string | undefined {
  const parts: string[] = [];
  if (m.helm.length > 0) parts.push(`${m.helm.length} Helm template file(s) not evaluated (render them with helm template and scan with --manifests -)`);
  if (m.unreadable.length > 0) parts.push(`${m.unreadable.length} YAML file(s) could not be parsed (${m.unreadable.slice(0, 3).join(', ')}${m.unreadable.length > 3 ? ', …' : ''})`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
