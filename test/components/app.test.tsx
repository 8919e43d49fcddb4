/**
 * Flows through the real app: the demo cluster behind the embedded API server, real scans,
 * settings in a temp dir, a recording clipboard. Every wait is on a frame predicate.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App, type AppDeps } from '../../components/app.js';
import { KEYMAP } from '../../components/keymap.js';
import type { CopyResult } from '../../src/clipboard.js';
import { buildReport } from '../../src/report/json.js';
import { evaluate, openTarget } from '../../src/scan.js';
import { openSettings } from '../../src/settings.js';
import { KEYS, mount, type Mounted } from '../helpers/render.js';

let mounted: Mounted[] = [];
afterEach(async () => {
  await Promise.all(mounted.map((m) => m.unmount()));
  mounted = [];
});

function deps(dir: string, copied: string[] = []): AppDeps {
  return {
    settings: openSettings({ cwd: dir }),
    copy: async (text): Promise<CopyResult> => { copied.push(text); return { text, osc52: true, system: 'unavailable' }; },
    openTarget: ({ demo, context }) => openTarget({ demo, context }),
    evaluate,
    exportReport: async (_format, path, state) => {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(path, JSON.stringify(buildReport({ version: 't', target: { namespaces: 'all' }, startedAt: new Date(), durationMs: 0, results: Object.values(state.results), findings: state.findings })));
    },
  };
}

async function start(d: AppDeps, size: { columns?: number; rows?: number } = {}, scanOnStart = true): Promise<Mounted> {
  const m = await mount(
    <App deps={d} connection={{ status: 'setup', demo: true, context: '4c-tui-demo' }} contexts={[]} timeoutSeconds={10} color={false} scanOnStart={scanOnStart} initialLayer="cloud" />,
    size,
  );
  mounted.push(m);
  return m;
}

const scanned = (f: string) => /scanned in \d/.test(f);

/** A check that reports `n` findings, for list-size tests without a cluster. */
function bigDeps(dir: string, n: number): AppDeps {
  const d = deps(dir);
  return {
    ...d,
    openTarget: async () => ({ demo: true, close: async () => undefined }),
    evaluate: async (_t, checks, options) => {
      const check = checks.find((c) => c.id === 'container/privileged') ?? checks[0]!;
      const findings = Array.from({ length: n }, (_, i) => ({
        key: `k${i}`, checkId: check.id, layer: check.layer, severity: 'high' as const, status: 'fail' as const, title: check.title,
        message: `finding ${i}`, subject: { kind: 'Deployment', namespace: `ns-${i % 50}`, name: `app-${String(i).padStart(5, '0')}` },
        evidence: [], remediation: { why: 'w', fix: 'f', command: `kubectl -n 'ns' patch deployment 'app-${i}'` }, references: [], scope: 'workload' as const, accepted: false,
      }));
      const result = { id: check.id, layer: check.layer, title: check.title, severity: check.severity, status: 'fail' as const, findings: n, durationMs: 1 };
      options.onResult?.(result, findings);
      return { results: [result], findings, notices: [] };
    },
  };
}

describe('the app on the demo cluster', () => {
  it('scans at start, fills the four tabs and switches between them', async () => {
    const m = await start(deps(mkdtempSync(join(tmpdir(), '4c-app-'))));
    let f = await m.waitFor(scanned, 'the first scan');
    expect(f).toContain('DEMO CLUSTER');
    expect(f).toMatch(/1 Cloud \d+ ✗\d/);
    expect(f).toMatch(/2 Cluster \d+ ✗\d/);
    expect(f).toMatch(/3 Container \d+ ✗\d/);
    expect(f).toContain('4 Code');
    expect(f).toContain('API server endpoint has a public address');
    await m.press('3');
    f = await m.waitFor((x) => x.includes('Privileged container'), 'the container tab');
    expect(f).not.toContain('API server endpoint has a public address');
    await m.press(KEYS.tab);
    await m.waitFor((x) => x.includes('Image runs as root'), 'the code tab via tab');
    await m.press(KEYS.shiftTab, 'h');
    await m.waitFor((x) => x.includes('Subjects bound to cluster-admin'), 'the cluster tab via shift-tab and h');
  });

  it('drills from a check into its findings and a detail with the real kubectl command, then copies it', async () => {
    const copied: string[] = [];
    const m = await start(deps(mkdtempSync(join(tmpdir(), '4c-app-')), copied));
    await m.waitFor(scanned, 'the first scan');
    await m.press('3', 'j'); // container layer, first check: Privileged container
    await m.waitFor((x) => /› FAIL\s+CRIT Privileged container/.test(x), 'the privileged check selected');
    await m.press(KEYS.enter);
    await m.waitFor((x) => /container\/privileged: \d+/.test(x), 'its findings');
    await m.press(KEYS.enter);
    const detail = await m.waitFor((x) => x.includes('Command (c copies)'), 'the detail');
    expect(detail).toMatch(/kubectl -n 'shop' patch deployment 'legacy-worker'/);
    expect(detail).toContain('Why');
    expect(detail).toContain('References');
    await m.press('c');
    await m.waitFor((x) => x.includes('copied to terminal (OSC 52)'), 'the copy notice');
    expect(copied[0]).toMatch(/^kubectl -n 'shop' patch deployment 'legacy-worker'/);
    await m.press(KEYS.escape, KEYS.escape);
    await m.waitFor((x) => /› FAIL\s+CRIT Privileged container/.test(x), 'back on the checks');
  });

  it('narrows the list with fuzzy search and field filters; esc clears', async () => {
    const m = await start(deps(mkdtempSync(join(tmpdir(), '4c-app-'))));
    await m.waitFor(scanned, 'the first scan');
    await m.press('/');
    await m.type('privileged');
    let f = await m.waitFor((x) => /search "privileged": \d+ matches/.test(x), 'search results');
    const count = Number(/search "privileged": (\d+) matches/.exec(f)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(f).toContain('container/privileged');
    await m.type(' ns:shop');
    f = await m.waitFor((x) => /search "privileged ns:shop": \d+ matches/.test(x), 'filtered results');
    expect(Number(/: (\d+) matches/.exec(f)?.[1])).toBeLessThan(count);
    await m.press(KEYS.escape);
    await m.waitFor((x) => !x.includes('search "'), 'search cleared');
  });

  it('loses no key typed faster than the screen renders (fast typing, paste)', async () => {
    const m = await start(deps(mkdtempSync(join(tmpdir(), '4c-app-'))));
    await m.waitFor(scanned, 'the first scan');
    for (const ch of '/pri') m.stdin.write(ch); // no pause between keys
    m.stdin.write('vileged'); // a pasted chunk
    await m.waitFor((x) => /search "privileged": \d+ matches/.test(x), 'every character in the query');
    await m.press(KEYS.escape, KEYS.escape);
    await m.waitFor((x) => !x.includes('search "'), 'search closed');
    m.stdin.write('/privileged\r\r'); // key, text and two Enters in one chunk, as tmux delivers them
    await m.waitFor((x) => x.includes('Command (c copies)'), 'the detail after the chunked Enters');
    await m.press(KEYS.escape);
    await m.waitFor((x) => /search "privileged": \d+ matches/.test(x), 'every character in the query');
  });

  it('accepts a risk with a reason, and the acceptance survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), '4c-app-'));
    const m = await start(deps(dir));
    await m.waitFor(scanned, 'the first scan');
    await m.press('3', 'j', KEYS.enter);
    await m.waitFor((x) => /container\/privileged: \d+/.test(x), 'findings');
    await m.press('a');
    await m.waitFor((x) => x.includes('accept — reason (required)'), 'the reason prompt');
    await m.press(KEYS.enter);
    await m.waitFor((x) => x.includes('a reason is required'), 'reason required');
    await m.type('vendor image, tracked in JIRA-12');
    await m.press(KEYS.enter);
    await m.waitFor((x) => x.includes('accept — expires in days'), 'the expiry prompt');
    await m.press(KEYS.enter);
    await m.waitFor((x) => x.includes('accepted for 90 days'), 'accepted');
    expect(m.frame()).toMatch(/ACCEPTED/);
    await m.unmount();
    mounted = [];

    const again = await start(deps(dir));
    await again.waitFor(scanned, 'the scan after restart');
    await again.press('3', 'j', KEYS.enter);
    const f = await again.waitFor((x) => /container\/privileged: \d+/.test(x), 'findings after restart');
    expect(f).toMatch(/ACCEPTED/);
    const stored = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { acceptedRisks: { reason: string }[] };
    expect(stored.acceptedRisks.map((r) => r.reason)).toEqual(['vendor image, tracked in JIRA-12']);
  });

  it('shows every key in the ? overlay', async () => {
    const m = await start(deps(mkdtempSync(join(tmpdir(), '4c-app-'))), { columns: 120, rows: 50 }, false);
    await m.waitFor((x) => x.includes('not scanned yet'), 'the first frame');
    await m.press('?');
    const f = await m.waitFor((x) => x.includes('Keys (esc closes)'), 'the help overlay');
    for (const b of KEYMAP) expect(f).toContain(b.description.slice(0, 40));
    await m.press(KEYS.escape);
    await m.waitFor((x) => !x.includes('Keys (esc closes)'), 'help closed');
  });

  it('adapts to a resize and stays usable at 80×24', async () => {
    const m = await start(deps(mkdtempSync(join(tmpdir(), '4c-app-'))), { columns: 120, rows: 40 });
    await m.waitFor(scanned, 'the first scan');
    m.resize(80, 24);
    const f = await m.waitFor((x) => x.split('\n').every((line) => line.length <= 80), 'frame within 80 columns');
    expect(f.split('\n').length).toBeLessThanOrEqual(24);
    expect(f).toContain('DEMO CLUSTER');
    expect(f).toMatch(/1 Cloud/);
    expect(f).toMatch(/quit/);
  });

  it('runs the selected check again and marks nothing fixed when nothing changed', async () => {
    const m = await start(deps(mkdtempSync(join(tmpdir(), '4c-app-'))));
    await m.waitFor(scanned, 'the first scan');
    await m.press('3', 'j', 'r');
    await m.waitFor((x) => /scanned in \d/.test(x) && !x.includes('scanning'), 'the re-run');
    expect(m.frame()).not.toContain('FIXED');
  });
});

describe('keys after a focus change', () => {
  it('moves the finding cursor with the first j after enter opens a list (no stale focus)', async () => {
    const m = await start(bigDeps(mkdtempSync(join(tmpdir(), '4c-focus-')), 30), { columns: 120, rows: 30 });
    await m.waitFor(scanned, 'the scan');
    // Keys a person types, each after the previous frame has settled.
    const key = async (k: string) => {
      m.stdin.write(k);
      await new Promise((resolve) => setTimeout(resolve, 150));
    };
    await key('3');
    await key('j');
    await key(KEYS.enter);
    expect(m.frame()).toMatch(/› HIGH .*app-00000/);
    await key('j');
    const f = m.frame();
    expect(f).toMatch(/› HIGH .*app-00001/);
    expect(f).toContain('container/privileged: 30');
  });

  it('routes keys that arrive in one chunk one at a time: enter then j moves the finding cursor', async () => {
    const m = await start(bigDeps(mkdtempSync(join(tmpdir(), '4c-chunk-')), 30), { columns: 120, rows: 30 });
    await m.waitFor(scanned, 'the scan');
    m.stdin.write('3');
    await m.waitFor((f) => /ALL\s+all checks of this layer/.test(f), 'the container tab');
    m.stdin.write(`j${KEYS.enter}jj`); // as a terminal delivers keys typed faster than it is read
    // Rows sort by namespace as text (ns-0, ns-1, ns-10…): the third row is app-00010.
    const f = await m.waitFor((x) => /› HIGH .*ns-10\/app-00010/.test(x), 'the third finding under the cursor');
    expect(f).toContain('container/privileged: 30');
    expect(f).toMatch(/^· .*Privileged container/m);
  });
});

describe('--manifests in the app', () => {
  it('scans manifest files instead of a cluster: no connection is made, findings name the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), '4c-manifests-'));
    const file = join(dir, 'web.yaml');
    writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: web, image: "nginx:1.27", securityContext: {privileged: true}}\n');
    const opened: string[] = [];
    const d: AppDeps = { ...deps(dir), openTarget: async (t) => { opened.push(String(t.context)); throw new Error('no cluster may be contacted'); } };
    const m = await mount(
      <App deps={d} connection={{ status: 'setup', demo: false }} contexts={[]} manifests={[file]} offline timeoutSeconds={10} color={false} scanOnStart initialLayer="container" />,
      { columns: 140, rows: 40 },
    );
    mounted.push(m);
    let f = await m.waitFor(scanned, 'the scan');
    expect(f).toContain(`manifests ${file}`);
    expect(f).not.toMatch(/not connected|⚠/);
    expect(f).toMatch(/FAIL\s+CRIT Privileged container\s+1/);
    m.stdin.write('j');
    await m.waitFor((x) => /› FAIL\s+CRIT Privileged container/.test(x), 'the privileged check');
    m.stdin.write(KEYS.enter);
    f = await m.waitFor((x) => /› CRIT container\/privileged Deployment\/shop\/web/.test(x), 'its finding');
    expect(f).toContain(`Deployment/shop/web:web (${file}:1)`); // which file: copies of one object differ only there
    m.stdin.write(KEYS.enter);
    f = await m.waitFor((x) => x.includes(`In ${file} (line 1)`), 'the detail naming the file');
    expect(opened).toEqual([]);
  });
});

describe('a 20,000-finding list', () => {
  it('moves through it rendering only the visible rows', async () => {
    const m = await start(bigDeps(mkdtempSync(join(tmpdir(), '4c-big-')), 20_000), { columns: 120, rows: 30 });
    await m.waitFor(scanned, 'the scan');
    await m.press('3', 'j', KEYS.enter);
    let f = await m.waitFor((x) => x.includes('container/privileged: 20000'), 'the big list');
    const rowsShown = () => m.frame().split('\n').filter((l) => /app-\d{5}/.test(l)).length;
    const firstRow = /app-\d{5}/.exec(f.split('\n').find((l) => /app-\d{5}/.test(l)) ?? '')?.[0] ?? '';
    expect(rowsShown()).toBeGreaterThan(5);
    expect(rowsShown()).toBeLessThanOrEqual(30);
    await m.press('G');
    f = await m.waitFor((x) => !x.includes(firstRow) && /› HIGH .*app-\d{5}/.test(x), 'the last row');
    expect(rowsShown()).toBeLessThanOrEqual(30);
    await m.press(KEYS.pageUp, 'k', 'g');
    f = await m.waitFor((x) => x.includes(`${firstRow} `), 'back at the top');
    expect(f.split('\n').length).toBeLessThanOrEqual(30);
  });
});

describe('the command line', () => {
  it(':ctx completes a context name with tab and switches to it; :export writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), '4c-cmd-'));
    const opened: (string | undefined)[] = [];
    const d = deps(dir);
    const m = await mount(
      <App deps={{ ...d, openTarget: async (o) => { opened.push(o.context); return openTarget({ demo: true }); } }}
        connection={{ status: 'setup', demo: false, context: 'prod-eu' }} contexts={['prod-eu', 'prod-us', 'staging-west']}
        timeoutSeconds={10} color={false} scanOnStart initialLayer="cloud" />,
    );
    mounted.push(m);
    await m.waitFor(scanned, 'the first scan');
    await m.press(':');
    await m.type('ctx st');
    await m.press(KEYS.tab);
    await m.waitFor((x) => x.includes(':ctx staging-west'), 'the completed name');
    await m.press(KEYS.enter);
    await m.waitFor(() => opened.includes('staging-west'), 'the switch');
    await m.waitFor(scanned, 'the scan of the new context');
    expect(opened).toEqual(['prod-eu', 'staging-west']);
    const out = join(dir, 'report.json');
    await m.press(':');
    await m.type(`export json ${out}`);
    await m.press(KEYS.enter);
    await m.waitFor((x) => x.includes(`exported json to ${out}`), 'the export');
    const report = JSON.parse(readFileSync(out, 'utf8')) as { schemaVersion: number; findings: unknown[] };
    expect(report.schemaVersion).toBe(1);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});

describe('settings in the app', () => {
  it('applies severity overrides and disabled checks from settings', async () => {
    const d = deps(mkdtempSync(join(tmpdir(), '4c-set-')));
    d.settings.update({ severityOverrides: { 'container/privileged': 'low' }, disabledChecks: ['container/host-ipc'] });
    const m = await start(d);
    await m.waitFor(scanned, 'the first scan');
    await m.press('3');
    let f = await m.waitFor((x) => x.includes('Privileged container'), 'the container tab');
    expect(f).not.toContain('Pod shares the host IPC namespace');
    expect(f).toMatch(/FAIL\s+LOW\s+Privileged container/);
    await m.press('/');
    await m.type('check:privileged');
    f = await m.waitFor((x) => /search "check:privileged": \d+ matches/.test(x), 'the privileged findings');
    expect(f).toMatch(/LOW\s+container\/privileged Deployment\/shop\/legacy-worker/);
  });
});
