import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classify, isCiPath, isLockPath, isTestPath } from '../../src/files/classify.js';
import { readTree } from '../../src/files/index.js';

let root: string;
let outside: string;

async function put(path: string, text: string | Buffer): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), '4c-tui-tree-'));
  outside = await mkdtemp(join(tmpdir(), '4c-tui-outside-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('classify', () => {
  it.each([
    ['Dockerfile', 'dockerfile'], ['build/Containerfile.dev', 'dockerfile'], ['api.Dockerfile', 'dockerfile'],
    ['package.json', 'lockfile'], ['web/pnpm-lock.yaml', 'lockfile'], ['go.sum', 'lockfile'], ['requirements-dev.txt', 'lockfile'], ['build.gradle.kts', 'lockfile'],
    ['.github/workflows/ci.yml', 'ci'], ['.gitlab-ci.yml', 'ci'], ['Jenkinsfile', 'ci'], ['.circleci/config.yml', 'ci'],
    ['deploy/app.yaml', 'manifest'], ['results.sarif', 'report'], ['src/main.go', 'source'], ['.env.production', 'config'], ['nginx.conf', 'config'],
    ['README.md', 'other'], ['image.png', undefined],
  ] as const)('%s → %s', (path, kind) => expect(classify(path)).toBe(kind));

  it('knows lockfiles, CI paths and test paths', () => {
    expect(isLockPath('a/b/Cargo.lock')).toBe(true);
    expect(isCiPath('.github/workflows/release.yaml')).toBe(true);
    expect(isCiPath('docs/workflows/ci.yml')).toBe(false);
    expect(isTestPath('test/fixtures/x.yaml')).toBe(true);
    expect(isTestPath('docs/guide.md')).toBe(true);
    expect(isTestPath('src/testing.ts')).toBe(false);
  });
});

describe('readTree', () => {
  it('honours nested .gitignore files with negations and skips vendored directories', async () => {
    await put('.gitignore', 'secrets/\n*.log\n!keep.log\n');
    await put('app/.gitignore', 'generated.ts\n');
    await put('app/main.ts', 'export {};\n');
    await put('app/generated.ts', 'export {};\n');
    await put('secrets/key.env', 'A=1\n');
    await put('debug.log', 'x\n');
    await put('keep.log', 'x\n');
    await put('node_modules/pkg/index.js', 'module.exports = 1;\n');
    await put('vendor/lib/a.go', 'package a\n');
    await put('.git/config', '[core]\n');
    const tree = await readTree(root);
    expect(tree.files.map((f) => f.path).sort()).toEqual(['app/main.ts']);
  });

  it('skips binaries and oversized files but keeps the presence of a large lockfile', async () => {
    await put('bin/tool.sh', Buffer.from([0x23, 0x21, 0x00, 0x01]));
    await put('big.ts', 'x'.repeat(2048));
    await put('package-lock.json', `{"x": "${'y'.repeat(4096)}"}`);
    await put('small.ts', 'export {};\n');
    const tree = await readTree(root, { maxFileBytes: 1024 });
    expect(tree.files.map((f) => [f.path, f.text.length])).toEqual([['package-lock.json', 0], ['small.ts', 11]]);
    expect(tree.notes.join('\n')).toMatch(/1 file\(s\) larger than 1 KiB were not scanned/);
  });

  it('stops at the file-count cap and says so', async () => {
    for (let i = 0; i < 5; i++) await put(`f${i}.ts`, 'export {};\n');
    const tree = await readTree(root, { maxFiles: 3 });
    expect(tree.files).toHaveLength(3);
    expect(tree.notes.join('\n')).toMatch(/more than 3 files/);
  });

  it('follows a symlinked file inside the root, never one that leaves it, never a symlinked directory', async () => {
    await put('real/app.ts', 'export const a = 1;\n');
    await writeFile(join(outside, 'stolen.ts'), 'export const secret = 1;\n');
    await symlink(join(root, 'real/app.ts'), join(root, 'alias.ts'));
    await symlink(join(outside, 'stolen.ts'), join(root, 'escape.ts'));
    await symlink(outside, join(root, 'outdir'));
    const tree = await readTree(root);
    expect(tree.files.map((f) => f.path).sort()).toEqual(['alias.ts', 'real/app.ts']);
  });

  it('refuses a missing root or a file', async () => {
    await expect(readTree(join(root, 'nope'))).rejects.toThrow(/does not exist/);
    await put('a.ts', '');
    await expect(readTree(join(root, 'a.ts'))).rejects.toThrow(/not a directory/);
  });
});
