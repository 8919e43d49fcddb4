/**
 * The pure half of manifest loading (no file system): parses one file's text into objects with
 * their file and line. See manifests.ts for the rules.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode, type Tags } from 'yaml';
import type { K8sObject } from '../engine/k8s.js';
import { UserError } from '../errors.js';

export interface ManifestObject {
  /** The file as named by the user (joined under the directory argument), or `<stdin>`. */
  readonly file: string;
  /** 1-based line where the object's document (or List item) starts. */
  readonly line: number;
  readonly object: K8sObject;
}

export const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;
/** Alias nodes one document may expand (the yaml package's `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;
export const MAX_MANIFEST_FILES = 20_000;
export const STDIN_NAME = '<stdin>';

export const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** Directories never walked: VCS/tooling state (any dot-directory) and dependency trees. */
export const SKIPPED_DIR = (name: string): boolean => name.startsWith('.') || name === 'node_modules';

export function tooLarge(file: string, limit: number): UserError {
  const size = limit >= 1024 * 1024 ? `${Math.floor(limit / 1024 / 1024)} MB` : `${limit} bytes`;
  return new UserError('input', `${file}: larger than ${size} — split it into smaller manifest files`);
}

/** YAML 1.1 as kubectl reads it: drop the timestamp and base-60 number types go-yaml v2 does not resolve. */
function kubectlTags(tags: Tags): Tags {
  return tags.filter((tag) => (typeof tag === 'string'
    ? tag !== 'timestamp' && tag !== 'intTime' && tag !== 'floatTime'
    : tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME'));
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').trim() || 'invalid YAML';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `List` / `PodList`-style document whose items should be read as objects. */
function isList(value: Record<string, unknown>): boolean {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}

/** 1-based lines of ascending `offsets` in `text`, in one pass. */
function linesOf(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let newline = text.indexOf('\n');
  for (const offset of offsets) {
    while (newline !== -1 && newline < offset) {
      line += 1;
      newline = text.indexOf('\n', newline + 1);
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Start offsets of the elements of the top-level object's `"items"` array in JSON text (for the
 * lines of List items), found with a scan that only tracks strings and nesting depth.
 */
function jsonItemOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let lastKey = '';
  let inItems = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      for (i += 1; i < text.length && text[i] !== '"'; i += 1) if (text[i] === '\\') i += 1;
      if (inItems && depth === 2 && expectElement) {
        offsets.push(start);
        expectElement = false;
      } else if (depth === 1) {
        lastKey = text.slice(start + 1, i);
      }
      continue;
    }
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === ':') continue;
    if (inItems && depth === 2 && expectElement && ch !== ']') {
      offsets.push(i);
      expectElement = false;
    }
    if (ch === '{' || ch === '[') {
      depth += 1;
      if (depth === 2 && ch === '[' && lastKey === 'items') {
        inItems = true;
        expectElement = true;
      }
    } else if (ch === '}' || ch === ']') {
      depth -= 1;
      if (depth === 1 && inItems) return offsets;
    } else if (ch === ',') {
      if (depth === 1) lastKey = '';
      if (inItems && depth === 2) expectElement = true;
    }
  }
  return offsets;
}

/** kubectl reads a document that starts with `{` as JSON; JSON.parse is ~80× faster than the YAML parser. */
function parseJson(source: string, file: string): ManifestObject[] | undefined {
  const start = source.search(/\S/);
  if (start === -1 || source[start] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    return undefined; // the YAML parser reports the error with its line
  }
  if (!isObject(value)) return [];
  const [line = 1, ...lines] = linesOf(source, [start, ...(isList(value) ? jsonItemOffsets(source) : [])]);
  if (!isList(value)) return [{ file, line, object: value as K8sObject }];
  const out: ManifestObject[] = [];
  collectItems(value, (index) => lines[index] ?? line, () => undefined, file, out);
  return out;
}

/**
 * Parses one file's text. Empty documents and documents that are not mappings (a top-level list
 * or scalar, e.g. an Ansible playbook in the same tree) are skipped; syntax errors are not.
 */
export function parseManifestText(text: string, file: string): ManifestObject[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const json = parseJson(source, file);
  if (json) return json;
  const lines = new LineCounter();
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lines.linePos(offset).line);
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(source, { lineCounter: lines, version: '1.1', customTags: kubectlTags, uniqueKeys: true }) as Document.Parsed[];
  } catch (error) {
    throw new UserError('input', `${file}:1: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
  if (!Array.isArray(docs)) docs = [docs];

  const out: ManifestObject[] = [];
  for (const doc of docs) {
    const problem = doc.errors[0];
    if (problem) throw new UserError('input', `${file}:${problem.linePos?.[0]?.line ?? lineAt(problem.pos[0])}: ${firstLine(problem.message)}`);
    const contents = doc.contents as YamlNode | null;
    const line = lineAt(contents?.range?.[0] ?? doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/alias/i.test(message)) {
        throw new UserError('input', `${file}:${line}: too many YAML alias expansions (limit ${MAX_ALIAS_COUNT}) — the document looks like an alias bomb`);
      }
      throw new UserError('input', `${file}:${line}: ${firstLine(message)}`);
    }
    if (!isObject(value)) continue;
    collect(value, contents, line, file, lineAt, out);
  }
  return out;
}

function collect(
  value: Record<string, unknown>,
  node: YamlNode | null | undefined,
  line: number,
  file: string,
  lineAt: (offset: number | undefined) => number,
  out: ManifestObject[],
): void {
  if (!isList(value)) {
    out.push({ file, line, object: value as K8sObject });
    return;
  }
  const itemsNode = isMap(node) ? node.get('items', true) : undefined;
  const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
  collectItems(value, (index) => lineAt((itemNodes[index] as YamlNode | undefined)?.range?.[0] ?? node?.range?.[0]), (index, object, itemLine) => {
    collect(object, itemNodes[index] as YamlNode | undefined, itemLine, file, lineAt, out);
    return true;
  }, file, out);
}

/**
 * The items of a List: `lineOf(index)` gives each item's line; `nested` may take over an item
 * (the YAML path recurses with the item's node); otherwise nested Lists are expanded here.
 */
function collectItems(
  list: Record<string, unknown>,
  lineOf: (index: number) => number,
  nested: (index: number, object: Record<string, unknown>, line: number) => true | undefined,
  file: string,
  out: ManifestObject[],
): void {
  const listKind = list.kind as string;
  const itemKind = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);
  (list.items as unknown[]).forEach((item, index) => {
    if (!isObject(item)) return;
    // API list responses (`PodList`) leave kind/apiVersion off their items.
    const object = itemKind && item.kind === undefined ? { apiVersion: list.apiVersion, kind: itemKind, ...item } : item;
    const line = lineOf(index);
    if (nested(index, object, line)) return;
    if (isList(object)) collectItems(object, () => line, () => undefined, file, out);
    else out.push({ file, line, object: object as K8sObject });
  });
}

