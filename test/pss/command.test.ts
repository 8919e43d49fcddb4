import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { runPss, type PssOptions, type PssReportEntry } from '../../src/pss-command.js';

const root = mkdtempSync(join(tmpdir(), '4c-tui-pss-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

async function run(target: string, options: Partial<PssOptions> = {}, stdinText = ''): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runPss(
    target,
    { level: 'restricted', version: 'latest', format: 'table', ...options },
    { stdin: Readable.from([stdinText]), stdout: (s) => { out += s; } },
  );
  return { code, out };
}

async function runJson(target: string, options: Partial<PssOptions> = {}, stdinText = ''): Promise<{ code: number; entries: PssReportEntry[] }> {
  const { code, out } = await run(target, { ...options, format: 'json' }, stdinText);
  return { code, entries: JSON.parse(out) as PssReportEntry[] };
}

async function userError(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

const SECURE_POD_SPEC = `
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: web
        image: web:1
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}`;

write('mixed/apps.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:${SECURE_POD_SPEC}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: v1
kind: Pod
metadata: {name: "evil\\u001b[31mpod", namespace: shop}
spec:
  hostNetwork: true
  containers:
  - name: agent
    image: agent:1
    ports: [{containerPort: 9100}]
    securityContext: {privileged: true}
`);
write('mixed/batch/cron.json', JSON.stringify({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'backup', namespace: 'ops' },
  spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/b': 'unconfined' } }, spec: { containers: [{ name: 'b', image: 'b:1' }] } } } } },
}));
write('mixed/other/volcano.yaml', `apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: not-a-pod-template}
spec: {tasks: []}
`);
write('mixed/list.yml', `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: PodTemplate
  metadata: {name: tpl, namespace: shop}
  template:
    spec:${SECURE_POD_SPEC.replace(/^ {2}/gm, '')}
`);
write('allowed/deploy.yaml', `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  template:
    spec:${SECURE_POD_SPEC}
`);
mkdirSync(join(root, 'empty'), { recursive: true });
write('broken/good.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: fine}\n');
write('broken/nested/bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b\n');

describe('runPss', () => {
  it('evaluates every Pod and pod template and prints the DESIGN.md §3 JSON shape', async () => {
    const { code, entries } = await runJson(join(root, 'mixed'));
    expect(code).toBe(1);
    expect(entries.map((e) => Object.keys(e))).toEqual(Array(4).fill(['file', 'line', 'kind', 'namespace', 'name', 'level', 'version', 'allowed', 'violations']));
    expect(entries.map((e) => [e.file, e.kind, e.namespace, e.name, e.level, e.version, e.allowed])).toEqual([
      [join(root, 'mixed', 'apps.yaml'), 'Deployment', 'shop', 'api', 'restricted', 'v1.37', true],
      [join(root, 'mixed', 'apps.yaml'), 'Pod', 'shop', 'evil\u001b[31mpod', 'restricted', 'v1.37', false],
      [join(root, 'mixed', 'batch', 'cron.json'), 'CronJob', 'ops', 'backup', 'restricted', 'v1.37', false],
      [join(root, 'mixed', 'list.yml'), 'PodTemplate', 'shop', 'tpl', 'restricted', 'v1.37', true],
    ]);
    const pod = entries[1]!;
    expect(pod.violations.map((v) => v.check)).toEqual([
      'hostNamespaces', 'hostPorts', 'privileged', 'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted',
    ]);
    expect(pod.violations[1]).toEqual({ check: 'hostPorts', reason: 'hostPort', detail: 'container "agent" uses hostPort 9100' }); // Pod hostNetwork defaulting
    expect(entries[2]!.violations[0]).toEqual({
      check: 'appArmorProfile',
      reason: 'forbidden AppArmor profile',
      detail: 'annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/b="unconfined""',
    });
  });

  it('prints a sanitized table with one line per object, indented violations and a summary', async () => {
    const { code, out } = await run(join(root, 'mixed'), { level: 'baseline', version: 'v1.30' });
    expect(code).toBe(1);
    expect(out).not.toContain('\u001b');
    const lines = out.trimEnd().split('\n');
    const podLine = readFileSync(join(root, 'mixed', 'apps.yaml'), 'utf8').split('\n').indexOf('kind: Pod'); // the line above, 1-based
    expect(lines[0]).toBe(`ALLOWED  Deployment shop/api  ${join(root, 'mixed', 'apps.yaml')}:1`);
    expect(lines[1]).toBe(`DENIED   Pod shop/evilpod  ${join(root, 'mixed', 'apps.yaml')}:${podLine}`);
    expect(lines[2]).toBe('  - hostNamespaces: host namespaces (hostNetwork=true)');
    expect(lines.at(-1)).toBe('baseline:v1.30: 4 evaluated, 2 allowed, 2 denied');
  });

  it('gives each JSON entry the line the table shows after the file name', async () => {
    const target = join(root, 'mixed');
    const { entries } = await runJson(target, { level: 'baseline', version: 'v1.30' });
    const { out } = await run(target, { level: 'baseline', version: 'v1.30' });
    const shown = out.split('\n').filter((l) => /^(ALLOWED|DENIED) /.test(l)).map((l) => l.slice(l.lastIndexOf(' ') + 1));
    expect(entries.map((e) => `${e.file}:${e.line}`)).toEqual(shown);
    const podLine = readFileSync(join(target, 'apps.yaml'), 'utf8').split('\n').indexOf('kind: Pod'); // the apiVersion line above, 1-based
    expect(podLine).toBeGreaterThan(1);
    expect(entries.map((e) => [e.kind, e.line])).toEqual([['Deployment', 1], ['Pod', podLine], ['CronJob', 1], ['PodTemplate', 4]]); // the List item's `- apiVersion` line
    expect(entries.every((e) => Number.isInteger(e.line) && e.line >= 1)).toBe(true);
  });

  it('exits 0 when everything is allowed and when there is nothing to evaluate', async () => {
    expect((await run(join(root, 'allowed'))).code).toBe(0);
    expect(await run(join(root, 'empty'))).toEqual({ code: 0, out: `no Pods or pod templates found in ${join(root, 'empty')}\n` });
    expect(await runJson(join(root, 'empty'))).toEqual({ code: 0, entries: [] });
  });

  it('reads stdin for -', async () => {
    const { code, entries } = await runJson('-', { level: 'baseline' }, 'apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  hostPID: true\n  containers: [{name: a}]\n');
    expect(code).toBe(1);
    expect(entries).toEqual([{
      file: '<stdin>', line: 1, kind: 'Pod', namespace: '', name: 's', level: 'baseline', version: 'v1.37', allowed: false,
      violations: [{ check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostPID=true' }],
    }]);
  });

  it('names the unparsable file and line, and rejects bad flags', async () => {
    const parse = await userError(run(join(root, 'broken')));
    expect(parse.kind).toBe('input');
    expect(parse.message).toMatch(new RegExp(`^${join(root, 'broken', 'nested', 'bad.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
    expect((await userError(run(join(root, 'missing')))).kind).toBe('input');
    const level = await userError(run(join(root, 'allowed'), { level: 'privileged' as 'baseline' }));
    expect([level.kind, level.message]).toEqual(['usage', '--level must be baseline or restricted, got "privileged"']);
    const version = await userError(run(join(root, 'allowed'), { version: '1.30' }));
    expect([version.kind, version.message]).toEqual(['usage', '--version must be latest or v1.N (e.g. v1.30), got "1.30"']);
  });

  it('evaluates a version newer than the evaluator with the newest rules', async () => {
    const { entries } = await runJson(join(root, 'allowed'), { version: 'v1.99' });
    expect(entries[0]?.version).toBe('v1.37');
  });
});

const CORPUS = fileURLToPath(new URL('../../../shared/conformance/pss/', import.meta.url));

describe.skipIf(!existsSync(CORPUS))('runPss over the conformance directories', () => {
  it('denies every file of each fail directory and allows every file of each pass directory', async () => {
    const problems: string[] = [];
    let directories = 0;
    for (const level of ['baseline', 'restricted'] as const) {
      for (const version of readdirSync(join(CORPUS, level))) {
        for (const expect of ['pass', 'fail'] as const) {
          const dir = join(CORPUS, level, version, expect);
          if (!existsSync(dir)) continue;
          directories += 1;
          const { code, entries } = await runJson(dir, { level, version });
          const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
          if (entries.length !== files.length) problems.push(`${level}/${version}/${expect}: ${entries.length} of ${files.length} files evaluated`);
          const wrong = entries.filter((e) => e.allowed !== (expect === 'pass') || e.version !== version).map((e) => e.name);
          if (wrong.length > 0) problems.push(`${level}/${version}/${expect}: ${wrong.join(', ')}`);
          if (code !== (expect === 'pass' ? 0 : 1)) problems.push(`${level}/${version}/${expect}: exit ${code}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(directories).toBe(152);
  });
});
