/**
 * Read-only proof (issue 9): a full scan with every check of the catalog, recorded at the
 * API server. Every request is a GET (the only writes the design would allow are
 * self-subject access/rules reviews, and the tool makes none); Secrets are only ever asked for
 * as PartialObjectMetadataList, so no secret value crosses the wire; ConfigMaps are only read
 * one by one (D-CM-SYS) unless the user opts in to scanning their contents.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import { runCli } from '../helpers/cli.js';

const METADATA_ONLY = /as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1/;

describe('a full scan with every check', () => {
  let server: ApiServer;
  let code: number;
  let stderr: string;
  beforeAll(async () => {
    server = await startApiServer({ objects: demoCluster(), tls: true, token: 'read-only-proof', version: DEMO_VERSION });
    const kubeconfig = join(mkdtempSync(join(tmpdir(), '4c-ro-')), 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
    const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none', '--check', CHECKS.map((c) => c.id).join(',')]);
    code = run.code;
    stderr = run.stderr;
  });
  afterAll(async () => server.close());

  it('ran', () => {
    expect(code, stderr).toBe(0);
    expect(server.requests.length).toBeGreaterThan(20);
  });

  it('sends only GET requests', () => {
    const writes = server.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('asks for Secrets only as metadata, and never for one Secret by name', () => {
    const secrets = server.requests.filter((r) => /\/secrets(\/|$|\?)/.test(r.path));
    expect(secrets.length).toBeGreaterThan(0);
    for (const r of secrets) {
      expect(r.accept, `${r.path}?${r.query}`).toMatch(METADATA_ONLY);
      expect(r.path).toMatch(/\/secrets$/);
    }
  });

  it('reads ConfigMaps one by one (the few system ones), never as a list, without the opt-in', () => {
    const lists = server.requests.filter((r) => /\/configmaps$/.test(r.path));
    expect(lists.map((r) => r.path)).toEqual([]);
    const gets = server.requests.filter((r) => /\/configmaps\/[^/]+$/.test(r.path)).map((r) => r.path);
    for (const path of gets) expect(path).toMatch(/^\/api\/v1\/namespaces\/kube-(system|public)\/configmaps\//);
  });

  it('never reaches node proxies, pod exec/attach/portforward or any other subresource', () => {
    const sub = server.requests.filter((r) => /\/(proxy|exec|attach|portforward|log|token|eviction)(\/|$)/.test(r.path));
    expect(sub.map((r) => r.path)).toEqual([]);
  });
});
