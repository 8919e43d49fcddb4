/**
 * The only module that reads the user's source tree (DESIGN.md §5). It walks `--code DIR`
 * honouring `.gitignore` files (every directory's, like git), skips vendored/build
 * directories, binaries and oversized files (CHECKS.md §5.0), never leaves the root through a
 * symlink, and classifies what it keeps (src/files/classify.ts). Paths are relative to the
 * root with `/` separators.
 */
import { lstat, open, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { SourceFile } from '../engine/snapshot.js';
import { UserError } from '../errors.js';
import { classify } from './classify.js';

export { classify } from './classify.js';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git', 'node_modules', 'vendor', 'dist', 'build', 'target', '.terraform', '__pycache__', '.venv',
  '.hg', '.svn', 'bower_components', '.next', '.nuxt', '.cache', 'coverage', '.tox', '.gradle', '.idea',
]);

export interface ReadTreeOptions {
  /** Largest file read, bytes. Default 2 MiB. */
  readonly maxFileBytes?: number;
  /** Stop after this many files (a guard against pointing at `/`). Default 20,000. */
  readonly maxFiles?: number;
  /** Stop reading once this many bytes were kept. Default 256 MiB. */
  readonly maxTotalBytes?: number;
}

export interface SourceTree {
  readonly root: string;
  readonly files: SourceFile[];
  /** What was left out because of a cap, one line each (shown as notices). */
  readonly notes: string[];
}

async function isBinary(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

interface Rules {
  /** Directory of the .gitignore, relative to the root ('' for the root). */
  readonly dir: string;
  readonly ig: Ignore;
}

/** git semantics, approximately: the deepest .gitignore with a matching rule decides. */
function ignored(stack: readonly Rules[], rel: string, isDir: boolean): boolean {
  let state = false;
  for (const { dir, ig } of stack) {
    const local = dir === '' ? rel : rel.slice(dir.length + 1);
    if (local === '') continue;
    const result = ig.test(isDir ? `${local}/` : local);
    if (result.ignored) state = true;
    else if (result.unignored) state = false;
  }
  return state;
}

async function readRules(dir: string, relDir: string): Promise<Rules | undefined> {
  try {
    const text = await readFile(join(dir, '.gitignore'), 'utf8');
    return text ? { dir: relDir, ig: ignore().add(text) } : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the files the Code layer understands under `root`. */
export async function readTree(root: string, options: ReadTreeOptions = {}): Promise<SourceTree> {
  const maxBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 20_000;
  const maxTotal = options.maxTotalBytes ?? 256 * 1024 * 1024;
  let info;
  try {
    info = await stat(root);
  } catch {
    throw new UserError('input', `--code ${root} does not exist — pass a directory`);
  }
  if (!info.isDirectory()) throw new UserError('input', `--code ${root} is not a directory — pass a directory`);
  const realRoot = await realpath(root);

  const files: SourceFile[] = [];
  const notes: string[] = [];
  let seen = 0;
  let total = 0;
  let large = 0;
  let stopped = false;

  const readOne = async (path: string, rel: string): Promise<void> => {
    const kind = classify(rel);
    if (!kind) return;
    try {
      const size = (await stat(path)).size;
      if (size > maxBytes) {
        // A large lockfile still proves the dependencies are locked (its text is not scanned).
        if (kind === 'lockfile') files.push({ path: rel, kind, text: '' });
        else large += 1;
        return;
      }
      if (total + size > maxTotal) {
        stopped = true;
        notes.push(`--code ${root}: stopped reading at ${Math.floor(maxTotal / 1024 / 1024)} MiB of source; later files were not scanned`);
        return;
      }
      if (await isBinary(path)) return;
      const handle = await open(path, 'r');
      try {
        files.push({ path: rel, kind, text: await handle.readFile('utf8') });
        total += size;
      } finally {
        await handle.close();
      }
    } catch {
      // unreadable file: skipped, like git would
    }
  };

  const walk = async (dir: string, stack: readonly Rules[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: skipped
    }
    const relDir = relative(root, dir).split(sep).join('/');
    const own = entries.some((e) => e.name === '.gitignore') ? await readRules(dir, relDir) : undefined;
    const rules = own ? [...stack, own] : stack;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (stopped) return;
      if (seen >= maxFiles) {
        stopped = true;
        notes.push(`--code ${root}: more than ${maxFiles} files; the rest were not scanned — pass a narrower directory`);
        return;
      }
      const path = join(dir, entry.name);
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !ignored(rules, rel, true)) await walk(path, rules);
        continue;
      }
      if (entry.isSymbolicLink()) {
        // Followed only to a regular file inside the root; never to a directory (no loops).
        try {
          const target = await realpath(path);
          if (target !== realRoot && !target.startsWith(realRoot + sep)) continue;
          if (!(await lstat(target)).isFile()) continue;
        } catch {
          continue;
        }
      } else if (!entry.isFile()) {
        continue;
      }
      if (ignored(rules, rel, false)) continue;
      seen += 1;
      await readOne(path, rel);
    }
  };
  await walk(root, []);
  if (large > 0) notes.push(`--code ${root}: ${large} file(s) larger than ${Math.floor(maxBytes / 1024)} KiB were not scanned`);
  return { root, files, notes };
}
