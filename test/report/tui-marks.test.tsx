/**
 * The TUI marks findings new and fixed since the last scan recorded in settings, says so in
 * the flash line, records the new scan, and shows a score in every tab.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { App, type AppDeps } from '../../components/app.js';
import type { Finding } from '../../src/engine/types.js';
import { openSettings } from '../../src/settings.js';
import { mount, type Mounted } from '../helpers/render.js';

let mounted: Mounted | undefined;
afterEach(async () => { await mounted?.unmount(); });

it('marks NEW and FIXED against the last scan, then records this one', async () => {
  const check = CHECKS.find((c) => c.id === 'container/privileged')!;
  const make = (name: string): Finding => ({
    key: `${check.id}@Deployment/shop/${name}:web`, checkId: check.id, layer: check.layer, severity: 'critical', status: 'fail', title: check.title,
    message: `container "web" of Deployment "shop/${name}" is privileged`, subject: { kind: 'Deployment', namespace: 'shop', name, container: 'web' },
    evidence: [], remediation: { why: 'w', fix: 'f' }, references: [], scope: 'workload', accepted: false,
  });
  const settings = openSettings({ cwd: mkdtempSync(join(tmpdir(), '4c-tui-marks-')) });
  settings.recordScan('4c-tui-demo', { at: '2026-01-01T00:00:00.000Z', findings: { [make('kept').key]: 'critical', [make('removed').key]: 'critical' } });
  const findings = [make('kept'), make('added')];
  const deps: AppDeps = {
    settings,
    copy: async (text) => ({ text, osc52: true, system: 'unavailable' }),
    openTarget: async () => ({ demo: true, config: { context: '4c-tui-demo' } as never, close: async () => undefined }),
    evaluate: async (_t, checks, options) => {
      const results = checks.map((c) => ({ id: c.id, layer: c.layer, title: c.title, severity: c.severity, status: c.id === check.id ? 'fail' as const : 'pass' as const, findings: c.id === check.id ? findings.length : 0, durationMs: 1 }));
      for (const r of results) options.onResult?.(r, r.id === check.id ? findings : []);
      return { results, findings, notices: [] };
    },
    exportReport: async () => undefined,
  };
  mounted = await mount(<App deps={deps} connection={{ status: 'setup', demo: true, context: '4c-tui-demo' }} contexts={[]} timeoutSeconds={10} color={false} scanOnStart initialLayer="container" />, { columns: 140, rows: 40 });
  const frame = await mounted.waitFor((f) => f.includes('since the last scan'), 'the scan and its flash');
  expect(frame).toContain('since the last scan: 1 new, 1 fixed');
  expect(frame).toMatch(/NEW .*shop\/added/);
  expect(frame).toMatch(/FIXED .*shop\/removed/);
  expect(frame).not.toMatch(/(NEW|FIXED) .*shop\/kept/);
  expect(frame).toMatch(/3 Container \d+ ✗1/);
  expect(Object.keys(settings.lastScan('4c-tui-demo')!.findings).sort()).toEqual(findings.map((f) => f.key).sort());
});
