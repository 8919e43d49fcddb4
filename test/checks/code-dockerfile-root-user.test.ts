import { describe, expect, it } from 'vitest';
import { check, isNonRootBase, isRootUser } from '../../checks/code/dockerfile-root-user.js';
import { Snapshot } from '../../src/engine/snapshot.js';
import { runCheck } from '../../src/engine/run.js';

const scan = (files: Record<string, string>) =>
  runCheck(check, new Snapshot({ files: { root: '.', files: Object.entries(files).map(([path, text]) => ({ path, kind: 'dockerfile' as const, text })) } }));

describe('isRootUser', () => {
  it.each(['root', '0', 'root:root', '0:0', 'root:app', '0:1000', '000', ' root '])('%j is root', (u) => expect(isRootUser(u)).toBe(true));
  it.each(['app', '10001', '10001:0', 'nobody', 'rootless', '65532:65532', '1000:root'])('%j is not', (u) => expect(isRootUser(u)).toBe(false));
});

describe('isNonRootBase', () => {
  it.each(['gcr.io/distroless/static-debian12:nonroot', 'gcr.io/distroless/base:debug-nonroot', 'gcr.io/distroless/java21-debian12:nonroot-arm64',
    'cgr.dev/chainguard/node:latest', 'cgr.dev/chainguard/static@sha256:abc'])('%s', (i) => expect(isNonRootBase(i)).toBe(true));
  it.each(['gcr.io/distroless/static-debian12', 'gcr.io/distroless/base:debug', 'nginx:nonroot', 'alpine:3.20', 'cgr.dev/other/x'])('%s is not', (i) =>
    expect(isNonRootBase(i)).toBe(false));
});

describe('code/dockerfile-root-user', () => {
  it('reports the line of the offending USER in the final stage', () => {
    const { findings } = scan({ 'app/Dockerfile': 'FROM a AS build\nUSER root\nFROM b\nRUN x\nUSER 0\n' });
    expect(findings.map((f) => f.subject)).toEqual([{ kind: 'Dockerfile', name: 'app/Dockerfile', file: 'app/Dockerfile', line: 5 }]);
  });

  it('follows FROM <stage> chains for USER and ENV, but not ARG', () => {
    expect(scan({ Dockerfile: 'FROM alpine AS base\nENV U=app\nFROM base\nUSER $U\n' }).findings).toEqual([]);
    const viaArg = scan({ Dockerfile: 'FROM alpine AS base\nARG U=app\nFROM base\nUSER $U\n' });
    expect(viaArg.findings.map((f) => f.status)).toEqual(['warn']);
    const inherited = scan({ Dockerfile: 'FROM alpine AS base\nUSER root\nFROM base AS final\nRUN x\n' });
    expect(inherited.findings.map((f) => [f.status, f.subject.line])).toEqual([['fail', 2]]);
  });

  it('resolves a global ARG redeclared in the stage and a FROM image from ARG', () => {
    expect(scan({ Dockerfile: 'ARG UID=0\nFROM alpine\nARG UID\nUSER ${UID}\n' }).findings.map((f) => f.status)).toEqual(['fail']);
    // Not redeclared: a global ARG is not visible inside the stage.
    expect(scan({ Dockerfile: 'ARG UID=0\nFROM alpine\nUSER ${UID}\n' }).findings.map((f) => f.status)).toEqual(['warn']);
    expect(scan({ Dockerfile: 'ARG BASE=gcr.io/distroless/static:nonroot\nFROM ${BASE}\n' }).findings.map((f) => [f.status, f.severity])).toEqual([['warn', 'low']]);
  });

  it('passes when no Dockerfile has a stage (empty file) and is not applicable without Dockerfiles', () => {
    expect(scan({ Dockerfile: '# nothing yet\n' }).result.status).toBe('pass');
    expect(runCheck(check, new Snapshot({ files: { root: '.', files: [] } })).result.status).toBe('not-applicable');
  });
});
