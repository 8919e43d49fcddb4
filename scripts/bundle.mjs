// The shipped bin (DESIGN.md §8): one bundled ES module, dist/bin/4c-tui.js, built from
// src/cli.ts with esbuild after `tsc` has type-checked and emitted dist/. NODE_ENV is
// production (React's development build costs start-up time and memory). Modules that are
// imported on demand (the TUI, the demo server, reports) go into lazily loaded chunks next to
// it; @kubernetes/client-node stays a package import, loaded only when a scan connects, and so
// do clipboardy (it finds its helper binaries next to its own files) and @peculiar/x509 with
// reflect-metadata (CommonJS whose named exports a bundle would lose; loaded for TLS only).
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);

// Chunk names carry content hashes: start clean so stale chunks do not pile up.
await rm(new URL('dist/bin/', root), { recursive: true, force: true });

await build({
  absWorkingDir: root.pathname,
  entryPoints: { '4c-tui': 'src/cli.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  // react-devtools-core is only imported by ink when DEV=true and is not installed.
  external: ['@kubernetes/client-node', 'clipboardy', '@peculiar/x509', 'reflect-metadata', 'react-devtools-core'],
  // Bundled CommonJS dependencies (react, …) call require() for Node built-ins.
  banner: { js: "import { createRequire as __4cCreateRequire } from 'node:module'; const require = __4cCreateRequire(import.meta.url);" },
  legalComments: 'none',
  minifySyntax: true,
  logLevel: 'warning',
});
