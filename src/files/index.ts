/**
 * The only module that reads the user's source tree (DESIGN.md §5). It walks `--code DIR`,
 * skips vendored/build directories, binaries and oversized files (CHECKS.md §5.0), and
 * classifies what it keeps. Paths are relative to the root with `/` separators.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { SourceFile, SourceFileKind } from '../engine/snapshot.js';
import { UserError } from '../errors.js';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git', 'node_modules', 'vendor', 'dist', 'build', 'target', '.terraform', '__pycache__', '.venv',
]);

export interface ReadTreeOptions {
  /** Largest file read, bytes. Default 2 MiB. */
  readonly maxFileBytes?: number;
  /** Stop after this many files (a guard against pointing at `/`). Default 20,000. */
  readonly maxFiles?: number;
}

export function classify(path: string): SourceFileKind | undefined {
  const name = basename(path);
  if (/^(Dockerfile|Containerfile)(\..+)?$/.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name)) return 'dockerfile';
  if (/\.(ya?ml|json)$/i.test(name)) return 'manifest';
  return undefined;
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

/** Reads the files the Code layer understands under `root`. */
export async function readTree(root: string, options: ReadTreeOptions = {}): Promise<{ root: string; files: SourceFile[] }> {
  const maxBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 20_000;
  let info;
  try {
    info = await stat(root);
  } catch {
    throw new UserError('input', `--code ${root} does not exist — pass a directory`);
  }
  if (!info.isDirectory()) throw new UserError('input', `--code ${root} is not a directory — pass a directory`);

  const files: SourceFile[] = [];
  let seen = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: skipped, like git would
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (seen >= maxFiles) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(path);
        continue;
      }
      if (!entry.isFile()) continue; // symlinks are not followed
      seen += 1;
      const rel = relative(root, path).split(sep).join('/');
      const kind = classify(rel);
      if (!kind) continue;
      try {
        const size = (await stat(path)).size;
        if (size > maxBytes || (await isBinary(path))) continue;
        const handle = await open(path, 'r');
        try {
          files.push({ path: rel, kind, text: await handle.readFile('utf8') });
        } finally {
          await handle.close();
        }
      } catch {
        continue; // unreadable file: skipped
      }
    }
  };
  await walk(root);
  return { root, files };
}
