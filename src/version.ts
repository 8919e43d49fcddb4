/** The tool's version, read once from package.json (the build keeps the same relative layout). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // dist/src/version.js, and the bundled bin's chunks in dist/bin/chunks/.
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '4c-tui' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
