import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadManifests, parseManifestText, STDIN_NAME } from '../../src/files/manifests.js';

const root = mkdtempSync(join(tmpdir(), '4c-tui-manifests-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

async function inputError(promise: Promise<unknown> | (() => unknown)): Promise<UserError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('input');
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('parseManifestText', () => {
  it('reads multi-document YAML with the 1-based line of each object, skipping empty and non-mapping documents', () => {
    const text = [
      'apiVersion: v1', //           1
      'kind: Pod',
      'metadata: {name: a}',
      '---', //                      4
      '# only a comment',
      '---',
      '- a list is not an object',
      '---',
      '',
      'apiVersion: apps/v1', //      10
      'kind: Deployment',
      'metadata:',
      '  name: b',
    ].join('\n');
    const objects = parseManifestText(text, 'k8s/app.yaml');
    expect(objects.map((o) => [o.file, o.line, o.object.kind, o.object.metadata?.name])).toEqual([
      ['k8s/app.yaml', 1, 'Pod', 'a'],
      ['k8s/app.yaml', 10, 'Deployment', 'b'],
    ]);
  });

  it('expands kind: List and <Kind>List items with their own lines, filling in the item kind of typed lists', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1', //         4
      '  kind: Pod',
      '  metadata: {name: one}',
      '- apiVersion: v1', //         7
      '  kind: List',
      '  items:',
      '  - {kind: Pod, metadata: {name: nested}}', // 10
      '---',
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '- metadata: {name: bare}', // 15
    ].join('\n');
    expect(parseManifestText(text, 'list.yaml').map((o) => [o.line, o.object.apiVersion, o.object.kind, o.object.metadata?.name])).toEqual([
      [4, 'v1', 'Pod', 'one'],
      [10, undefined, 'Pod', 'nested'],
      [15, 'v1', 'Pod', 'bare'],
    ]);
  });

  it('reads JSON, a BOM, and YAML 1.1 scalars the way kubectl does', () => {
    const json = '\uFEFF{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"metadata": {"name": "j"}\n}\n';
    expect(parseManifestText(json, 'p.json')).toEqual([{ file: 'p.json', line: 1, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' } } }]);
    const [yaml] = parseManifestText('kind: Pod\nspec:\n  a: yes\n  b: on\n  mode: 0644\n  t: 2024-01-01T00:00:00Z\n  s: 10:30\n  base: &b {x: 1}\n  merged: {<<: *b, z: 2}\n', 'y.yaml');
    expect(yaml?.object.spec).toEqual({ a: true, b: true, mode: 420, t: '2024-01-01T00:00:00Z', s: '10:30', base: { x: 1 }, merged: { x: 1, z: 2 } });
  });

  it('reads JSON Lists with the line of each item, whatever the strings contain', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { annotations: { tricky: 'items": [ { , ] \\" }' } },
      items: [
        { kind: 'Pod', metadata: { name: 'a', annotations: { x: '[{"items": []}]' } }, spec: { containers: [{ name: 'c', args: ['[', ']', '{'] }] } },
        { kind: 'PodList', apiVersion: 'v1', items: [{ metadata: { name: 'nested' } }] },
        { kind: 'Pod', metadata: { name: 'b' } },
      ],
    };
    const text = `\n${JSON.stringify(list, null, 2)}\n`;
    const lines = text.split('\n');
    const lineOfName = (name: string) => lines.findIndex((l) => l.includes(`"name": "${name}"`)) + 1;
    const objects = parseManifestText(text, 'list.json');
    expect(objects.map((o) => [o.object.metadata?.name, o.object.kind])).toEqual([['a', 'Pod'], ['nested', 'Pod'], ['b', 'Pod']]);
    // Each item starts on the line of its opening brace, one above its "kind" line.
    expect(objects.map((o) => o.line)).toEqual([lineOfName('a') - 3, lines.indexOf('    {', lineOfName('a')) + 1, lineOfName('b') - 3]);
    expect(parseManifestText(JSON.stringify({ kind: 'Pod' }), 'one.json')).toEqual([{ file: 'one.json', line: 1, object: { kind: 'Pod' } }]);
  });

  it('reports invalid JSON with its line through the YAML parser', async () => {
    const error = await inputError(() => parseManifestText('{\n  "kind": "Pod"\n  "metadata": {}\n}\n', 'bad.json'));
    expect(error.message).toMatch(/^bad\.json:[23]: /);
  });

  it('names the file and line of a syntax error', async () => {
    const error = await inputError(() => parseManifestText('kind: Pod\nmetadata:\n  name: [unclosed\n', 'bad.yaml'));
    expect(error.message).toMatch(/^bad\.yaml:\d+: /);
    expect(error.message).not.toContain('\n');
    const duplicate = await inputError(() => parseManifestText('---\nkind: Pod\nkind: Deployment\n', 'dup.yaml'));
    expect(duplicate.message).toBe('dup.yaml:3: Map keys must be unique');
  });

  it('rejects a YAML alias bomb instead of expanding it', async () => {
    let bomb = 'kind: Pod\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let previous = 'a';
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
      bomb += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
      previous = name;
    }
    const error = await inputError(() => parseManifestText(bomb, 'bomb.yaml'));
    expect(error.message).toMatch(/^bomb\.yaml:1: too many YAML alias expansions/);
  });
});

describe('loadManifests', () => {
  it('walks a directory recursively in sorted order, reading only .yaml/.yml/.json and skipping dot-directories', async () => {
    const dir = join(root, 'tree');
    write('tree/b.yaml', 'kind: Pod\nmetadata: {name: b}\n');
    write('tree/a/z.yml', 'kind: Pod\nmetadata: {name: z}\n');
    write('tree/a/y.JSON', '{"kind": "Pod", "metadata": {"name": "y"}}');
    write('tree/c.txt', 'kind: Pod\n');
    write('tree/.git/x.yaml', 'kind: Pod\n');
    write('tree/node_modules/m.yaml', 'kind: Pod\n');
    const objects = await loadManifests(dir);
    expect(objects.map((o) => [o.file, o.object.metadata?.name])).toEqual([
      [join(dir, 'a', 'y.JSON'), 'y'],
      [join(dir, 'a', 'z.yml'), 'z'],
      [join(dir, 'b.yaml'), 'b'],
    ]);
  });

  it('reads a named file whatever its extension, and stdin for -', async () => {
    const file = write('single.manifest', 'kind: Pod\nmetadata: {name: s}\n');
    expect((await loadManifests(file))[0]?.object.metadata?.name).toBe('s');
    const stdin = Readable.from([Buffer.from('kind: Pod\nmetadata: {name: in}\n---\nkind: Pod\n')]);
    expect((await loadManifests('-', { stdin })).map((o) => [o.file, o.line])).toEqual([[STDIN_NAME, 1], [STDIN_NAME, 4]]);
  });

  it('refuses missing targets, oversized files and oversized stdin', async () => {
    expect((await inputError(loadManifests(join(root, 'missing')))).message).toContain('does not exist');
    const big = write('big.yaml', `kind: Pod\nmetadata: {name: ${'x'.repeat(200)}}\n`);
    expect((await inputError(loadManifests(big, { maxFileBytes: 100 }))).message).toBe(`${big}: larger than 100 bytes — split it into smaller manifest files`);
    expect((await inputError(loadManifests('-', { stdin: Readable.from(['x'.repeat(200)]), maxFileBytes: 100 }))).message).toContain(STDIN_NAME);
    expect((await inputError(loadManifests('-'))).message).toContain('no standard input');
  });

  it('names the file of an unparsable document inside a directory', async () => {
    write('broken/ok.yaml', 'kind: Pod\n');
    const bad = write('broken/zz.yaml', 'kind: Pod\n---\nkind: Pod\nmetadata:\n\tname: tab\n');
    expect((await inputError(loadManifests(join(root, 'broken')))).message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: `));
  });
});
