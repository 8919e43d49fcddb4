/**
 * Loads Kubernetes objects from manifest files: a FILE, a DIR (recursively, `*.yaml|*.yml|*.json`
 * in sorted order) or `-` (stdin). Multi-document YAML and JSON are read with YAML 1.1 scalars,
 * like kubectl (sigs.k8s.io/yaml): `yes`/`on` are booleans, `0644` is octal, `<<` merges; but
 * timestamps and `1:20`-style sexagesimals stay strings, as they do for kubectl. `kind: List`
 * (and `<Kind>List`) documents are expanded into their items. A file that starts with `{` and is
 * valid JSON is read with JSON.parse (as kubectl reads JSON), which is ~80× faster than the YAML
 * parser on large List exports; anything else, including invalid JSON, goes through the YAML parser.
 *
 * Every object carries its file and the 1-based line where it starts. Anything that cannot be
 * read or parsed is a UserError naming `<file>:<line>`. Guards: files over 10 MB are refused,
 * YAML alias expansion is bounded (a "billion laughs" document fails instead of eating memory),
 * and directory walks stop with an error after 20,000 files.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { MANIFEST_FILE, MAX_MANIFEST_BYTES, MAX_MANIFEST_FILES, parseManifestText, SKIPPED_DIR, STDIN_NAME, tooLarge, type ManifestObject } from './manifest-parse.js';

export { MAX_ALIAS_COUNT, MAX_MANIFEST_BYTES, MAX_MANIFEST_FILES, parseManifestText, STDIN_NAME, type ManifestObject } from './manifest-parse.js';

export interface LoadOptions {
  /** Read for `-`. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly maxFileBytes?: number;
  readonly maxFiles?: number;
}

async function readFileBounded(path: string, limit: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UserError('input', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'}) — check the path and permissions`);
  }
  try {
    const size = (await handle.stat()).size;
    if (size > limit) throw tooLarge(path, limit);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function readStdin(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    total += buffer.length;
    if (total > limit) throw tooLarge(STDIN_NAME, limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The manifest files under `dir`, depth-first in sorted order; symlinks are not followed. */
async function listManifestFiles(dir: string, maxFiles: number): Promise<string[]> {
  const files: string[] = [];
  const walk = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (error) {
      throw new UserError('input', `${current}: cannot read directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    entries.sort((a, b) => byName(a.name, b.name));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIR(entry.name)) await walk(path);
      } else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) {
        files.push(path);
        if (files.length > maxFiles) throw new UserError('input', `${dir}: more than ${maxFiles} manifest files — pass a narrower directory`);
      }
    }
  };
  await walk(dir);
  return files;
}

/** Reads `target` (FILE, DIR or `-`) and returns every mapping document, List items expanded. */
export async function loadManifests(target: string, options: LoadOptions = {}): Promise<ManifestObject[]> {
  const limit = options.maxFileBytes ?? MAX_MANIFEST_BYTES;
  if (target === '-') {
    if (!options.stdin) throw new UserError('input', 'no standard input to read manifests from — pass a FILE or DIR instead of -');
    return parseManifestText(await readStdin(options.stdin, limit), STDIN_NAME);
  }
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A symlink loop (ELOOP) or an unreadable parent (EACCES) is not a missing file.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UserError('input', `${target}: cannot read (${code ?? 'error'}) — check the path and permissions`);
    throw new UserError('input', `${target} does not exist — pass a manifest file, a directory or - for stdin`);
  }
  if (!info.isDirectory()) return parseManifestText(await readFileBounded(target, limit), target);
  const out: ManifestObject[] = [];
  for (const file of await listManifestFiles(target, options.maxFiles ?? MAX_MANIFEST_FILES)) {
    out.push(...parseManifestText(await readFileBounded(file, limit), file));
  }
  return out;
}
