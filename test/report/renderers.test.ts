/**
 * The renderers on hand-made reports: the JSON schema's edges (acceptance, baseline), SARIF
 * locations for files, code and cluster objects with hostile names, suppressions; Markdown
 * escaping. Every report and log is validated against its schema.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_STATUSES, LAYERS, SEVERITIES } from '../../src/engine/types.js';
import { renderMarkdown, mdFence, mdText } from '../../src/report/markdown.js';
import { clusterUri, fileUri, fingerprint, FINGERPRINT, levelOf, renderSarif } from '../../src/report/sarif.js';
import { CODE_CHECK, HOSTILE, finding, sampleReport } from './fixtures.js';
import { REPORT_SCHEMA, assertValidReport, assertValidSarif } from './validate.js';

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } }; logicalLocations?: { fullyQualifiedName: string }[] }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification: string }[];
}
const resultsOf = (log: object) => (log as { runs: { results: SarifResult[] }[] }).runs[0]!.results;

const accepted = finding({ key: 'container/privileged@Deployment/shop/api:web', accepted: true, acceptance: { reason: 'vendor appliance, SEC-9', expiresAt: '2099-01-01T00:00:00.000Z', source: 'accept-file' } });
const expired = finding({ key: 'container/privileged@Deployment/shop/old:web', subject: { kind: 'Deployment', namespace: 'shop', name: 'old', container: 'web' }, acceptance: { reason: 'r', expiresAt: '2020-01-01T00:00:00.000Z', source: 'settings', expired: true }, new: true });
const hostile = finding({ key: `container/privileged@Pod/${HOSTILE}/${HOSTILE}`, subject: { kind: 'Pod', namespace: HOSTILE, name: HOSTILE }, message: `pod ${HOSTILE} is privileged`, remediation: { why: HOSTILE, fix: HOSTILE, command: `kubectl delete pod '${HOSTILE}' \`\`\`\n\`\`\`` }, new: false });
const code = finding({ key: `${CODE_CHECK.id}@file:svc/Dockerfile`, checkId: CODE_CHECK.id, layer: 'code', severity: 'medium', status: 'warn', title: CODE_CHECK.title, subject: { kind: 'File', name: 'svc/Dockerfile', file: 'svc/Dockerfile', line: 3 }, references: CODE_CHECK.references });
const manifest = finding({ key: 'container/privileged@Deployment/shop/web:web', subject: { kind: 'Deployment', namespace: 'shop', name: 'web', container: 'web', file: 'k8s/web deploy.yaml', line: 12 } });
const system = finding({ key: 'container/privileged@DaemonSet/kube-system/kube-proxy:kube-proxy', subject: { kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy', container: 'kube-proxy' }, scope: 'system' });
const report = sampleReport([accepted, expired, hostile, code, manifest, system], {
  baseline: { source: 'file', at: '2025-12-01T00:00:00.000Z', new: 1, fixed: [{ key: 'container/privileged@Deployment/shop/gone:web', checkId: 'container/privileged', severity: 'critical' }] },
  notices: ['accepted risk expired 2020-01-01 and counts again: …'],
});

describe('JSON schema', () => {
  it('names the same layers, severities and statuses as the engine', () => {
    const defs = REPORT_SCHEMA.$defs;
    expect(defs.layer!.enum).toEqual([...LAYERS]);
    expect(defs.severity!.enum).toEqual([...SEVERITIES]);
    const statuses = (REPORT_SCHEMA as unknown as { properties: { checks: { items: { properties: { status: { enum: string[] } } } } } }).properties.checks.items.properties.status.enum;
    expect(statuses).toEqual([...CHECK_STATUSES]);
  });

  it('accepts reports with acceptances, a baseline and notices; rejects contradictions', () => {
    assertValidReport(report);
    assertValidReport(JSON.parse(JSON.stringify(report)));
    const bad = (mutate: (r: any) => void) => {
      const copy = JSON.parse(JSON.stringify(report));
      mutate(copy);
      return () => assertValidReport(copy);
    };
    expect(bad((r) => { r.findings.find((f: any) => f.key === accepted.key).accepted = false; })).toThrow(/const/); // acceptance not expired but not accepted
    expect(bad((r) => { r.findings.find((f: any) => f.acceptance?.expired).accepted = true; })).toThrow();
    expect(bad((r) => { r.findings[0].severity = 'urgent'; })).toThrow();
    expect(bad((r) => { r.summary.layers.cloud.score = 101; })).toThrow();
    expect(bad((r) => { r.findings[0].extra = 1; })).toThrow(/additional/);
    expect(bad((r) => { delete r.schemaVersion; })).toThrow(/required/);
  });
});

describe('SARIF', () => {
  const log = renderSarif(report, { cwd: '/work/repo' });
  const results = resultsOf(log);
  const byKey = (key: string) => results.find((r) => r.partialFingerprints[FINGERPRINT] === fingerprint(key))!;

  it('validates against the SARIF 2.1.0 schema; the validator rejects a broken log', () => {
    assertValidSarif(log);
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.runs[0].results[0].message;
    expect(() => assertValidSarif(broken)).toThrow(/message/);
  });

  it('locates cluster objects by pseudo-path and logical location, with hostile names percent-encoded', () => {
    expect(byKey(accepted.key).locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'cluster/prod%2Feu/shop/Deployment/api' } },
      logicalLocations: [{ fullyQualifiedName: 'Deployment/shop/api', name: 'api', kind: 'resource' }],
    });
    const uri = byKey(hostile.key).locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri.split('/')).toHaveLength(5);
    expect(uri).toMatch(/^cluster\/[A-Za-z0-9%._~!'()*-]+(\/[A-Za-z0-9%._~!'()*-]+)+$/);
    expect(clusterUri(undefined, { subject: { kind: 'ClusterRole', name: '..' } })).toBe('cluster/_/_cluster/ClusterRole/%2E%2E');
    for (const r of results) expect(JSON.stringify(r)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202E]/);
  });

  it('gives files repository-relative URIs and lines: code under --code DIR, manifests as given', () => {
    expect(byKey(code.key).locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'app/svc/Dockerfile' }, region: { startLine: 3 } });
    expect(byKey(code.key).locations[0]!.logicalLocations).toBeUndefined();
    expect(byKey(manifest.key).locations[0]).toMatchObject({ physicalLocation: { artifactLocation: { uri: 'k8s/web%20deploy.yaml' }, region: { startLine: 12 } }, logicalLocations: [{ fullyQualifiedName: 'Deployment/shop/web' }] });
    expect(fileUri('/work/repo/a/b.yaml', undefined, '/work/repo')).toBe('a/b.yaml');
    expect(fileUri('./x/../y.yaml', undefined, '/work/repo')).toBe('y.yaml');
    expect(fileUri('/etc/app/k.yaml', undefined, '/work/repo')).toBe('etc/app/k.yaml');
  });

  it('maps levels, keeps accepted findings as suppressed, and carries security-severity', () => {
    expect(levelOf('critical', 'fail')).toBe('error');
    expect(levelOf('high', 'warn')).toBe('warning');
    expect(levelOf('medium', 'fail')).toBe('warning');
    expect(levelOf('medium', 'warn')).toBe('note');
    expect(levelOf('low', 'fail')).toBe('note');
    expect(byKey(accepted.key).suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'vendor appliance, SEC-9' }]);
    expect(byKey(expired.key).suppressions).toBeUndefined();
    expect(byKey(code.key).level).toBe('note');
    const rules = (log as { runs: { tool: { driver: { rules: { id: string; properties: Record<string, unknown>; help: { markdown: string } }[] } } }[] }).runs[0]!.tool.driver.rules;
    const rule = rules.find((r) => r.id === 'container/privileged')!;
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(rule.help.markdown).toContain('**Remediation:**');
  });
});

describe('Markdown', () => {
  const md = renderMarkdown(report);

  it('has the summary per layer, changes, top findings, remediation, accepted risks and notices', () => {
    for (const heading of ['## Summary', '## Changes', '## Top findings', '## Findings and remediation', '## Accepted risks (1)', '## Notices']) expect(md).toContain(heading);
    expect(md).toMatch(/Compared with the baseline report of 2025-12-01T00:00:00.000Z: 1 new, 1 fixed/);
    expect(md).toContain('vendor appliance, SEC-9');
    expect(md).toMatch(/```sh\nkubectl -n 'shop' patch deployment 'api'/);
    expect(md).toContain('1 system-scope findings');
  });

  it('strips control characters and escapes hostile strings: no injected link, image, heading or HTML', () => {
    expect(md).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202E]/);
    // Outside fenced blocks (where text is literal): every Markdown/HTML metacharacter is escaped.
    const prose = md.replace(/(`{3,})[a-z]*\n[\s\S]*?\n\1/g, '');
    expect(prose).toContain('\\[x\\](javascript');
    expect(prose).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(prose).not.toMatch(/(?<!\\)<img/);
    expect(prose).not.toMatch(/^# heading/m);
    // Every table row keeps its column count despite `|` in names.
    for (const line of md.split('\n').filter((l) => l.startsWith('| critical'))) expect(line.split(/(?<!\\)\|/).length).toBe(6);
    expect(mdText('a|b*c_[d](e)<f>')).toBe('a\\|b\\*c\\_\\[d\\](e)\\<f\\>');
  });

  it('fences commands with a fence longer than any backtick run inside', () => {
    const block = mdFence('echo ```` done');
    expect(block.startsWith('`````sh\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });
});
